import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createChapter,
  deleteChapter,
  listChapters,
  maxChaptersPerVideo,
  reorderChapters,
  replaceChapters,
  updateChapter,
  type ChapterRow,
} from '../../library/chapters';
import {
  chapterInputs,
  chaptersFromDescription,
  chaptersFromFile,
  type DetectedChapter,
} from '../../library/chapters-detect';
import { LibraryError, videoNotFound } from '../../library/errors';
import { findSourceFiles } from '../../library/video-files';
import { createLogger } from '../../log';
import { routes } from '../contract';
import {
  chapterAutoDetectRequestSchema,
  chapterCreateRequestSchema,
  chapterReorderRequestSchema,
  chapterUpdateRequestSchema,
  type Chapter,
  type ChapterAutoDetectResult,
  type ChapterList,
} from '../contract-editing';
import { parseInput } from '../http-errors';
import type { StudioRouteDeps } from './deps';

const log = createLogger('studio.chapters');
const maxId = 2 ** 31 - 1;
const idParams = z.object({ id: z.coerce.number().int().positive().max(maxId) });
const chapterParams = idParams.extend({
  chapter_id: z.coerce.number().int().positive().max(maxId),
});

/** A stored chapter as the API sends it. */
export function toChapterJson(row: ChapterRow): Chapter {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at?.toISOString() ?? null,
  };
}

const listOf = (rows: ChapterRow[]): ChapterList => ({ chapters: rows.map(toChapterJson) });

/** The studio's chapter routes: list, add, edit, delete, reorder and auto-detect. */
export function registerChapterRoutes(app: FastifyInstance, deps: StudioRouteDeps): void {
  const { db } = deps.ctx;
  const r = routes.studio;
  const idOf = (params: unknown) => parseInput(idParams, params).id;

  app.get(r.chapters, async (request) => listOf(await listChapters(db, idOf(request.params))));

  app.post(r.chapters, async (request, reply) => {
    const videoId = idOf(request.params);
    const body = parseInput(chapterCreateRequestSchema, request.body ?? {});
    const chapter = await createChapter(db, videoId, body);
    log.info({ videoId, chapterId: chapter.id }, 'chapter added');
    return reply.code(201).send(toChapterJson(chapter));
  });

  app.put(r.chapter, async (request) => {
    const { id, chapter_id: chapterId } = parseInput(chapterParams, request.params);
    const body = parseInput(chapterUpdateRequestSchema, request.body ?? {});
    return toChapterJson(await updateChapter(db, id, chapterId, body));
  });

  app.delete(r.chapter, async (request) => {
    const { id, chapter_id: chapterId } = parseInput(chapterParams, request.params);
    await deleteChapter(db, id, chapterId);
    log.info({ videoId: id, chapterId }, 'chapter deleted');
    return listOf(await listChapters(db, id));
  });

  app.post(r.chaptersReorder, async (request) => {
    const videoId = idOf(request.params);
    const body = parseInput(chapterReorderRequestSchema, request.body ?? {});
    return listOf(await reorderChapters(db, videoId, body.chapter_ids));
  });

  app.post(r.chaptersAutoDetect, async (request): Promise<ChapterAutoDetectResult> => {
    const videoId = idOf(request.params);
    const body = parseInput(chapterAutoDetectRequestSchema, request.body ?? {});
    const existing = await listChapters(db, videoId);
    if (existing.length > 0 && !body.replace) {
      throw new LibraryError(
        'CONFLICT',
        `This video already has ${existing.length} chapters. Send "replace": true to ` +
          'replace them with the detected ones.',
        { videoId },
      );
    }
    const { found, source } = await detectChapters(deps, videoId, body.source);
    if (found.length === 0) return { ...listOf(existing), source: 'none', found: 0 };
    const stored = await replaceChapters(db, videoId, chapterInputs(found, maxChaptersPerVideo));
    log.info({ videoId, source, count: stored.length }, 'chapters detected');
    return { ...listOf(stored), source, found: found.length };
  });
}

async function detectChapters(
  deps: StudioRouteDeps,
  videoId: number,
  where: 'metadata' | 'description' | 'both',
): Promise<{ found: DetectedChapter[]; source: 'metadata' | 'description' }> {
  const { db, paths, media } = deps.ctx;
  const video = await db
    .selectFrom('videos')
    .select(['id', 'description', 'duration'])
    .where('id', '=', videoId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!video) throw videoNotFound(videoId);
  const duration = video.duration ?? 0;
  if (where !== 'description') {
    const [source] = await findSourceFiles(paths, videoId);
    if (source) {
      const found = await chaptersFromFile(media, source, { log, durationSeconds: duration });
      if (found.length > 0) return { found, source: 'metadata' };
    } else if (where === 'metadata') {
      throw new LibraryError(
        'SOURCE_NOT_FOUND',
        'The uploaded file of this video is gone, so its chapter metadata cannot be read.',
        { videoId },
      );
    }
  }
  if (where === 'metadata') return { found: [], source: 'metadata' };
  return {
    found: chaptersFromDescription(video.description ?? '', duration),
    source: 'description',
  };
}
