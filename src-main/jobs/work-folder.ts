import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MediaError } from '../media/errors';
import { workDir, type DataPaths } from '../library/paths';
import { JobError } from './errors';

/** Where a job's verified renditions are described, inside an attempt folder; never published. */
const VERIFIED_DIR = '.verified';
const ATTEMPT_PREFIX = 'attempt-';

/** Files a transcode writes at the top of a published folder; anything else there is kept. */
const OWN_FILES = new Set(['master.m3u8', 'thumbnail.jpg', VERIFIED_DIR]);

/** Makes a fresh folder for one attempt under work/{video_id}/. */
export async function createAttemptFolder(
  paths: DataPaths,
  videoId: number,
  attemptNumber: number,
): Promise<string> {
  const suffix = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const folder = path.join(workDir(paths, videoId), `${ATTEMPT_PREFIX}${attemptNumber}-${suffix}`);
  await mkdir(path.join(folder, VERIFIED_DIR), { recursive: true });
  return folder;
}

/** The attempt number in an attempt folder's name (attempt-<n>-<suffix>). */
function attemptNumberOf(folder: string): number {
  const match = /^attempt-(\d+)-/.exec(path.basename(folder));
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
}

/**
 * The attempt folders an earlier run of this video's job left, newest first. Folders of a
 * later attempt are never returned: a stale worker that lost its lease must not take or
 * remove the output of the attempt that replaced it.
 */
export async function earlierAttemptFolders(
  paths: DataPaths,
  videoId: number,
  current: string,
): Promise<string[]> {
  const root = workDir(paths, videoId);
  const names = await readdir(root).catch(() => [] as string[]);
  const own = attemptNumberOf(current);
  const folders = names
    .filter((name) => name.startsWith(ATTEMPT_PREFIX))
    .map((name) => path.join(root, name))
    .filter((folder) => folder !== current && attemptNumberOf(folder) <= own);
  const withTimes = await Promise.all(
    folders.map(async (folder) => ({ folder, mtime: (await stat(folder)).mtimeMs })),
  );
  return withTimes.sort((a, b) => b.mtime - a.mtime).map((entry) => entry.folder);
}

/** Records that a rendition in an attempt folder was validated, with its description. */
export async function markRenditionVerified<T extends { name: string }>(
  attemptFolder: string,
  rendition: T,
): Promise<void> {
  const file = path.join(attemptFolder, VERIFIED_DIR, `${rendition.name}.json`);
  await writeFile(file, JSON.stringify(rendition));
}

/** Reads the description of a rendition an attempt folder marked verified, if it did. */
export async function readVerifiedRendition(attemptFolder: string, name: string): Promise<unknown> {
  const file = path.join(attemptFolder, VERIFIED_DIR, `${name}.json`);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Moves a verified rendition (its folder and its marker) from an earlier attempt into this one. */
export async function adoptRendition(from: string, to: string, name: string): Promise<void> {
  await rm(path.join(to, name), { recursive: true, force: true });
  await rename(path.join(from, name), path.join(to, name));
  await rename(
    path.join(from, VERIFIED_DIR, `${name}.json`),
    path.join(to, VERIFIED_DIR, `${name}.json`),
  );
}

/** Removes everything a video's jobs wrote under work/. */
export async function removeWorkFolder(paths: DataPaths, videoId: number): Promise<void> {
  await rm(workDir(paths, videoId), { recursive: true, force: true });
}

/** Removes one attempt folder (a failed attempt's partial output). */
export async function removeAttemptFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}

/**
 * Fails with NO_SPACE before a transcode starts when the disk holding work/ has less than
 * about three times the source's size free: HLS output of every rendition together with
 * the published copy it replaces can take that much.
 */
export async function ensureFreeSpace(folder: string, sourceBytes: number): Promise<void> {
  const stats = await statfs(folder);
  const free = stats.bavail * stats.bsize;
  const needed = sourceBytes * 3;
  if (free >= needed) return;
  throw new MediaError(
    'NO_SPACE',
    `Not enough free disk space to transcode this video: about ${formatBytes(needed)} is ` +
      `needed in ${folder} but only ${formatBytes(free)} is free. Free some space, then retry.`,
    { retryable: false, detail: { folder, freeBytes: free, neededBytes: needed } },
  );
}

/** A size in the unit a person reads at a glance: MB below a gigabyte, GB above. */
function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${Math.ceil(bytes / 1e6)} MB`;
}

async function exists(target: string): Promise<boolean> {
  return stat(target).then(
    () => true,
    () => false,
  );
}

/**
 * Moves what an older published folder holds that this transcode does not make (sprite
 * sheets, captions, a chosen poster) into the new output, so a retranscode keeps them.
 */
async function carryOver(
  oldFolder: string,
  newFolder: string,
  renditionNames: ReadonlySet<string>,
  keepPoster: boolean,
): Promise<void> {
  for (const name of await readdir(oldFolder)) {
    const own = OWN_FILES.has(name) || renditionNames.has(name);
    const isOldRendition = await exists(path.join(oldFolder, name, 'playlist.m3u8'));
    const keep = (name === 'thumbnail.jpg' && keepPoster) || (!own && !isOldRendition);
    if (!keep) continue;
    await rm(path.join(newFolder, name), { recursive: true, force: true });
    await rename(path.join(oldFolder, name), path.join(newFolder, name));
  }
}

/**
 * Publishes a finished attempt folder as videos/{slug}/ by renames only, so a viewer sees
 * the old output or the new, never a mix: an older folder is renamed aside into work/,
 * the new one renamed in, then the old one removed.
 */
export async function publishAttempt(options: {
  paths: DataPaths;
  videoId: number;
  attemptFolder: string;
  target: string;
  renditionNames: ReadonlySet<string>;
  keepPoster: boolean;
}): Promise<void> {
  const { attemptFolder, target } = options;
  await rm(path.join(attemptFolder, VERIFIED_DIR), { recursive: true, force: true });
  await mkdir(path.dirname(target), { recursive: true });
  try {
    if (!(await exists(target))) {
      await rename(attemptFolder, target);
      return;
    }
    await carryOver(target, attemptFolder, options.renditionNames, options.keepPoster);
    const aside = path.join(workDir(options.paths, options.videoId), `replaced-${Date.now()}`);
    await rename(target, aside);
    await rename(attemptFolder, target);
    await rm(aside, { recursive: true, force: true });
  } catch (error) {
    throw new JobError('PUBLISH_FAILED', `The finished video could not be moved into ${target}.`, {
      retryable: true,
      context: { target, attemptFolder },
      cause: error,
    });
  }
}

/** Finds the kept source of a video, uploads/{video_id}.{ext}, whatever its extension. */
export async function findSourceFile(paths: DataPaths, videoId: number): Promise<string> {
  const names = await readdir(paths.uploads).catch(() => [] as string[]);
  const name = names.find((entry) => entry.startsWith(`${videoId}.`) && !entry.endsWith('.part'));
  if (name) return path.join(paths.uploads, name);
  throw new JobError(
    'SOURCE_MISSING',
    `The uploaded file of this video is missing from ${paths.uploads}. Upload the video again.`,
    { retryable: false, context: { videoId } },
  );
}
