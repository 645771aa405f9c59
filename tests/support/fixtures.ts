import { fileURLToPath } from 'node:url';
import path from 'node:path';

const repoRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** The shared folder sits beside the clone; VLOG_SHARED_DIR points elsewhere when it does not. */
export const sharedDir = path.resolve(
  process.env['VLOG_SHARED_DIR'] ?? path.join(repoRoot, '..', 'shared'),
);

/** Absolute path of one of the real media clips in shared/fixtures/media. */
export function fixturePath(name: string): string {
  return path.join(sharedDir, 'fixtures', 'media', name);
}

/** Absolute path of a script in shared/cases. */
export function casePath(name: string): string {
  return path.join(sharedDir, 'cases', name);
}
