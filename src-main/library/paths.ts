import path from 'node:path';

/** Where everything lives inside the data folder (VLOG_DATA_DIR). */
export interface DataPaths {
  root: string;
  postgres: string;
  uploads: string;
  videos: string;
  archive: string;
  /** Output being written; moved into videos/ only when complete. */
  work: string;
}

export function dataPaths(root: string): DataPaths {
  return {
    root,
    postgres: path.join(root, 'postgres'),
    uploads: path.join(root, 'uploads'),
    videos: path.join(root, 'videos'),
    archive: path.join(root, 'archive'),
    work: path.join(root, 'work'),
  };
}

/** The kept source of a video: uploads/{video_id}.{ext}. */
export function sourcePath(paths: DataPaths, videoId: number, extension: string): string {
  const ext = extension.replace(/^\./, '').toLowerCase() || 'bin';
  return path.join(paths.uploads, `${videoId}.${ext}`);
}

/** The published output folder of a video: videos/{slug}/. */
export function publishedDir(paths: DataPaths, slug: string): string {
  return path.join(paths.videos, slug);
}

/** The private folder a job writes a video's output into before publishing it. */
export function workDir(paths: DataPaths, videoId: number): string {
  return path.join(paths.work, String(videoId));
}
