import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ZodError, type z } from 'zod';
import { AuthError, type AuthErrorCode } from '../auth/errors';
import { LibraryError, type LibraryErrorCode } from '../library/errors';
import type { Logger } from '../log';
import type { ApiError, ErrorCode } from './contract';

/** An error that knows its HTTP status and the code the client sees. */
export class HttpError extends Error {
  override name = 'HttpError';

  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const libraryStatus: Record<LibraryErrorCode, number> = {
  VIDEO_NOT_FOUND: 404,
  CATEGORY_NOT_FOUND: 404,
  SOURCE_NOT_FOUND: 404,
  INVALID_STATE: 409,
  CONFLICT: 409,
  UNSUPPORTED_MEDIA: 415,
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
};

const authStatus: Record<AuthErrorCode, number> = {
  UNAUTHENTICATED: 401,
  INVALID_PASSWORD: 401,
  CSRF_MISSING: 403,
  SETUP_TOKEN_INVALID: 403,
  SETUP_NOT_NEEDED: 409,
  TOO_MANY_REQUESTS: 429,
};

/** Turns zod's issues into one sentence naming each bad field. */
export function describeIssues(error: ZodError): string {
  const parts = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'request';
    return `${where}: ${issue.message}`;
  });
  return `Invalid input. ${parts.join('; ')}.`;
}

/** Parses input with a zod schema; a mismatch becomes a 400 naming the bad fields. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpError(400, 'VALIDATION_FAILED', describeIssues(result.error));
  }
  return result.data;
}

interface Mapped {
  status: number;
  body: ApiError;
  retryAfterSeconds?: number | undefined;
}

function mapFrameworkError(error: FastifyError): Mapped | undefined {
  const status = error.statusCode ?? 500;
  if (error.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    const message = 'Send the video as multipart/form-data with a "file" field.';
    return { status: 415, body: { error: 'UNSUPPORTED_MEDIA', message } };
  }
  if (status === 413) {
    return { status, body: { error: 'PAYLOAD_TOO_LARGE', message: error.message } };
  }
  if (status === 415) {
    return { status, body: { error: 'UNSUPPORTED_MEDIA', message: error.message } };
  }
  if (status >= 400 && status < 500) {
    return { status, body: { error: 'BAD_REQUEST', message: error.message } };
  }
  return undefined;
}

function mapError(error: unknown): Mapped | undefined {
  if (error instanceof HttpError) {
    return { status: error.statusCode, body: { error: error.code, message: error.message } };
  }
  if (error instanceof LibraryError) {
    const status = libraryStatus[error.code];
    return { status, body: { error: error.code, message: error.message } };
  }
  if (error instanceof AuthError) {
    const body = { error: error.code, message: error.message };
    return { status: authStatus[error.code], body, retryAfterSeconds: error.retryAfterSeconds };
  }
  if (error instanceof ZodError) {
    return { status: 400, body: { error: 'VALIDATION_FAILED', message: describeIssues(error) } };
  }
  const framework = error as FastifyError;
  if (typeof framework.code === 'string' && typeof framework.statusCode === 'number') {
    return mapFrameworkError(framework);
  }
  return undefined;
}

/** Sends an error body in the one shape every client expects. */
export function sendError(reply: FastifyReply, status: number, body: ApiError): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Makes every error, expected or not, leave as `{ error, message }` with a fitting status. */
export function installErrorHandling(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((error, request, reply) => {
    const mapped = mapError(error);
    if (!mapped && request.raw.destroyed) {
      // The client hung up (an upload cancelled half way); there is no one left to answer.
      log.info({ method: request.method, url: request.url }, 'client left before the answer');
      return sendError(reply, 400, { error: 'BAD_REQUEST', message: 'The request was aborted.' });
    }
    if (!mapped) {
      log.error({ err: error, method: request.method, url: request.url }, 'request failed');
      const message = 'The studio hit an unexpected error; details are in its log.';
      return sendError(reply, 500, { error: 'INTERNAL', message });
    }
    if (mapped.status >= 500) log.error({ err: error, url: request.url }, 'request failed');
    if (mapped.retryAfterSeconds) reply.header('retry-after', String(mapped.retryAfterSeconds));
    return sendError(reply, mapped.status, mapped.body);
  });
}

/** The 404 body for an unknown path. */
export function notFoundBody(url: string): ApiError {
  return { error: 'NOT_FOUND', message: `Nothing is served at ${url.split('?')[0]}.` };
}
