import { execFile } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntilReady } from './support/api';
import { launchChromium } from './support/browser';
import { startStudio, type RunningStudio } from './support/studio';

const execFileAsync = promisify(execFile);
const password = 'formats e2e password long enough';
const ffmpeg = process.env['VLOG_FFMPEG_PATH'] || '/usr/bin/ffmpeg';

let studio: RunningStudio;
let browser: Browser;
let work: string;

/** A small clip with a tone; AV1 gets a smaller one to stay quick on two cores. */
async function makeClip(name: string, size: string, seconds: number): Promise<string> {
  const file = path.join(work, name);
  await execFileAsync(ffmpeg, [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', file],
  ]);
  return file;
}

async function upload(file: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('title', `${fields['streaming_format']} ${fields['primary_codec']}`);
  form.append('file', await openAsBlob(file), path.basename(file));
  const response = await fetch(`${studio.studioUrl}/api/videos`, {
    method: 'POST',
    headers: { 'X-Admin-Secret': password },
    body: form,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; slug: string };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vlog-e2e-formats-'));
  studio = await startStudio({ VLOG_ADMIN_PASSWORD: password, VLOG_FFMPEG_PATH: ffmpeg });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
  await rm(work, { recursive: true, force: true });
});

/** Plays the watch page muted; returns decoded frames, picture width and segment folders used. */
async function play(slug: string) {
  const page = await browser.newPage();
  const folders = new Set<string>();
  page.on('request', (request) => {
    const match = /\/videos\/[^/]+\/([^/]+)\/[^/]+\.(m4s|ts|mp4)$/.exec(request.url());
    if (match?.[1]) folders.add(match[1]);
  });
  await page.goto(`${studio.viewerUrl}/watch/${slug}`);
  const player = page.getByTestId('video-player');
  await player.waitFor({ state: 'visible' });
  await player.evaluate((el: HTMLVideoElement) => {
    el.muted = true;
    return el.play();
  });
  await expect
    .poll(
      () =>
        player.evaluate((el: HTMLVideoElement) => el.getVideoPlaybackQuality().totalVideoFrames),
      { timeout: 60_000, interval: 250 },
    )
    .toBeGreaterThan(5);
  const state = await player.evaluate((el: HTMLVideoElement) => ({
    width: el.videoWidth,
    frames: el.getVideoPlaybackQuality().totalVideoFrames,
    hevc: MediaSource.isTypeSupported('video/mp4; codecs="hvc1.1.6.L60.90"'),
    av1: MediaSource.isTypeSupported('video/mp4; codecs="av01.0.00M.08"'),
  }));
  await page.close();
  return { ...state, folders: [...folders] };
}

describe('every format and codec plays in chromium through hls.js', () => {
  const cases: Array<[string, string, string]> = [
    ['hls_ts', 'h264', '640x360'],
    ['cmaf', 'h264', '640x360'],
    ['cmaf', 'hevc', '640x360'],
    ['cmaf', 'av1', '320x180'],
  ];
  const uploaded = new Map<string, { id: number; slug: string }>();

  beforeAll(async () => {
    for (const [format, codec, size] of cases) {
      const clip = await makeClip(`${format}-${codec}.mp4`, size, codec === 'av1' ? 1 : 2);
      uploaded.set(
        `${format}/${codec}`,
        await upload(clip, { streaming_format: format, primary_codec: codec }),
      );
    }
    for (const video of uploaded.values())
      await waitUntilReady(studio.studioUrl, password, video.id);
  });

  it.each(cases)('%s × %s decodes frames', async (format, codec) => {
    const video = uploaded.get(`${format}/${codec}`);
    if (!video) throw new Error('not uploaded');
    const result = await play(video.slug);
    expect(result.width).toBeGreaterThan(0);
    expect(result.frames).toBeGreaterThan(5);
    if (codec === 'hevc') {
      // Chromium has no HEVC decoder here: it played the H.264 fallback, and only that.
      expect(result.hevc).toBe(false);
      expect(result.folders.length).toBeGreaterThan(0);
      expect(result.folders.every((folder) => folder.endsWith('-h264'))).toBe(true);
    }
    if (codec === 'av1') {
      // Chromium decodes AV1 (dav1d): hls.js keeps the AV1 variants and plays them.
      expect(result.av1).toBe(true);
      expect(result.folders.some((folder) => !folder.endsWith('-h264'))).toBe(true);
    }
  });
});
