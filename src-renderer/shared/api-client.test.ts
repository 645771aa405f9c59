import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createAdminClient, createPublicClient } from './api-client';
import { apiErrorFromBody, fillPath, queryString } from './http';

interface SeenRequest {
  method: string;
  url: string;
  csrf: string | undefined;
  body: string;
}

/** A small real HTTP server that answers like the studio listener does. */
function startFakeStudio(seen: SeenRequest[]) {
  let issued = 0;
  let currentToken = 'token-1';
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const csrf = req.headers['x-csrf-token'] as string | undefined;
    seen.push({ method: req.method ?? '', url: req.url ?? '', csrf, body });
    const send = (status: number, payload: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (req.url === '/api/auth/csrf-token') {
      issued += 1;
      return send(200, { csrf_token: currentToken });
    }
    if (req.url === '/api/videos/401' || (req.url === '/api/auth/login' && body.includes('bad'))) {
      return send(401, { error: 'UNAUTHENTICATED', message: 'Sign in again.' });
    }
    if (req.url === '/api/auth/login') {
      currentToken = 'token-2';
      return send(200, { ok: true });
    }
    if (req.method !== 'GET' && csrf !== currentToken) {
      return send(403, { error: 'CSRF_MISSING', message: 'Reload the page.' });
    }
    if (req.url === '/api/videos/7/retry') return send(200, { ok: true });
    if (req.url === '/api/videos/8/retry') {
      return send(409, { error: 'INVALID_STATE', message: 'Only a failed video can be retried.' });
    }
    if (req.url === '/api/videos/9') return send(502, '<html>Bad gateway</html>', 'text/html');
    if (req.url?.startsWith('/api/videos?')) return send(200, { videos: [], total: 0 });
    if (req.url === '/api/videos/a%20b') return send(200, { slug: 'a b' });
    return send(404, { error: 'NOT_FOUND', message: 'No such route.' });
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handle(req, res, body));
  });
  return { server, issuedCount: () => issued };
}

describe('admin client against a real HTTP server', () => {
  const seen: SeenRequest[] = [];
  let fake: ReturnType<typeof startFakeStudio>;
  let server: Server;
  let baseUrl = '';

  beforeAll(async () => {
    fake = startFakeStudio(seen);
    server = fake.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
  });

  it('fetches the CSRF token once and sends it on every mutation', async () => {
    const client = createAdminClient({ baseUrl });
    await client.retryVideo(7);
    await client.retryVideo(7);
    const mutations = seen.filter((r) => r.url === '/api/videos/7/retry');
    expect(mutations).toHaveLength(2);
    expect(mutations.every((r) => r.csrf === 'token-1')).toBe(true);
    expect(seen.filter((r) => r.url === '/api/auth/csrf-token')).toHaveLength(1);
  });

  it('sends no CSRF token on reads', async () => {
    const client = createAdminClient({ baseUrl });
    await client.listVideos({ status: 'ready', q: undefined });
    expect(seen).toEqual([expect.objectContaining({ url: '/api/videos?status=ready' })]);
    expect(seen[0]?.csrf).toBeUndefined();
  });

  it('fetches a fresh token once when the session changed under it', async () => {
    const client = createAdminClient({ baseUrl });
    await client.retryVideo(7);
    await fetch(`${baseUrl}/api/auth/login`, { method: 'POST' });
    await client.retryVideo(7);
    const tokens = seen.filter((r) => r.url === '/api/videos/7/retry').map((r) => r.csrf);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-2']);
  });

  it('turns an error body into an ApiError with its code and message', async () => {
    const client = createAdminClient({ baseUrl });
    const error = await client.retryVideo(8).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'INVALID_STATE',
      status: 409,
      message: 'Only a failed video can be retried.',
      path: '/api/videos/8/retry',
    });
  });

  it('maps a non-JSON failure to a code from its status', async () => {
    const client = createAdminClient({ baseUrl });
    await expect(client.getVideo(9)).rejects.toMatchObject({ code: 'SERVER_ERROR', status: 502 });
  });

  it('encodes path parameters', async () => {
    const client = createPublicClient({ baseUrl });
    await expect(client.getVideo('a b')).resolves.toEqual({ slug: 'a b' });
  });

  it('tells the page when a request finds the session gone, but not for a wrong password', async () => {
    const client = createAdminClient({ baseUrl });
    let ended = 0;
    client.onSessionEnded(() => (ended += 1));
    await expect(client.login('bad')).rejects.toMatchObject({ status: 401 });
    expect(ended).toBe(0);
    await expect(client.getVideo(401)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(ended).toBe(1);
  });

  it('reports an unreachable server as a NETWORK error', async () => {
    const client = createAdminClient({ baseUrl: 'http://127.0.0.1:1' });
    await expect(client.checkAuth()).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });
});

describe('apiErrorFromBody', () => {
  it('keeps the server code and message', () => {
    const error = apiErrorFromBody(401, '{"error":"INVALID_PASSWORD","message":"Wrong."}', '/x');
    expect(error).toMatchObject({ code: 'INVALID_PASSWORD', message: 'Wrong.', status: 401 });
  });

  it('falls back to a status-based code for bodies without one', () => {
    expect(apiErrorFromBody(429, '', '/x').code).toBe('TOO_MANY_REQUESTS');
    expect(apiErrorFromBody(401, '{"detail":"no"}', '/x').code).toBe('UNAUTHENTICATED');
    expect(apiErrorFromBody(418, 'teapot', '/x').code).toBe('UNEXPECTED_RESPONSE');
  });
});

describe('path helpers', () => {
  it('fills route parameters and builds query strings from defined values', () => {
    expect(fillPath('/api/videos/:id/retry', { id: 12 })).toBe('/api/videos/12/retry');
    expect(queryString({ status: 'ready', q: undefined, page: 2 })).toBe('?status=ready&page=2');
    expect(queryString({})).toBe('');
  });
});
