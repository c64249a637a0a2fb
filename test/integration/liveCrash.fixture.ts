// Opens the live view's terminal (agent/cli/tui/terminal.ts) and then crashes, as a bug in the view
// would: live.test.ts runs it inside tmux and checks the terminal is restored and the error shown.
import { openTerminal } from '../../agent/cli/tui/terminal';

const terminal = openTerminal(process.stdin, process.stdout, 1, () => process.exit(143));
terminal.write('\x1b[1;1Hfixture on the alternate screen');
setTimeout(() => {
  throw new Error('fixture crash on purpose');
}, 500);
