/** An error from the studio or public API: a machine-readable code and a sentence to show. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly path: string,
  ) {
    super(message);
  }
}

const fallbackByStatus: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'The request was not accepted. Check the values and try again.'],
  401: ['UNAUTHENTICATED', 'You are signed out. Sign in again to continue.'],
  403: ['FORBIDDEN', 'This action is not allowed.'],
  404: ['NOT_FOUND', 'That item no longer exists.'],
  409: ['CONFLICT', 'That change conflicts with the current state. Reload and try again.'],
  413: ['PAYLOAD_TOO_LARGE', 'The file is too large for the studio.'],
  415: ['UNSUPPORTED_MEDIA', 'That file type is not supported.'],
  429: ['TOO_MANY_REQUESTS', 'Too many attempts. Wait a minute and try again.'],
};

function isErrorBody(value: unknown): value is { error: string; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body.error === 'string' && typeof body.message === 'string';
}

/** Turns a failed response's status and body text into an ApiError. */
export function apiErrorFromBody(status: number, bodyText: string, path: string): ApiError {
  let body: unknown = null;
  try {
    body = JSON.parse(bodyText);
  } catch {
    // A proxy or a crash may answer with HTML or nothing; the status still says enough.
  }
  if (isErrorBody(body)) {
    return new ApiError(body.error, body.message, status, path);
  }
  const [code, message] = fallbackByStatus[status] ?? [
    status >= 500 ? 'SERVER_ERROR' : 'UNEXPECTED_RESPONSE',
    `The studio answered with status ${status}. Try again in a moment.`,
  ];
  return new ApiError(code, message, status, path);
}

/** The error for a request that never got an answer (server stopped, network down). */
export function networkError(path: string, cause: unknown): ApiError {
  const error = new ApiError(
    'NETWORK',
    'Cannot reach the studio server. Check that VLog Studio is still running.',
    0,
    path,
  );
  error.cause = cause;
  return error;
}

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** Fills the `:name` parameters of a route pattern, URL-encoding each value. */
export function fillPath<P extends string>(
  pattern: P,
  params: { [K in ParamNames<P>]: string | number },
): string {
  const values = params as Record<string, string | number>;
  return pattern.replace(/:([A-Za-z_]+)/g, (_match, name: string) =>
    encodeURIComponent(String(values[name] ?? '')),
  );
}

/** Builds a query string from defined values only, e.g. `?status=ready`. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sends one JSON request and returns the parsed body, or throws an ApiError. */
export async function sendJson<T>(
  fetchImpl: typeof fetch,
  baseUrl: string,
  request: JsonRequest,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetchImpl(baseUrl + request.path, {
      method: request.method,
      headers,
      credentials: 'include',
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
  } catch (cause) {
    throw networkError(request.path, cause);
  }

  const text = await response.text();
  if (!response.ok) throw apiErrorFromBody(response.status, text, request.path);
  return (text ? JSON.parse(text) : null) as T;
}
