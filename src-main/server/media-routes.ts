import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { publishedDir, type DataPaths } from '../library/paths';
import { isSlug } from '../library/slugs';
import { isVideoServable } from '../library/videos';
import { routes } from './contract';
import { resolveInside, sendFile } from './file-sender';
import { sendError } from './http-errors';

type Audience = 'public' | 'studio';

/** How long a client may keep a file of a published video. */
export function mediaCacheControl(fileName: string, audience: Audience): string {
  // The studio previews output that a retranscode may replace at the same URL.
  if (audience === 'studio') return 'private, no-cache';
  const ext = path.extname(fileName).toLowerCase();
  // Segments of a finished VOD never change; its playlists only with a retranscode.
  if (ext === '.ts' || ext === '.m4s' || ext === '.mp4') {
    return 'public, max-age=31536000, immutable';
  }
  if (ext === '.m3u8') return 'public, max-age=86400';
  // Posters, captions and sprites can be edited: cache, but ask again each time.
  return 'public, no-cache';
}

interface MediaParams {
  slug: string;
  '*': string;
}

/** Serves everything under videos/{slug}/ of a video the audience may see; 404 otherwise. */
export function registerMediaRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; paths: DataPaths; audience: Audience },
): void {
  app.get<{ Params: MediaParams }>(routes.media.file, async (request, reply) => {
    const { slug, '*': rest } = request.params;
    const notFound = { error: 'NOT_FOUND', message: 'This video file does not exist.' };
    if (!isSlug(slug)) return sendError(reply, 404, notFound);
    const absPath = resolveInside(publishedDir(deps.paths, slug), rest);
    if (!absPath) return sendError(reply, 404, notFound);
    if (!(await isVideoServable(deps.db, slug, deps.audience))) {
      return sendError(reply, 404, notFound);
    }
    const cors = deps.audience === 'public';
    const cacheControl = mediaCacheControl(absPath, deps.audience);
    if (await sendFile(request, reply, absPath, { cacheControl, cors })) return reply;
    return sendError(reply, 404, notFound);
  });

  if (deps.audience === 'public') {
    app.options(routes.media.file, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
        .header('access-control-allow-headers', 'Range')
        .header('access-control-max-age', '86400')
        .send(),
    );
  }
}
