import { LogController, type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import type { Logger } from '../log';

/** Options both listeners share: the module's pino logger, without a line per request. */
export function listenerOptions(log: Logger): FastifyServerOptions & {
  loggerInstance: FastifyBaseLogger;
} {
  return {
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  };
}
