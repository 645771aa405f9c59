import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVideoWithJob } from '../../src-main/library/videos';
import { pathFor, routes } from '../../src-main/server/contract';
import type { PublicVideoDetail, PublicVideoList } from '../../src-main/server/contract';
import { fixturePath } from '../support/fixtures';
import { errorBody, signIn, startTestStudio, type TestStudio } from './server-harness';

const segmentBytes = fs.readFileSync(fixturePath('flower.mp4')).subarray(0, 4096);

/** Sends a request with the path exactly as written (fetch would normalise '..' away). */
function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const request = http.get({ hostname, port, path: rawPath }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}

describe('public listener', () => {
  let studio: TestStudio;
  let base: string;

  async function addVideo(
    title: string,
    state: { status: string; published: 'past' | 'future' | null; deleted?: boolean },
  ) {
    const db = studio.database.db;
    const video = await createVideoWithJob(db, { fileName: `${title}.mp4`, title }, async () => {});
    const publishedAt =
      state.published === null
        ? null
        : sql<Date>`now() ${sql.raw(state.published === 'past' ? '-' : '+')} interval '1 hour'`;
    await db
      .updateTable('videos')
      .set({
        status: state.status,
        published_at: publishedAt,
        deleted_at: state.deleted ? new Date() : null,
        duration: 5.2,
        source_width: 960,
        source_height: 540,
      })
      .where('id', '=', video.id)
      .execute();
    // A video still on its first transcode has no renditions recorded yet (a re-transcode
    // keeps its earlier ones, and stays public: retranscode-playable.test.ts).
    if (state.status === 'ready') {
      await db
        .insertInto('video_qualities')
        .values([
          { video_id: video.id, quality: '360p', width: 640, height: 360, bitrate: 600 },
          { video_id: video.id, quality: '540p', width: 960, height: 540, bitrate: 1600 },
        ])
        .execute();
    }
    writeOutput(video.slug);
    return video;
  }

  function writeOutput(slug: string): void {
    const dir = path.join(studio.ctx.paths.videos, slug);
    fs.mkdirSync(path.join(dir, '360p'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'master.m3u8'),
      '#EXTM3U\n#EXT-X-VERSION:3\n360p/playlist.m3u8\n',
    );
    fs.writeFileSync(path.join(dir, '360p', 'playlist.m3u8'), '#EXTM3U\n#EXT-X-ENDLIST\n');
    fs.writeFileSync(path.join(dir, '360p', 'segment-00000.ts'), segmentBytes);
    fs.writeFileSync(path.join(dir, '360p', 'init.m4s'), segmentBytes.subarray(0, 100));
    fs.writeFileSync(path.join(dir, 'thumbnail.jpg'), segmentBytes.subarray(0, 1000));
    fs.writeFileSync(path.join(dir, 'captions.vtt'), 'WEBVTT\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not media');
  }

  beforeAll(async () => {
    studio = await startTestStudio();
    base = studio.servers.publicUrl;
    await addVideo('Public Clip', { status: 'ready', published: 'past' });
    await addVideo('Draft Clip', { status: 'ready', published: null });
    await addVideo('Later Clip', { status: 'ready', published: 'future' });
    await addVideo('Pending Clip', { status: 'pending', published: 'past' });
    await addVideo('Deleted Clip', { status: 'ready', published: 'past', deleted: true });
  });
  afterAll(() => studio.stop());

  it('lists only ready, published, live videos', async () => {
    const response = await fetch(base + routes.public.videos);
    expect(response.status).toBe(200);
    const { videos } = (await response.json()) as PublicVideoList;
    expect(videos.map((v) => v.slug)).toEqual(['public-clip']);
    expect(videos[0]).toMatchObject({
      title: 'Public Clip',
      duration: 5.2,
      // The version changes with the poster file, so an edited poster is fetched again.
      thumbnail_url: expect.stringMatching(/^\/videos\/public-clip\/thumbnail\.jpg\?v=\w+$/),
      qualities: [
        { quality: '540p', width: 960, height: 540, bitrate: 1600 },
        { quality: '360p', width: 640, height: 360, bitrate: 600 },
      ],
    });
  });

  it('gives a public video with its master playlist and 404 for the others', async () => {
    const response = await fetch(base + pathFor(routes.public.video, { slug: 'public-clip' }));
    const video = (await response.json()) as PublicVideoDetail;
    expect(video).toMatchObject({
      slug: 'public-clip',
      master_url: '/videos/public-clip/master.m3u8',
      chapters: [],
      captions: null,
      sprites: null,
    });
    for (const slug of ['draft-clip', 'later-clip', 'pending-clip', 'deleted-clip', 'nope']) {
      const hidden = await fetch(base + pathFor(routes.public.video, { slug }));
      expect(hidden.status).toBe(404);
      expect((await errorBody(hidden)).error).toBe('VIDEO_NOT_FOUND');
    }
  });

  it('serves media with the right content types, caching and CORS', async () => {
    const expectations: [string, string, RegExp][] = [
      ['master.m3u8', 'application/vnd.apple.mpegurl', /max-age=86400/],
      ['360p/playlist.m3u8', 'application/vnd.apple.mpegurl', /max-age=86400/],
      ['360p/segment-00000.ts', 'video/mp2t', /max-age=31536000, immutable/],
      ['360p/init.m4s', 'video/iso.segment', /max-age=31536000/],
      ['thumbnail.jpg', 'image/jpeg', /no-cache/],
      ['captions.vtt', 'text/vtt; charset=utf-8', /no-cache/],
    ];
    for (const [file, type, cache] of expectations) {
      const response = await fetch(`${base}/videos/public-clip/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('cache-control')).toMatch(cache);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      await response.arrayBuffer();
    }
    const unknownType = await fetch(`${base}/videos/public-clip/notes.txt`);
    expect(unknownType.status).toBe(404);
  });

  it('answers range requests with 206 and the exact bytes, 416 outside the file', async () => {
    const url = `${base}/videos/public-clip/360p/segment-00000.ts`;
    const first = await fetch(url, { headers: { range: 'bytes=0-99' } });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-99/${segmentBytes.length}`);
    expect(first.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await first.arrayBuffer())).toEqual(segmentBytes.subarray(0, 100));

    const tail = await fetch(url, { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(segmentBytes.subarray(-10));

    const open = await fetch(url, { headers: { range: 'bytes=4000-' } });
    expect(Buffer.from(await open.arrayBuffer())).toEqual(segmentBytes.subarray(4000));

    const outside = await fetch(url, { headers: { range: 'bytes=99999-' } });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${segmentBytes.length}`);

    const whole = await fetch(url);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const etag = whole.headers.get('etag') as string;
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(segmentBytes);
    const revalidated = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
  });

  it('serves nothing of unpublished, scheduled, unfinished or archived videos', async () => {
    for (const slug of ['draft-clip', 'later-clip', 'pending-clip', 'deleted-clip', 'nope']) {
      const response = await fetch(`${base}/videos/${slug}/master.m3u8`);
      expect(response.status, slug).toBe(404);
      expect((await errorBody(response)).error).toBe('NOT_FOUND');
    }
  });

  it('makes path traversal impossible', async () => {
    fs.writeFileSync(path.join(studio.ctx.paths.videos, 'secret.m3u8'), '#EXTM3U secret');
    const attempts = [
      '/videos/public-clip/../secret.m3u8',
      '/videos/public-clip/%2e%2e/secret.m3u8',
      '/videos/public-clip/..%2fsecret.m3u8',
      '/videos/public-clip/%2e%2e%2f%2e%2e%2fuploads%2f1.mp4',
      '/videos/public-clip/..%5csecret.m3u8',
      '/videos/public-clip/360p/..%2f..%2fsecret.m3u8',
      '/videos/..%2fvideos/secret.m3u8',
      '/videos/public-clip/%00.m3u8',
      '/videos/public-clip//etc/passwd',
      '/assets/..%2f..%2fvideos%2fsecret.m3u8',
    ];
    for (const attempt of attempts) {
      const response = await rawGet(base, attempt);
      expect(response.status, attempt).toBeGreaterThanOrEqual(400);
      expect(response.body, attempt).not.toContain('secret');
    }
  });

  it('serves the viewer pages and assets, and JSON 404 elsewhere', async () => {
    for (const page of [
      '/',
      '/watch/public-clip',
      '/category/travel',
      '/tag/summer',
      '/playlist/x',
    ]) {
      const response = await fetch(base + page);
      expect(response.status, page).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('viewer-root');
    }
    const asset = await fetch(`${base}/assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    const missing = await fetch(`${base}/api/nothing`);
    expect(missing.status).toBe(404);
    expect((await errorBody(missing)).error).toBe('NOT_FOUND');
    const adminOnly = await fetch(`${base}/api/auth/check`);
    expect(adminOnly.status).toBe(404);
  });

  it('lets the signed-in studio preview any live video, and no one else', async () => {
    const url = studio.servers.studioUrl;
    const anonymous = await fetch(`${url}/videos/draft-clip/master.m3u8`);
    expect(anonymous.status).toBe(401);
    const { cookie } = await signIn(url);
    const preview = await fetch(`${url}/videos/draft-clip/master.m3u8`, { headers: { cookie } });
    expect(preview.status).toBe(200);
    expect(preview.headers.get('cache-control')).toBe('private, no-cache');
    const archived = await fetch(`${url}/videos/deleted-clip/master.m3u8`, { headers: { cookie } });
    expect(archived.status).toBe(404);

    for (const page of ['/', '/setup', '/login', '/library/anything']) {
      const response = await fetch(url + page);
      expect(await response.text(), page).toContain('studio-root');
    }
    const unknownApi = await fetch(`${url}/api/nothing`, { headers: { cookie } });
    expect(unknownApi.status).toBe(404);
  });
});
