import fs from 'node:fs/promises';
import path from 'node:path';
import { publishedDir, workDir, type DataPaths } from './paths';

/** The archived copy of a video's published output: archive/{slug}/. */
export function archivedDir(paths: DataPaths, slug: string): string {
  return path.join(paths.archive, slug);
}

async function exists(target: string): Promise<boolean> {
  try {
    await fs.access(target);
    return true;
  } catch {
    return false;
  }
}

/** Moves a folder to a new place, replacing what was there; a missing source is no error. */
async function replaceFolder(from: string, to: string): Promise<boolean> {
  if (!(await exists(from))) return false;
  await fs.mkdir(path.dirname(to), { recursive: true });
  await fs.rm(to, { recursive: true, force: true });
  await fs.rename(from, to);
  return true;
}

/** Moves videos/{slug} to archive/{slug}; returns whether there was output to move. */
export function moveOutputToArchive(paths: DataPaths, slug: string): Promise<boolean> {
  return replaceFolder(publishedDir(paths, slug), archivedDir(paths, slug));
}

/** Moves archive/{slug} back to videos/{slug}; returns whether there was output to move. */
export function moveOutputFromArchive(paths: DataPaths, slug: string): Promise<boolean> {
  return replaceFolder(archivedDir(paths, slug), publishedDir(paths, slug));
}

/** The kept sources of a video: uploads/{id}.{ext}, whatever the extension. */
export async function findSourceFiles(paths: DataPaths, videoId: number): Promise<string[]> {
  const names = await fs.readdir(paths.uploads).catch(() => [] as string[]);
  const prefix = `${videoId}.`;
  return names
    .filter((name) => name.startsWith(prefix) && !name.slice(prefix.length).includes('.'))
    .map((name) => path.join(paths.uploads, name));
}

/** Removes every file a video owns: output, archive, sources and unfinished work. */
export async function removeAllVideoFiles(
  paths: DataPaths,
  video: { id: number; slug: string },
): Promise<void> {
  const targets = [
    publishedDir(paths, video.slug),
    archivedDir(paths, video.slug),
    workDir(paths, video.id),
    ...(await findSourceFiles(paths, video.id)),
  ];
  await Promise.all(targets.map((t) => fs.rm(t, { recursive: true, force: true })));
}
