import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { chaptersOfVideo } from '../library/chapters';
import { chaptersToVtt } from '../library/chapters-vtt';
import { isSlug } from '../library/slugs';
import { isVideoServable } from '../library/videos';
import { routes } from './contract';
import { sendError } from './http-errors';

/**
 * GET /videos/{slug}/chapters.vtt: the chapters as a WebVTT chapters track, made from the
 * database on each request so an edit shows at once.
 */
export function registerChapterTrackRoute(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; audience: 'public' | 'studio' },
): void {
  app.get<{ Params: { slug: string } }>(routes.media.chaptersVtt, async (request, reply) => {
    const { slug } = request.params;
    const notFound = { error: 'NOT_FOUND', message: 'This video has no chapters track.' };
    if (!isSlug(slug) || !(await isVideoServable(deps.db, slug, deps.audience))) {
      return sendError(reply, 404, notFound);
    }
    const video = await deps.db
      .selectFrom('videos')
      .select(['id', 'duration'])
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    const chapters = await chaptersOfVideo(deps.db, video.id);
    if (deps.audience === 'public') reply.header('access-control-allow-origin', '*');
    return reply
      .header(
        'cache-control',
        deps.audience === 'public' ? 'public, no-cache' : 'private, no-cache',
      )
      .type('text/vtt; charset=utf-8')
      .send(chaptersToVtt(chapters, video.duration ?? 0));
  });
}
