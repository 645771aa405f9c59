import { execFile } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNextTranscodingJob } from '../../src-main/jobs/claims';
import { runTranscodeJob } from '../../src-main/jobs/transcode-job';
import { publishedDir } from '../../src-main/library/paths';
import { createLogger } from '../../src-main/log';
import { locateMediaTools, type MediaTools } from '../../src-main/media/tools';
import { pathFor, routes } from '../../src-main/server/contract';
import { fixturePath } from '../support/fixtures';
import { startTestStudio, testPassword, type TestStudio } from './server-harness';

const execFileAsync = promisify(execFile);
const log = createLogger('test.retranscode');
log.level = 'warn';
const worker = {
  workerId: '00000000-0000-4000-8000-00000000b002',
  workerName: 'retranscode test',
  leaseSeconds: 60,
};
const admin = { 'X-Admin-Secret': testPassword };

let studio: TestStudio;
let media: MediaTools;
let clipDir: string;

beforeAll(async () => {
  studio = await startTestStudio();
  media = await locateMediaTools({
    ffmpegPath: process.env['VLOG_FFMPEG_PATH'],
    ffprobePath: process.env['VLOG_FFPROBE_PATH'],
  });
  clipDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-retranscode-'));
});

afterAll(async () => {
  await studio?.stop();
  if (clipDir) await rm(clipDir, { recursive: true, force: true });
});

/** A 1 s 320x240 clip with sound, made with lavfi so the test stays fast. */
async function makeClip(name: string): Promise<string> {
  const file = path.join(clipDir, name);
  await execFileAsync(media.ffmpegPath, [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=24:d=1'],
    ...['-f', 'lavfi', '-i', 'sine=f=440:d=1', '-c:v', 'libx264', '-preset', 'ultrafast'],
    ...['-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file],
  ]);
  return file;
}

/** The first second of a shared fixture, stream-copied: same picture size, a faster test. */
async function shortFixture(name: string): Promise<string> {
  const file = path.join(clipDir, `short-${name}`);
  await execFileAsync(media.ffmpegPath, [
    ...['-v', 'error', '-y', '-i', fixturePath(name), '-t', '1', '-c', 'copy', file],
  ]);
  return file;
}

async function uploadClip(file: string, title: string): Promise<{ id: number; slug: string }> {
  const form = new FormData();
  form.append('title', title);
  form.append('file', await openAsBlob(file), path.basename(file));
  const upload = await fetch(studio.servers.studioUrl + routes.studio.videos, {
    method: 'POST',
    headers: admin,
    body: form,
  });
  expect(upload.status).toBe(201);
  return (await upload.json()) as { id: number; slug: string };
}

/** Claims the next job (its video turns processing) and returns a function that runs it. */
async function claimJob(): Promise<() => Promise<string>> {
  const claim = await claimNextTranscodingJob(studio.ctx.db, worker);
  expect(claim).not.toBeNull();
  return async () => {
    const outcome = await runTranscodeJob({ ...studio.ctx, media }, claim!, {
      workerName: worker.workerName,
      log,
      signal: new AbortController().signal,
    });
    return outcome.outcome;
  };
}

async function studioVideo(id: number): Promise<{ status: string; slug: string }> {
  const response = await fetch(studio.servers.studioUrl + pathFor(routes.studio.video, { id }), {
    headers: admin,
  });
  return (await response.json()) as { status: string; slug: string };
}

/** What a viewer sees: whether the public API lists it and whether its master is served. */
async function viewerSees(slug: string): Promise<{ listed: boolean; master: number }> {
  const base = studio.servers.publicUrl;
  const list = (await (await fetch(base + routes.public.videos)).json()) as {
    videos: { slug: string }[];
  };
  const master = await fetch(base + pathFor(routes.media.master, { slug }));
  await master.arrayBuffer();
  return { listed: list.videos.some((v) => v.slug === slug), master: master.status };
}

describe('a re-transcode of a ready video', () => {
  it('keeps the old output listed and served until the new output replaces it', async () => {
    const { id, slug } = await uploadClip(await makeClip('bars.mp4'), 'Colour bars');
    expect(await viewerSees(slug)).toEqual({ listed: false, master: 404 });
    expect(await (await claimJob())()).toBe('ready');
    expect(await viewerSees(slug)).toEqual({ listed: true, master: 200 });
    const before = await stat(publishedDir(studio.ctx.paths, slug));

    const again = await fetch(
      studio.servers.studioUrl + pathFor(routes.studio.retranscode, { id }),
      { method: 'POST', headers: admin },
    );
    expect(again.status).toBe(200);
    expect((await studioVideo(id)).status).toBe('pending');
    expect(await viewerSees(slug)).toEqual({ listed: true, master: 200 });

    const run = await claimJob();
    expect((await studioVideo(id)).status).toBe('processing');
    expect(await viewerSees(slug)).toEqual({ listed: true, master: 200 });
    expect(await run()).toBe('ready');

    expect((await studioVideo(id)).status).toBe('ready');
    expect(await viewerSees(slug)).toEqual({ listed: true, master: 200 });
    // The job published a new folder in one rename: a different directory now holds the output.
    const after = await stat(publishedDir(studio.ctx.paths, slug));
    expect(after.ino).not.toBe(before.ino);
  }, 60_000);
});

describe('replacing the source of a video', () => {
  it('swaps uploads/{id}.{ext} and re-transcodes to the new picture size', async () => {
    const { id, slug } = await uploadClip(await shortFixture('flower.mp4'), 'Flower');
    expect(await (await claimJob())()).toBe('ready');
    expect(await studioVideo(id)).toMatchObject({ source_width: 960, source_height: 540 });

    const form = new FormData();
    form.append('file', await openAsBlob(await shortFixture('friday.mp4')), 'friday.mov');
    const url = studio.servers.studioUrl + pathFor(routes.studio.replaceSource, { id });
    const replaced = await fetch(url, { method: 'POST', headers: admin, body: form });
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as { status: string }).status).toBe('pending');
    // One kept source, the new one (its extension differs, so the old file had to go).
    const kept = (await readdir(studio.ctx.paths.uploads)).filter((n) => n.startsWith(`${id}.`));
    expect(kept).toEqual([`${id}.mov`]);
    expect(await viewerSees(slug)).toEqual({ listed: true, master: 200 });

    expect(await (await claimJob())()).toBe('ready');
    const video = (await studioVideo(id)) as unknown as {
      status: string;
      source_width: number;
      source_height: number;
      qualities: { height: number }[];
    };
    expect(video).toMatchObject({ status: 'ready', source_width: 640, source_height: 480 });
    expect(Math.max(...video.qualities.map((q) => q.height))).toBeLessThanOrEqual(480);
    expect(await viewerSees(slug)).toEqual({ listed: true, master: 200 });
  }, 60_000);

  it('refuses a replacement while the video is being transcoded, leaving its source', async () => {
    const { id } = await uploadClip(await makeClip('busy.mp4'), 'Busy');
    const form = new FormData();
    form.append('file', await openAsBlob(await makeClip('other.mp4')), 'other.mkv');
    const url = studio.servers.studioUrl + pathFor(routes.studio.replaceSource, { id });
    const refused = await fetch(url, { method: 'POST', headers: admin, body: form });
    expect(refused.status).toBe(409);
    const names = await readdir(studio.ctx.paths.uploads);
    expect(names.filter((n) => n.startsWith(`${id}.`))).toEqual([`${id}.mp4`]);
    expect(names.filter((n) => n.startsWith('.incoming-'))).toEqual([]);
    expect(await (await claimJob())()).toBe('ready');
  }, 60_000);
});
