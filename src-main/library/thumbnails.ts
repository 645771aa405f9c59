import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { StudioContext } from '../context';
import type { Logger } from '../log';
import { probeSource } from '../media/probe';
import {
  candidateTimestamps,
  CANDIDATE_PERCENTS,
  convertUploadedImage,
  extractFrame,
  makeRepresentativePoster,
} from '../media/thumbnails';
import { LibraryError, videoNotFound } from './errors';
import { publishedDir, type DataPaths } from './paths';
import { findSourceFiles } from './video-files';

type ThumbnailContext = Pick<StudioContext, 'db' | 'paths' | 'media'>;

export type ThumbnailSource = 'auto' | 'selected' | 'custom';

/** The poster file of a video: videos/{slug}/thumbnail.jpg. */
export const POSTER_NAME = 'thumbnail.jpg';
/** Where candidate frames are written, inside the video's folder. */
export const CANDIDATES_DIR = path.join('thumbnails', 'candidates');

/** What the studio shows of a video's poster after a change. */
export interface ThumbnailStateRow {
  slug: string;
  source: ThumbnailSource;
  timestamp: number | null;
  version: string | null;
}

/**
 * A short token that changes whenever the poster file does (its modification time and size),
 * so a URL carrying it is never served stale from a cache.
 */
export async function thumbnailVersion(paths: DataPaths, slug: string): Promise<string | null> {
  const info = await stat(path.join(publishedDir(paths, slug), POSTER_NAME)).catch(() => null);
  if (!info) return null;
  return `${Math.round(info.mtimeMs).toString(36)}${info.size.toString(36)}`;
}

/** Adds each video's poster version, for presenters that build thumbnail URLs. */
export async function withThumbnailVersions<T extends { slug: string }>(
  paths: DataPaths,
  videos: T[],
): Promise<Array<T & { thumbnail_version: string | null }>> {
  return Promise.all(
    videos.map(async (video) => ({
      ...video,
      thumbnail_version: await thumbnailVersion(paths, video.slug),
    })),
  );
}

interface ThumbnailVideo {
  id: number;
  slug: string;
  duration: number;
  thumbnailSource: ThumbnailSource;
  thumbnailTimestamp: number | null;
}

