import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapOrphanedFfmpeg } from '../../src-main/media/runner';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.resolve(here, '../../node_modules/.bin/tsx');
let pidDir: string;

beforeAll(async () => {
  pidDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-orphans-'));
});
afterAll(async () => {
  // Should the watchdog fail, the restart-time reaper still cleans up what the test left.
  reapOrphanedFfmpeg(pidDir);
  await rm(pidDir, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(
  check: () => boolean,
  ms: number,
  refresh: () => Promise<void> = async () => undefined,
): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await refresh();
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('ffmpeg children of a studio that crashes', () => {
  it('die with it instead of encoding on', async () => {
    const parent = spawn(tsx, [path.join(here, 'media-orphan-parent.ts'), pidDir], {
      stdio: 'ignore',
    });
    const died = new Promise((resolve) => parent.once('exit', resolve));
    let recorded: string[] = [];
    await waitFor(
      () => recorded.length > 0,
      10_000,
      async () => {
        recorded = await readdir(pidDir);
      },
    );
    expect(recorded).toHaveLength(1);
    const pid = Number(recorded[0]!.replace('.pid', ''));
    expect(await readFile(path.join(pidDir, recorded[0]!), 'utf8')).toContain('testsrc');
    expect(isAlive(pid)).toBe(true);

    // tsx reports its child's SIGKILL as exit code 137.
    expect(await died).toBe(137);
    expect(await waitFor(() => !isAlive(pid), 5000)).toBe(true);
  });
});
