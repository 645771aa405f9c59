import { spawn } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type RunningStudio } from '../../src-main/main';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { fixturePath } from '../support/fixtures';

const password = 'correct horse battery staple';
let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase('jobs_studio');
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-studio-'));
});

afterAll(async () => {
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function studioEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    VLOG_DATA_DIR: dataDir,
    VLOG_DATABASE_URL: database.url,
    VLOG_PUBLIC_HOST: '127.0.0.1',
    VLOG_PUBLIC_PORT: '0',
    VLOG_ADMIN_PORT: '0',
    VLOG_ADMIN_PASSWORD: password,
    VLOG_FFMPEG_PATH: process.env['VLOG_FFMPEG_PATH'] ?? '',
    VLOG_FFPROBE_PATH: process.env['VLOG_FFPROBE_PATH'] ?? '',
    VLOG_LOG_LEVEL: 'warn',
    ...extra,
  };
}

async function waitForStatus(studio: RunningStudio, id: number, status: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${studio.addresses.studioUrl}/api/videos/${id}`, {
      headers: { 'X-Admin-Secret': password },
    });
    const video = (await response.json()) as { status: string; error_message: string | null };
    if (video.status === status) return;
    if (video.status === 'failed') throw new Error(`video failed: ${video.error_message}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`video ${id} never became ${status}`);
}

describe('the studio core', () => {
  it('starts every part, turns an upload into a published video, and stops cleanly', async () => {
    const studio = await startStudio({ env: studioEnv(), quiet: true });
    try {
      const { studioUrl, publicUrl } = studio.addresses;
      expect(studioUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      for (const url of [studioUrl, publicUrl]) {
        const health = await fetch(`${url}/health`);
        expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok' });
      }

      const form = new FormData();
      form.append('title', 'Bug on a leaf');
      form.append('file', await openAsBlob(fixturePath('bug_video_640.mp4')), 'bug.mp4');
      const upload = await fetch(`${studioUrl}/api/videos`, {
        method: 'POST',
        headers: { 'X-Admin-Secret': password },
        body: form,
      });
      expect(upload.status).toBe(201);
      const video = (await upload.json()) as { id: number; slug: string };
      await waitForStatus(studio, video.id, 'ready');

      const master = await fetch(`${publicUrl}/videos/${video.slug}/master.m3u8`);
      expect(master.status).toBe(200);
      expect(await master.text()).toMatch(/#EXT-X-STREAM-INF/);
    } finally {
      await studio.stop();
    }
    const probe = await fetch(`${studio.addresses.studioUrl}/health`).catch(() => null);
    expect(probe).toBeNull();
    expect(await readdir(path.join(dataDir, 'work'))).toEqual([]);
  });
});

async function holdPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the headless entry', () => {
  it('exits non-zero with one line naming the variable when a port is taken', async () => {
    const taken = await holdPort();
    try {
      const child = spawn('npx', ['tsx', 'src-main/serve.ts'], {
        env: { ...process.env, ...studioEnv({ VLOG_ADMIN_PORT: String(taken.port) }) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).not.toBe(0);
      // Node's own process warnings (deprecations in dependencies) are not the studio's words.
      const lines = stderr
        .trim()
        .split('\n')
        .filter((line) => !/^\(node:\d+\)|^\(Use `node/.test(line));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`${taken.port}.*already in use.*VLOG_ADMIN_PORT`));
    } finally {
      await taken.close();
    }
  });
});
