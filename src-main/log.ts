import pino, { type Logger } from 'pino';

const root: Logger = pino({
  level: process.env['VLOG_LOG_LEVEL'] ?? 'info',
  base: { app: 'vlog-studio' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

/** One logger per module; callers add ids such as `videoId` and `jobId` as fields. */
export function createLogger(module: string): Logger {
  return root.child({ module });
}

/** Changes the level of every module's logger, for settings applied at run time. */
export function setLogLevel(level: string): void {
  root.level = level;
}

export type { Logger };