/** A live, ready video whose poster may change; anything else is a clear refusal. */
async function getVideoForThumbnail(db: Kysely<Database>, id: number): Promise<ThumbnailVideo> {
  const video = await db
    .selectFrom('videos')
    .select(['id', 'slug', 'status', 'duration', 'thumbnail_source', 'thumbnail_timestamp'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!video) throw videoNotFound(id);
  if (video.status !== 'ready') {
    throw new LibraryError(
      'INVALID_STATE',
      'The thumbnail can be changed once the video is ready.',
      { videoId: id, status: video.status },
    );
  }
  return {
    id: video.id,
    slug: video.slug,
    duration: video.duration ?? 0,
    thumbnailSource: toThumbnailSource(video.thumbnail_source),
    thumbnailTimestamp: video.thumbnail_timestamp,
  };
}

function toThumbnailSource(value: string | null): ThumbnailSource {
  return value === 'selected' || value === 'custom' ? value : 'auto';
}

async function sourceOf(ctx: ThumbnailContext, video: ThumbnailVideo, log: Logger) {
  const [input] = await findSourceFiles(ctx.paths, video.id);
  if (!input) {
    throw new LibraryError(
      'SOURCE_NOT_FOUND',
      'The uploaded file of this video is gone, so no frame can be taken from it.',
      { videoId: video.id },
    );
  }
  return { input, source: await probeSource(ctx.media, input, { log }) };
}

/** A candidate frame written under videos/{slug}/thumbnails/candidates/. */
export interface CandidateFrame {
  percent: number;
  timestamp: number;
  /** Path relative to the video's folder, for its URL. */
  relativePath: string;
}

/** Writes frames at 10, 25, 50, 75 and 90 % for the studio to choose from. */
export async function makeCandidateFrames(
  ctx: ThumbnailContext,
  videoId: number,
  log: Logger,
): Promise<CandidateFrame[]> {
  const video = await getVideoForThumbnail(ctx.db, videoId);
  const { input, source } = await sourceOf(ctx, video, log);
  const dir = path.join(publishedDir(ctx.paths, video.slug), CANDIDATES_DIR);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const frameRate = source.video?.frameRate ?? 30;
  const times = candidateTimestamps(source.durationSeconds, frameRate);
  const frames: CandidateFrame[] = [];
  for (const [i, timestamp] of times.entries()) {
    const percent = CANDIDATE_PERCENTS[i] ?? 0;
    const name = `frame-${String(percent).padStart(2, '0')}.jpg`;
    const taken = await extractFrame({
      tools: ctx.media,
      input,
      source,
      log,
      timestamp,
      outputPath: path.join(dir, name),
    });
    frames.push({ percent, timestamp: taken, relativePath: path.join(CANDIDATES_DIR, name) });
  }
  return frames;
}

/** Writes a new poster beside the old one, then swaps it in with one rename. */
async function replacePoster(
  paths: DataPaths,
  slug: string,
  write: (target: string) => Promise<unknown>,
): Promise<void> {
  const dir = publishedDir(paths, slug);
  await mkdir(dir, { recursive: true });
  const next = path.join(dir, `.${POSTER_NAME}.next.jpg`);
  try {
    await write(next);
    await rename(next, path.join(dir, POSTER_NAME));
  } finally {
    await rm(next, { force: true });
  }
}

async function recordThumbnail(
  db: Kysely<Database>,
  videoId: number,
  source: ThumbnailSource,
  timestamp: number | null,
): Promise<void> {
  await db
    .updateTable('videos')
    .set({ thumbnail_source: source, thumbnail_timestamp: timestamp })
    .where('id', '=', videoId)
    .execute();
}

async function stateOf(
  paths: DataPaths,
  slug: string,
  source: ThumbnailSource,
  timestamp: number | null,
): Promise<ThumbnailStateRow> {
  return { slug, source, timestamp, version: await thumbnailVersion(paths, slug) };
}

/** Makes the frame at any moment of the video its poster ('selected'). */
export async function selectThumbnailFrame(
  ctx: ThumbnailContext,
  videoId: number,
  timestamp: number,
  log: Logger,
): Promise<ThumbnailStateRow> {
  const video = await getVideoForThumbnail(ctx.db, videoId);
  if (timestamp > video.duration) {
    throw new LibraryError(
      'VALIDATION_FAILED',
      `Pick a moment between 0 and ${video.duration.toFixed(2)} s (the video's length).`,
      { videoId, timestamp },
    );
  }
  const { input, source } = await sourceOf(ctx, video, log);
  let taken = timestamp;
  await replacePoster(ctx.paths, video.slug, async (target) => {
    taken = await extractFrame({
      tools: ctx.media,
      input,
      source,
      log,
      timestamp,
      outputPath: target,
    });
  });
  await recordThumbnail(ctx.db, videoId, 'selected', taken);
  log.info({ videoId, timestamp: taken }, 'thumbnail frame selected');
  return stateOf(ctx.paths, video.slug, 'selected', taken);
}

/** Makes an uploaded image (already checked to be JPEG, PNG or WebP) the poster ('custom'). */
export async function setCustomThumbnail(
  ctx: ThumbnailContext,
  videoId: number,
  imagePath: string,
  log: Logger,
): Promise<ThumbnailStateRow> {
  const video = await getVideoForThumbnail(ctx.db, videoId);
  try {
    await replacePoster(ctx.paths, video.slug, (target) =>
      convertUploadedImage({ tools: ctx.media, input: imagePath, outputPath: target, log }),
    );
  } catch (error) {
    log.warn({ videoId, err: error }, 'uploaded thumbnail could not be converted');
    throw new LibraryError(
      'UNSUPPORTED_MEDIA',
      'This image could not be read. Upload a still JPEG, PNG or WebP picture.',
      { videoId },
    );
  }
  await recordThumbnail(ctx.db, videoId, 'custom', null);
  log.info({ videoId }, 'custom thumbnail set');
  return stateOf(ctx.paths, video.slug, 'custom', null);
}

/** Goes back to the automatic poster, made again from the source ('auto'). */
export async function revertThumbnail(
  ctx: ThumbnailContext,
  videoId: number,
  log: Logger,
): Promise<ThumbnailStateRow> {
  const video = await getVideoForThumbnail(ctx.db, videoId);
  const { input, source } = await sourceOf(ctx, video, log);
  await replacePoster(ctx.paths, video.slug, (target) =>
    makeRepresentativePoster({ tools: ctx.media, input, source, log, outputPath: target }),
  );
  await recordThumbnail(ctx.db, videoId, 'auto', null);
  log.info({ videoId }, 'thumbnail reverted to automatic');
  return stateOf(ctx.paths, video.slug, 'auto', null);
}
