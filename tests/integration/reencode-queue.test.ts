import { execFile } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorker, type LocalWorker } from '../../src-main/jobs/local-worker';
import { publishedDir } from '../../src-main/library/paths';
import { createLogger } from '../../src-main/log';
import { locateMediaTools, type MediaTools } from '../../src-main/media/tools';
import { pathFor, routes } from '../../src-main/server/contract';
import { startTestStudio, testPassword, type TestStudio } from './server-harness';

const execFileAsync = promisify(execFile);
const log = createLogger('test.reencode');
log.level = 'warn';
const admin = { 'X-Admin-Secret': testPassword };
const json = { ...admin, 'content-type': 'application/json' };

interface Item {
  id: number;
  video_id: number;
  status: string;
  priority: string;
  target_format: string;
  target_codec: string;
  started_at: string | null;
  error_message: string | null;
}

let studio: TestStudio;
let media: MediaTools;
let clipDir: string;
let worker: LocalWorker | undefined;

beforeAll(async () => {
  studio = await startTestStudio();
  media = await locateMediaTools({
    ffmpegPath: process.env['VLOG_FFMPEG_PATH'],
    ffprobePath: process.env['VLOG_FFPROBE_PATH'],
  });
  clipDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-reencode-'));
});

afterAll(async () => {
  await worker?.stop();
  await studio?.stop();
  if (clipDir) await rm(clipDir, { recursive: true, force: true });
});

function startWorker(): Promise<LocalWorker> {
  return startLocalWorker(
    { ...studio.ctx, media },
    { log, workerId: '00000000-0000-4000-8000-00000000c003', pollIntervalMs: 200 },
  );
}

async function upload(title: string): Promise<{ id: number; slug: string }> {
  const file = path.join(clipDir, `${title}.mp4`);
  await execFileAsync(media.ffmpegPath, [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=24:d=1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file],
  ]);
  const form = new FormData();
  form.append('title', title);
  form.append('file', await openAsBlob(file), `${title}.mp4`);
  const response = await fetch(studio.servers.studioUrl + routes.studio.videos, {
    method: 'POST',
    headers: admin,
    body: form,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; slug: string };
}

async function send(method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(studio.servers.studioUrl + url, {
    method,
    headers: body === undefined ? admin : json,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

async function queue(): Promise<Item[]> {
  const response = await send('GET', routes.studio.reencode);
  return ((await response.json()) as { items: Item[] }).items;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the re-encode queue', () => {
  it('runs high priority first, moves videos to the target format, cancels and fails', async () => {
    worker = await startWorker();
    const low = await upload('low');
    const high = await upload('high');
    const cancelled = await upload('cancelled');
    const broken = await upload('broken');
    await until(
      () => studio.ctx.db.selectFrom('videos').select('status').execute(),
      (rows) => rows.every((row) => row.status === 'ready'),
    );
    await worker.stop();
    worker = undefined;

    const target = { target_format: 'cmaf', target_codec: 'h264' };
    const enqueue = (body: object) => send('POST', routes.studio.reencode, body);
    expect((await enqueue({ ...target, video_id: low.id, priority: 'low' })).status).toBe(201);
    expect((await enqueue({ ...target, video_id: high.id, priority: 'high' })).status).toBe(201);
    const third = await enqueue({ ...target, video_id: cancelled.id });
    const [cancelItem] = ((await third.json()) as { items: Item[] }).items;
    expect((await enqueue({ ...target, video_id: broken.id, priority: 'low' })).status).toBe(201);
    expect((await enqueue({ video_id: 999_999 })).status).toBe(404);
    expect((await enqueue({ target_codec: 'vp9', all: true })).status).toBe(400);
    // Asking for every video adds none that is already waiting.
    const all = await enqueue({ all: true });
    expect(((await all.json()) as { items: Item[] }).items).toEqual([]);

    const cancel = await send(
      'DELETE',
      pathFor(routes.studio.reencodeItem, { id: cancelItem!.id }),
    );
    expect(((await cancel.json()) as Item).status).toBe('cancelled');
    const again = await send('DELETE', pathFor(routes.studio.reencodeItem, { id: cancelItem!.id }));
    expect(again.status).toBe(409);
    expect((await queue()).map((item) => item.video_id)).toEqual([
      high.id,
      low.id,
      broken.id,
      cancelled.id,
    ]);
    for (const name of await readdir(studio.ctx.paths.uploads)) {
      if (name.startsWith(`${broken.id}.`)) await rm(path.join(studio.ctx.paths.uploads, name));
    }

    worker = await startWorker();
    const settled = await until(queue, (items) =>
      items.every((item) => !['pending', 'in_progress'].includes(item.status)),
    );
    const byVideo = new Map(settled.map((item) => [item.video_id, item]));
    expect(byVideo.get(high.id)?.status).toBe('completed');
    expect(byVideo.get(low.id)?.status).toBe('completed');
    expect(byVideo.get(cancelled.id)?.status).toBe('cancelled');
    expect(byVideo.get(broken.id)).toMatchObject({ status: 'failed' });
    expect(byVideo.get(broken.id)?.error_message).toMatch(/missing/);
    const started = (id: number) => Date.parse(byVideo.get(id)?.started_at ?? '');
    expect(started(high.id)).toBeLessThan(started(low.id));

    for (const video of [low, high]) {
      const master = await readFile(
        path.join(publishedDir(studio.ctx.paths, video.slug), 'master.m3u8'),
        'utf8',
      );
      expect(master).toMatch(/avc1\./);
      // CMAF now: fragmented MP4 segments where the first transcode wrote MPEG-TS ones.
      const files = await readdir(publishedDir(studio.ctx.paths, video.slug), { recursive: true });
      expect(files.some((name) => name.endsWith('.m4s'))).toBe(true);
      expect(files.some((name) => name.endsWith('.ts'))).toBe(false);
      const row = await studio.ctx.db
        .selectFrom('videos')
        .select(['status', 'streaming_format', 'primary_codec'])
        .where('id', '=', video.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'ready', streaming_format: 'cmaf', primary_codec: 'h264' });
    }
  }, 60_000);
});
