import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getSpriteInfo, requestSpriteSheets } from '../../library/sprites';
import {
  makeCandidateFrames,
  revertThumbnail,
  selectThumbnailFrame,
  setCustomThumbnail,
  type ThumbnailStateRow,
} from '../../library/thumbnails';
import { sniffImageKind } from '../../media/thumbnails';
import type { StudioSprites, ThumbnailFrames, ThumbnailState } from '../contract';
import { pathFor, routes, thumbnailSelectRequestSchema } from '../contract';
import { HttpError, parseInput } from '../http-errors';
import { toStudioSprites } from '../sprites-presenter';
import type { StudioRouteDeps } from './deps';

/** The largest image a custom thumbnail may be. */
export const maxThumbnailBytes = 10 * 1024 * 1024;

const idParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});
type IdRequest = { Params: { id: string } };

function toThumbnailState(state: ThumbnailStateRow): ThumbnailState {
  const url = pathFor(routes.media.thumbnail, { slug: state.slug });
  return {
    thumbnail_url: state.version ? `${url}?v=${encodeURIComponent(state.version)}` : url,
    thumbnail_source: state.source,
    thumbnail_timestamp: state.timestamp,
  };
}

/** Streams the multipart image to a private file, refusing more than 10 MB. */
async function receiveImage(request: FastifyRequest, workDir: string): Promise<string> {
  if (!request.isMultipart()) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA', 'Upload the image as multipart/form-data.');
  }
  const part = await request.file({ limits: { fileSize: maxThumbnailBytes, files: 1 } });
  if (!part) throw new HttpError(400, 'BAD_REQUEST', 'The upload has no "file" field.');
  await fs.promises.mkdir(workDir, { recursive: true });
  const target = `${workDir}/thumbnail-upload-${randomBytes(6).toString('hex')}`;
  try {
    await pipeline(part.file, fs.createWriteStream(target, { flags: 'wx' }));
    if (part.file.truncated) throw tooLarge();
  } catch (error) {
    await fs.promises.rm(target, { force: true });
    const status = (error as { statusCode?: number }).statusCode;
    throw status === 413 ? tooLarge() : error;
  }
  return target;
}

function tooLarge(): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', 'The image is over 10 MB. Upload a smaller one.');
}

/** Decides the image kind from its bytes and gives the file the matching extension. */
async function checkImageKind(file: string): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  const head = new Uint8Array(16);
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const kind = sniffImageKind(head);
  if (!kind) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA',
      'This file is not a JPEG, PNG or WebP image (judged from its contents, not its name).',
    );
  }
  const named = `${file}.${kind === 'jpeg' ? 'jpg' : kind}`;
  await fs.promises.rename(file, named);
  return named;
}

/** Thumbnail choice (candidates, any moment, upload, revert) and sprite sheet routes. */
export function registerThumbnailRoutes(app: FastifyInstance, deps: StudioRouteDeps): void {
  const ctx = deps.ctx;
  const r = routes.studio;
  const idOf = (params: unknown) => parseInput(idParams, params).id;
  const log = deps.log;

  app.post<IdRequest>(r.thumbnailFrames, async (request): Promise<ThumbnailFrames> => {
    const id = idOf(request.params);
    const frames = await makeCandidateFrames(ctx, id, log.child({ videoId: id }));
    const video = await ctx.db
      .selectFrom('videos')
      .select('slug')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const stamp = Date.now().toString(36);
    return {
      frames: frames.map((frame) => ({
        percent: frame.percent,
        timestamp: frame.timestamp,
        url: `/videos/${video.slug}/${frame.relativePath.split('\\').join('/')}?v=${stamp}`,
      })),
    };
  });

  app.post<IdRequest>(r.thumbnailSelect, async (request): Promise<ThumbnailState> => {
    const id = idOf(request.params);
    const body = parseInput(thumbnailSelectRequestSchema, request.body ?? {});
    const logger = log.child({ videoId: id });
    return toThumbnailState(await selectThumbnailFrame(ctx, id, body.timestamp, logger));
  });

  app.post<IdRequest>(r.thumbnailUpload, async (request): Promise<ThumbnailState> => {
    const id = idOf(request.params);
    const received = await receiveImage(request, ctx.paths.work);
    let image = received;
    try {
      image = await checkImageKind(received);
      return toThumbnailState(await setCustomThumbnail(ctx, id, image, log.child({ videoId: id })));
    } finally {
      await fs.promises.rm(image, { force: true });
    }
  });

  app.post<IdRequest>(r.thumbnailRevert, async (request): Promise<ThumbnailState> => {
    const id = idOf(request.params);
    return toThumbnailState(await revertThumbnail(ctx, id, log.child({ videoId: id })));
  });

  app.get<IdRequest>(r.sprites, async (request): Promise<StudioSprites> =>
    toStudioSprites(await getSpriteInfo(ctx.db, idOf(request.params))),
  );

  app.post<IdRequest>(r.spritesGenerate, async (request, reply) => {
    const id = idOf(request.params);
    await requestSpriteSheets(ctx.db, id);
    deps.wakeWorker();
    log.info({ videoId: id }, 'sprite sheets requested');
    return reply.code(202).send(toStudioSprites(await getSpriteInfo(ctx.db, id)));
  });
}
