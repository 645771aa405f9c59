import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { routes } from './contract';
import { resolveInside, sendFile } from './file-sender';
import { sendError } from './http-errors';

export type SpaPage = 'studio' | 'viewer';

function notBuiltPage(page: SpaPage, indexPath: string): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>VLog Studio</title></head><body>',
    `<h1>The ${page} interface has not been built</h1>`,
    `<p>Expected ${indexPath}. Run <code>npm run build</code> and reload this page.</p>`,
    '</body></html>',
  ].join('');
}

/** Sends the single-page app's index.html (read each time, so a rebuild needs no restart). */
export async function sendSpaIndex(
  reply: FastifyReply,
  rendererDir: string,
  page: SpaPage,
): Promise<FastifyReply> {
  const indexPath = path.join(rendererDir, page, 'index.html');
  reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
  try {
    return reply.send(await fs.readFile(indexPath, 'utf8'));
  } catch {
    return reply.code(503).send(notBuiltPage(page, indexPath));
  }
}

/** Serves the built assets shared by both pages (hashed names: cached for good). */
export function registerAssetRoutes(app: FastifyInstance, rendererDir: string): void {
  app.get<{ Params: { '*': string } }>(routes.public.assets, async (request, reply) => {
    const absPath = resolveInside(path.join(rendererDir, 'assets'), request.params['*']);
    const cacheControl = 'public, max-age=31536000, immutable';
    if (absPath && (await sendFile(request, reply, absPath, { cacheControl }))) return reply;
    return sendError(reply, 404, { error: 'NOT_FOUND', message: 'No such asset.' });
  });
}

/** Serves index.html for each of the page paths. */
export function registerSpaPages(
  app: FastifyInstance,
  rendererDir: string,
  page: SpaPage,
  pagePaths: readonly string[],
): void {
  for (const pagePath of pagePaths) {
    app.get(pagePath, (_request, reply) => sendSpaIndex(reply, rendererDir, page));
  }
}
