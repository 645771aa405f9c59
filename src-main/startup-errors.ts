import { ConfigError, loadConfig } from './config';

interface ListenError {
  code?: unknown;
  port?: unknown;
  address?: unknown;
  message?: unknown;
}

/** Which variable moves a listener off a port that another program holds. */
function portVariable(port: unknown, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const config = loadConfig(env);
    if (port === config.adminPort) return 'VLOG_ADMIN_PORT';
    if (port === config.publicPort) return 'VLOG_PUBLIC_PORT';
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Turns an error that stopped the studio from starting into one line a person can act on:
 * which setting to change, or what to install.
 */
export function describeStartupError(error: unknown, env: NodeJS.ProcessEnv): string {
  if (error instanceof ConfigError) return `${error.message}. Fix the variable and start again.`;
  const listen = (typeof error === 'object' && error !== null ? error : {}) as ListenError;
  if (listen.code === 'EADDRINUSE') {
    const variable = portVariable(listen.port, env);
    const where = `${String(listen.address ?? 'this machine')}:${String(listen.port ?? '?')}`;
    const fix = variable ? `set ${variable} to a free port` : 'choose a free port';
    return `Port ${where} is already in use by another program: ${fix} and start again.`;
  }
  if (listen.code === 'EACCES' && listen.port !== undefined) {
    return `Not allowed to listen on port ${String(listen.port)}: choose a port above 1023.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `VLog Studio could not start: ${message}`;
}
