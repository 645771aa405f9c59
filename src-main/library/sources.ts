import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { LibraryError } from './errors';
import { sourcePath, type DataPaths } from './paths';
import { safeExtension } from './slugs';
import { createVideoWithJob, type CreatedVideo, type NewVideoInput } from './videos';

/** Container extensions a source may have; what is inside is decided later by probing it. */
const sourceExtensions = new Set(
  (
    'mp4 m4v mov qt mkv webm avi wmv asf flv mpg mpeg m2v ts mts m2ts 3gp 3g2 ogv ogg mxf vob ' +
    'dv y4m h264 264 h265 265 hevc mp3 m4a aac wav flac opus oga'
  ).split(' '),
);

/** Whether a file may be a video source, judged by its extension or declared media type. */
export function isAcceptedSource(fileName: string, mimeType?: string): boolean {
  const ext = path.extname(fileName).slice(1).toLowerCase();
  if (sourceExtensions.has(ext)) return true;
  return mimeType !== undefined && /^(video|audio)\//.test(mimeType);
}

/** Refuses a file that cannot be a video source with UNSUPPORTED_MEDIA. */
export function assertAcceptedSource(fileName: string, mimeType?: string): void {
  if (!isAcceptedSource(fileName, mimeType)) {
    throw new LibraryError(
      'UNSUPPORTED_MEDIA',
      `"${path.basename(fileName)}" is not a video file the studio can import ` +
        '(for example .mp4, .mov, .mkv or .webm).',
      { fileName, mimeType },
    );
  }
}

/**
 * A temporary name inside uploads/ for a source still arriving; it cannot collide with the
 * uploads/{video_id}.{ext} names of kept sources.
 */
export async function incomingSourcePath(paths: DataPaths, fileName: string): Promise<string> {
  await fs.mkdir(paths.uploads, { recursive: true });
  return path.join(paths.uploads, `.incoming-${randomUUID()}.${safeExtension(fileName)}`);
}

/**
 * Turns a fully received file into a library video: the row, its job and uploads/{id}.{ext}
 * appear together or not at all. The temporary file is gone afterwards either way.
 */
export async function adoptIncomingSource(
  db: Kysely<Database>,
  paths: DataPaths,
  incomingPath: string,
  input: NewVideoInput,
): Promise<CreatedVideo> {
  let placedAt: string | undefined;
  try {
    const stat = await fs.stat(incomingPath);
    if (stat.size === 0) {
      throw new LibraryError('UNSUPPORTED_MEDIA', 'The file is empty: choose the video again.', {
        fileName: input.fileName,
      });
    }
    return await createVideoWithJob(db, input, async (video) => {
      const target = sourcePath(paths, video.id, safeExtension(input.fileName));
      await fs.rename(incomingPath, target);
      placedAt = target;
    });
  } catch (error) {
    // The transaction rolled back: remove the file it would have owned, wherever it is now.
    await fs.rm(incomingPath, { force: true });
    if (placedAt) await fs.rm(placedAt, { force: true });
    throw error;
  }
}

/** Copies a file from the creator's disk (a drop in the desktop app) into the library. */
export async function importLocalSource(
  db: Kysely<Database>,
  paths: DataPaths,
  input: Omit<NewVideoInput, 'fileName'> & { localPath: string },
): Promise<CreatedVideo> {
  const localPath = input.localPath;
  const stat = await fs.stat(localPath).catch(() => undefined);
  if (!path.isAbsolute(localPath) || !stat?.isFile()) {
    throw new LibraryError('SOURCE_NOT_FOUND', `No file exists at ${localPath}.`, { localPath });
  }
  assertAcceptedSource(localPath);
  const incoming = await incomingSourcePath(paths, localPath);
  try {
    await fs.copyFile(localPath, incoming);
  } catch (error) {
    await fs.rm(incoming, { force: true });
    throw error;
  }
  return adoptIncomingSource(db, paths, incoming, { ...input, fileName: path.basename(localPath) });
}
