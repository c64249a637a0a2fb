// The agent's logger. Issue "Agent service" grows this into a rotating file in the data dir;
// everything in the agent logs through this one interface so that change stays local.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function streamLogger(write: (line: string) => void, minimum: LogLevel = 'info'): Logger {
  const at = (level: LogLevel) => (message: string) => {
    if (ORDER[level] >= ORDER[minimum]) write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const stderrLogger = (minimum: LogLevel = 'info'): Logger =>
  streamLogger((line) => process.stderr.write(line), minimum);

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Logs a recurring failure once, then stays quiet until `recovered()` is called. */
export class OnceLogger {
  private failing = new Set<string>();
  constructor(private readonly log: Logger) {}
  failed(key: string, message: string): void {
    if (this.failing.has(key)) return;
    this.failing.add(key);
    this.log.error(message);
  }
  recovered(key: string, message: string): void {
    if (this.failing.delete(key)) this.log.info(message);
  }
}
