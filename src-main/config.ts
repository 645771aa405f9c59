import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  VLOG_DATA_DIR: z.string().min(1).optional(),
  VLOG_DATABASE_URL: z.string().url().optional(),
  VLOG_PUBLIC_HOST: z.string().min(1).default('0.0.0.0'),
  VLOG_PUBLIC_PORT: port.default(9000),
  VLOG_ADMIN_HOST: z.string().min(1).default('127.0.0.1'),
  VLOG_ADMIN_PORT: port.default(9001),
  VLOG_ADMIN_PASSWORD: z.string().min(1).optional(),
  VLOG_WORKER_ADMIN_SECRET: z.string().min(1).optional(),
  VLOG_FFMPEG_PATH: z.string().min(1).optional(),
  VLOG_FFPROBE_PATH: z.string().min(1).optional(),
  VLOG_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
});

export interface StudioConfig {
  dataDir: string;
  databaseUrl: string | undefined;
  publicHost: string;
  publicPort: number;
  adminHost: string;
  adminPort: number;
  adminPassword: string | undefined;
  workerAdminSecret: string | undefined;
  ffmpegPath: string | undefined;
  ffprobePath: string | undefined;
  logLevel: string;
}

/** The folder the OS keeps application data in, used when VLOG_DATA_DIR is unset. */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') {
    return path.join(
      process.env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'),
      'VLog Studio',
    );
  }
  if (process.platform === 'darwin') {
    return path.join(home, 'Library', 'Application Support', 'VLog Studio');
  }
  return path.join(
    process.env['XDG_DATA_HOME'] ?? path.join(home, '.local', 'share'),
    'vlog-studio',
  );
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the studio's configuration from environment variables, rejecting bad values clearly. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): StudioConfig {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    dataDir: path.resolve(e.VLOG_DATA_DIR ?? defaultDataDir()),
    databaseUrl: e.VLOG_DATABASE_URL,
    publicHost: e.VLOG_PUBLIC_HOST,
    publicPort: e.VLOG_PUBLIC_PORT,
    adminHost: e.VLOG_ADMIN_HOST,
    adminPort: e.VLOG_ADMIN_PORT,
    adminPassword: e.VLOG_ADMIN_PASSWORD,
    workerAdminSecret: e.VLOG_WORKER_ADMIN_SECRET,
    ffmpegPath: e.VLOG_FFMPEG_PATH,
    ffprobePath: e.VLOG_FFPROBE_PATH,
    logLevel: e.VLOG_LOG_LEVEL,
  };
}
