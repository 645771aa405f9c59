import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVideoWithJob } from '../../src-main/library/videos';
import { createLogger } from '../../src-main/log';
import { probeSource } from '../../src-main/media/probe';
import { mediaToolsForTests } from '../../src-main/media/testing';
import { makeRepresentativePoster } from '../../src-main/media/thumbnails';
import type { MediaTools } from '../../src-main/media/tools';
import { pathFor, routes } from '../../src-main/server/contract';
import type {
  PublicVideoList,
  ThumbnailFrames,
  ThumbnailState,
  VideoDetail,
} from '../../src-main/server/contract';
import { fixturePath } from '../support/fixtures';
import {
  errorBody,
  signIn,
  startTestStudio,
  type SignedInClient,
  type TestStudio,
} from './server-harness';

const execFileAsync = promisify(execFile);
const log = createLogger('test.thumbnails');

describe('thumbnails', () => {
  let studio: TestStudio;
  let admin: SignedInClient;
  let tools: MediaTools;
  let scratch: string;
  let video: { id: number; slug: string };

  async function ffmpeg(args: string[]): Promise<void> {
    await execFileAsync(tools.ffmpegPath, ['-v', 'error', '-y', ...args]);
  }

  /** Width, height and codec of an image file. */
  async function imageInfo(file: string) {
    const { stdout } = await execFileAsync('/usr/bin/ffprobe', [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width,height',
      '-of',
      'json',
      `file:${file}`,
    ]);
    const { streams } = JSON.parse(stdout) as {
      streams: Array<{ codec_name: string; width: number; height: number }>;
    };
    return streams[0];
  }

  /** Mean luma of an image, 0..255. */
  async function brightness(file: string): Promise<number> {
    const raw = path.join(scratch, 'luma.raw');
    await ffmpeg([
      '-i',
      `file:${file}`,
      '-vf',
      'scale=64:-2',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      raw,
    ]);
    const pixels = new Uint8Array(await fs.readFile(raw));
    return pixels.reduce((sum, v) => sum + v, 0) / pixels.length;
  }

  const studioUrl = () => studio.servers.studioUrl;
  const post = (route: string, body: unknown = {}) =>
    fetch(studioUrl() + pathFor(route, { id: video.id }), {
      method: 'POST',
      headers: admin.mutating(),
      body: JSON.stringify(body),
    });
  const upload = (bytes: Uint8Array, name: string, type: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    return fetch(studioUrl() + pathFor(routes.studio.thumbnailUpload, { id: video.id }), {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      body: form,
    });
  };
  const posterFile = () => path.join(studio.ctx.paths.videos, video.slug, 'thumbnail.jpg');
  async function publicThumbnailUrl(): Promise<string> {
    const response = await fetch(studio.servers.publicUrl + routes.public.videos);
    const { videos } = (await response.json()) as PublicVideoList;
    return videos.find((v) => v.slug === video.slug)?.thumbnail_url ?? '';
  }

  beforeAll(async () => {
    studio = await startTestStudio();
    tools = await mediaToolsForTests();
    studio.ctx.media = tools;
    admin = await signIn(studio.servers.studioUrl);
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'vlog-thumbs-'));
    const db = studio.database.db;
    video = await createVideoWithJob(
      db,
      { fileName: 'flower.mp4', title: 'Flower' },
      async () => {},
    );
    await db
      .updateTable('videos')
      .set({ status: 'ready', published_at: sql<Date>`now() - interval '1 hour'`, duration: 5.055 })
      .where('id', '=', video.id)
      .execute();
    await fs.copyFile(
      fixturePath('flower.mp4'),
      path.join(studio.ctx.paths.uploads, `${video.id}.mp4`),
    );
    await fs.mkdir(path.dirname(posterFile()), { recursive: true });
    await ffmpeg(['-f', 'lavfi', '-i', 'color=c=gray:s=320x180', '-frames:v', '1', posterFile()]);
  });
  afterAll(async () => {
    await studio?.stop();
    if (scratch) await fs.rm(scratch, { recursive: true, force: true });
  });

  it('offers candidate frames at 10, 25, 50, 75 and 90 %', async () => {
    const response = await post(routes.studio.thumbnailFrames);
    expect(response.status).toBe(200);
    const { frames } = (await response.json()) as ThumbnailFrames;
    expect(frames.map((f) => f.percent)).toEqual([10, 25, 50, 75, 90]);
    expect(frames.map((f) => f.timestamp)).toEqual([0.505, 1.264, 2.528, 3.791, 4.55]);
    for (const frame of frames) {
      const image = await fetch(studioUrl() + frame.url, { headers: { cookie: admin.cookie } });
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/jpeg');
      const file = path.join(scratch, `candidate-${frame.percent}.jpg`);
      await fs.writeFile(file, new Uint8Array(await image.arrayBuffer()));
      expect(await imageInfo(file)).toEqual({ codec_name: 'mjpeg', width: 640, height: 360 });
    }
  });

  it('selects any moment; the poster and its URL version change at once', async () => {
    const before = await publicThumbnailUrl();
    const bytesBefore = await fs.readFile(posterFile());
    const response = await post(routes.studio.thumbnailSelect, { timestamp: 3.2 });
    expect(response.status).toBe(200);
    const state = (await response.json()) as ThumbnailState;
    expect(state).toMatchObject({ thumbnail_source: 'selected', thumbnail_timestamp: 3.2 });
    expect(Buffer.compare(await fs.readFile(posterFile()), bytesBefore)).not.toBe(0);
    const after = await publicThumbnailUrl();
    expect(after).toBe(state.thumbnail_url);
    expect(after).not.toBe(before);
    expect(after).toMatch(/^\/videos\/flower\/thumbnail\.jpg\?v=\w+$/);
    const row = await studio.database.db
      .selectFrom('videos')
      .select(['thumbnail_source', 'thumbnail_timestamp'])
      .where('id', '=', video.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ thumbnail_source: 'selected', thumbnail_timestamp: 3.2 });
    const detail = await fetch(studioUrl() + pathFor(routes.studio.video, { id: video.id }), {
      headers: { cookie: admin.cookie },
    });
    expect(((await detail.json()) as VideoDetail).thumbnail_url).toBe(after);
  });

  it('refuses a moment past the end with a clear message', async () => {
    const response = await post(routes.studio.thumbnailSelect, { timestamp: 60 });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).message).toMatch(/between 0 and 5\.05/);
  });

  it('takes JPEG, PNG and WebP uploads, judged by their bytes, as a 640 px JPEG', async () => {
    for (const [kind, codec, name] of [
      ['jpg', 'mjpeg', 'photo.png'],
      ['png', 'png', 'picture.jpg'],
      ['webp', 'libwebp', 'image.bin'],
    ] as const) {
      const file = path.join(scratch, `upload.${kind}`);
      const encoder = kind === 'webp' ? ['-c:v', codec] : [];
      await ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'testsrc2=s=1280x720',
        '-frames:v',
        '1',
        ...encoder,
        file,
      ]);
      const before = await publicThumbnailUrl();
      // The file names lie on purpose: the contents decide.
      const response = await upload(await fs.readFile(file), name, 'application/octet-stream');
      expect(response.status, kind).toBe(200);
      expect(((await response.json()) as ThumbnailState).thumbnail_source).toBe('custom');
      expect(await imageInfo(posterFile())).toEqual({
        codec_name: 'mjpeg',
        width: 640,
        height: 360,
      });
      await new Promise((resolve) => setTimeout(resolve, 15));
      expect(await publicThumbnailUrl()).not.toBe(before);
    }
  });

  it('refuses other files with 415 and images over 10 MB with 413', async () => {
    const text = await upload(new TextEncoder().encode('GIF89a not really'), 'x.jpg', 'image/jpeg');
    expect(text.status).toBe(415);
    expect((await errorBody(text)).message).toMatch(/JPEG, PNG or WebP/);
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const tooBig = await upload(big, 'big.jpg', 'image/jpeg');
    expect(tooBig.status).toBe(413);
    expect((await errorBody(tooBig)).message).toMatch(/10 MB/);
    const row = await studio.database.db
      .selectFrom('videos')
      .select('thumbnail_source')
      .where('id', '=', video.id)
      .executeTakeFirstOrThrow();
    expect(row.thumbnail_source).toBe('custom');
  });

  it('reverts to the automatic poster', async () => {
    const before = await publicThumbnailUrl();
    const response = await post(routes.studio.thumbnailRevert);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      thumbnail_source: 'auto',
      thumbnail_timestamp: null,
    });
    expect(await publicThumbnailUrl()).not.toBe(before);
    expect(await brightness(posterFile())).toBeGreaterThan(40);
  });

  it('the automatic poster skips a black opening and a blurred stretch', async () => {
    // 4 s: 1.5 s of black, then a heavily blurred pattern, then a sharp one from 3 s.
    const input = path.join(scratch, 'fade.mp4');
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=320x180:r=25:d=4',
      '-vf',
      "drawbox=c=black:t=fill:enable='lt(t,1.5)',boxblur=20:enable='between(t,1.5,3)'",
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      input,
    ]);
    const source = await probeSource(tools, input, { log });
    const outputPath = path.join(scratch, 'auto.jpg');
    const choice = await makeRepresentativePoster({ tools, input, source, log, outputPath });
    expect(choice.start).toBeGreaterThanOrEqual(3);
    expect(choice.candidates.length).toBeGreaterThan(2);
    expect(await brightness(outputPath)).toBeGreaterThan(40);
  });
});
