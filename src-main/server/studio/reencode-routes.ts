import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  cancelReencode,
  enqueueReencode,
  listReencodeQueue,
  REENCODE_PRIORITIES,
  type ReencodeItem,
} from '../../library/reencode-queue';
import { STREAMING_FORMATS, VIDEO_CODECS } from '../../media/formats';
import { routes } from '../contract';
import { parseInput } from '../http-errors';
import type { StudioRouteDeps } from './deps';

const enqueueSchema = z
  .object({
    video_id: z.number().int().positive().optional(),
    all: z.boolean().optional(),
    target_format: z.enum(STREAMING_FORMATS).default('cmaf'),
    target_codec: z.enum(VIDEO_CODECS).default('hevc'),
    priority: z.enum(REENCODE_PRIORITIES).default('normal'),
  })
  .strict()
  .refine((body) => body.all === true || body.video_id !== undefined, {
    message: 'Give a video_id, or all: true to re-encode every video.',
  });

const idParams = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

function present(item: ReencodeItem) {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    ...item,
    created_at: iso(item.created_at),
    started_at: iso(item.started_at),
    completed_at: iso(item.completed_at),
  };
}

/** GET/POST /api/reencode and DELETE /api/reencode/{id}: the re-encode queue. */
export function registerReencodeRoutes(app: FastifyInstance, deps: StudioRouteDeps): void {
  const { db } = deps.ctx;

  app.get(routes.studio.reencode, async () => ({
    items: (await listReencodeQueue(db)).map(present),
  }));

  app.post(routes.studio.reencode, async (request, reply) => {
    const body = parseInput(enqueueSchema, request.body ?? {});
    const items = await enqueueReencode(db, {
      videoId: body.video_id,
      all: body.all,
      targetFormat: body.target_format,
      targetCodec: body.target_codec,
      priority: body.priority,
    });
    deps.wakeWorker();
    return reply.code(201).send({ items: items.map(present) });
  });

  app.delete<{ Params: { id: string } }>(routes.studio.reencodeItem, async (request) => {
    const { id } = parseInput(idParams, request.params);
    return present(await cancelReencode(db, id));
  });
}
