import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { LibraryError } from './errors';
import { sourcePath, type DataPaths } from './paths';
import { safeExtension } from './slugs';
import { retranscodeVideo } from './video-lifecycle';

/** A new source fully received under a temporary name in uploads/. */
export interface IncomingSource {
  path: string;
  fileName: string;
}

/**
 * Puts the new source at uploads/{id}.{ext} in one rename, then removes a kept source with
 * another extension, so the job finds exactly one source: the new one.
 */
async function placeSource(paths: DataPaths, videoId: number, incoming: IncomingSource) {
  const target = sourcePath(paths, videoId, safeExtension(incoming.fileName));
  await fs.rename(incoming.path, target);
  const names = await fs.readdir(paths.uploads);
  for (const name of names) {
    const old = path.join(paths.uploads, name);
    if (name.startsWith(`${videoId}.`) && old !== target) await fs.rm(old, { force: true });
  }
}

/**
 * Replaces a video's source with a received file and transcodes it again; the published output
 * stays online until the new one replaces it. The temporary file is gone afterwards either way.
 */
export async function replaceVideoSource(
  db: Kysely<Database>,
  paths: DataPaths,
  videoId: number,
  incoming: IncomingSource,
) {
  try {
    const stat = await fs.stat(incoming.path);
    if (stat.size === 0) {
      throw new LibraryError('UNSUPPORTED_MEDIA', 'The file is empty: choose the video again.', {
        videoId,
        fileName: incoming.fileName,
      });
    }
    return await retranscodeVideo(db, videoId, {
      prepare: () => placeSource(paths, videoId, incoming),
    });
  } finally {
    await fs.rm(incoming.path, { force: true });
  }
}
