import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  deleteCaptions,
  getTranscript,
  importCaptionFile,
  saveCaptions,
  type TranscriptState,
} from '../../library/captions';
import { createLogger } from '../../log';
import { pathFor, routes } from '../contract';
import {
  transcriptUpdateRequestSchema,
  type Transcript,
  type TranscriptUploadResult,
} from '../contract-editing';
import { HttpError, parseInput } from '../http-errors';
import type { StudioRouteDeps } from './deps';

const log = createLogger('studio.captions');
const idParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

/** The largest caption file the studio takes. */
export const maxCaptionFileBytes = 5 * 1024 * 1024;

const languageField = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'use a language code such as "en"')
  .optional();

async function toTranscriptJson(
  state: TranscriptState,
  slug: () => Promise<string>,
): Promise<Transcript> {
  const hasFile = state.status === 'completed' && state.cues.length > 0;
  return {
    ...state,
    completed_at: state.completed_at?.toISOString() ?? null,
    vtt_url: hasFile ? pathFor(routes.media.captionsVtt, { slug: await slug() }) : null,
  };
}

/** Reads the one caption file of a multipart request into memory (it is small). */
async function receiveCaptionFile(request: FastifyRequest) {
  if (!request.isMultipart()) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA',
      'Upload the caption file as multipart/form-data in a field named "file".',
    );
  }
  const fields: Record<string, string> = {};
  let file: { name: string; bytes: Buffer } | undefined;
  for await (const part of request.parts({ limits: { fileSize: maxCaptionFileBytes } })) {
    if (part.type === 'field') {
      if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      continue;
    }
    if (part.fieldname !== 'file' || file) {
      part.file.resume();
      throw new HttpError(400, 'BAD_REQUEST', 'Send one caption file in the field "file".');
    }
    file = { name: part.filename, bytes: await part.toBuffer() };
  }
  if (!file) throw new HttpError(400, 'BAD_REQUEST', 'The upload has no "file" field.');
  if (!/\.(vtt|srt)$/i.test(file.name)) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA',
      `"${file.name}" is not a caption file. Upload a .vtt (WebVTT) or .srt (SubRip) file.`,
    );
  }
  const language = parseInput(z.object({ language: languageField }), fields).language;
  return { ...file, language };
}

/** The studio's caption routes: read, edit and delete the transcript, upload a caption file. */
export function registerCaptionRoutes(app: FastifyInstance, deps: StudioRouteDeps): void {
  const { db, paths } = deps.ctx;
  const r = routes.studio;
  const idOf = (params: unknown) => parseInput(idParams, params).id;
  const slugOf = (videoId: number) => async () =>
    (
      await db
        .selectFrom('videos')
        .select('slug')
        .where('id', '=', videoId)
        .executeTakeFirstOrThrow()
    ).slug;

  app.get(r.transcript, async (request) => {
    const videoId = idOf(request.params);
    return toTranscriptJson(await getTranscript(db, paths, videoId), slugOf(videoId));
  });

  app.put(r.transcript, async (request) => {
    const videoId = idOf(request.params);
    const body = parseInput(transcriptUpdateRequestSchema, request.body);
    const input = Array.isArray(body) ? { cues: body } : body;
    const state = await saveCaptions(db, paths, videoId, input);
    log.info({ videoId, cues: input.cues.length }, 'captions saved');
    return toTranscriptJson(state, slugOf(videoId));
  });

  app.delete(r.transcript, async (request) => {
    const videoId = idOf(request.params);
    await deleteCaptions(db, paths, videoId);
    log.info({ videoId }, 'captions deleted');
    return toTranscriptJson(await getTranscript(db, paths, videoId), slugOf(videoId));
  });

  app.post(r.transcriptUpload, async (request): Promise<TranscriptUploadResult> => {
    const videoId = idOf(request.params);
    const file = await receiveCaptionFile(request);
    const result = await importCaptionFile(db, paths, videoId, file);
    log.info(
      {
        videoId,
        encoding: result.encoding,
        format: result.format,
        cues: result.transcript.cues.length,
      },
      'caption file uploaded',
    );
    return {
      ...(await toTranscriptJson(result.transcript, slugOf(videoId))),
      detected_encoding: result.encoding,
      source_format: result.format,
    };
  });
}
