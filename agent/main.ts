// Entry point of dist/agent.js: the `process-tracker` command. Wiring only.
import { runCli } from './cli';

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
