// Entry point of dist/agent.js: the `process-tracker` command. Wiring only.
import { HELP } from './cli/format';

process.stdout.write(HELP);
