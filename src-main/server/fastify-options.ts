import {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import type { Logger } from '../log';
import { HttpError } from './http-errors';

/** Options both listeners share: the module's pino logger, without a line per request. */
export function listenerOptions(log: Logger): FastifyServerOptions & {
  loggerInstance: FastifyBaseLogger;
} {
  return {
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  };
}

/**
 * JSON bodies, where an empty body counts as none: scripts often send the JSON content type on
 * action routes (retry, publish) that take no body.
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text) as unknown);
      } catch {
        done(new HttpError(400, 'BAD_REQUEST', 'The request body is not valid JSON.'), undefined);
      }
    },
  );
}
