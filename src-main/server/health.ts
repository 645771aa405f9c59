import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Logger } from '../log';
import type { MediaTools } from '../media/tools';
import type { Health } from './contract';
import { routes } from './contract';

/** What /health reports of the media tools found and checked at start. */
function mediaHealth(media: MediaTools): NonNullable<Health['media']> {
  const has = (...names: string[]) => names.some((name) => media.encoders.has(name));
  return {
    ffmpeg: media.ffmpegVersion,
    origin: media.origin,
    encoders: {
      h264: has('libx264'),
      hevc: has('libx265'),
      av1: has('libsvtav1', 'libaom-av1'),
      aac: has('aac'),
    },
  };
}

/** GET /health: 200 when the database answers, 503 naming the failing part otherwise. */
export function registerHealthRoute(
  app: FastifyInstance,
  db: Kysely<Database>,
  media: MediaTools,
  log: Logger,
): void {
  const mediaReport = mediaHealth(media);
  app.get(routes.health, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db);
      const body: Health = { status: 'ok', database: 'ok', media: mediaReport };
      return reply.header('cache-control', 'no-store').send(body);
    } catch (error) {
      log.warn({ err: error }, 'health check: database unreachable');
      const body: Health = { status: 'error', database: 'error', media: mediaReport };
      return reply.code(503).header('cache-control', 'no-store').send(body);
    }
  });
}
