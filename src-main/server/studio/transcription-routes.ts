import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findSourceFiles } from '../../library/video-files';
import { createLogger } from '../../log';
import { stopTranscriptionQueue, transcriptionQueueFor } from '../../transcription/queue';
import { routes } from '../contract';
import { HttpError, parseInput } from '../http-errors';
import type { StudioRouteDeps } from './deps';

const log = createLogger('studio.transcription');
const idParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

/** POST /api/videos/:id/transcribe: queues speech-to-text captions for a ready video. */
export function registerTranscriptionRoutes(app: FastifyInstance, deps: StudioRouteDeps): void {
  const { ctx } = deps;
  const queue = transcriptionQueueFor(ctx);
  app.addHook('onReady', async () => queue.recover());
  app.addHook('onClose', async () => stopTranscriptionQueue(ctx));

  app.post(routes.studio.transcribe, async (request, reply) => {
    const videoId = parseInput(idParams, request.params).id;
    const video = await ctx.db
      .selectFrom('videos')
      .select(['id', 'status'])
      .where('id', '=', videoId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!video) throw new HttpError(404, 'VIDEO_NOT_FOUND', `No video with id ${videoId} exists.`);
    if (video.status !== 'ready') {
      throw new HttpError(
        409,
        'INVALID_STATE',
        'This video is still being processed. Transcribe it once it is ready.',
      );
    }
    if ((await findSourceFiles(ctx.paths, videoId)).length === 0) {
      throw new HttpError(
        409,
        'SOURCE_NOT_FOUND',
        'The source file of this video is missing, so its speech cannot be transcribed.',
      );
    }
    if (!(await queue.request(videoId))) {
      throw new HttpError(409, 'CONFLICT', 'A transcription of this video is already running.');
    }
    log.info({ videoId }, 'transcription requested');
    return reply.code(202).send({ video_id: videoId, status: 'pending' });
  });
}
