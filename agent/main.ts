// Entry point of dist/agent.js: the `process-tracker` command. Wiring only.
import { runCli } from './cli';

// `process-tracker export | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
