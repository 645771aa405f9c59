import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathFor, routes } from '../../src-main/server/contract';
import type { VideoCreated, VideoDetail, VideoList } from '../../src-main/server/contract';
import { fixturePath } from '../support/fixtures';
import {
  errorBody,
  signIn,
  startTestStudio,
  type SignedInClient,
  type TestStudio,
} from './server-harness';

const r = routes.studio;
const execFileAsync = promisify(execFile);

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('studio video routes', () => {
  let studio: TestStudio;
  let url: string;
  let client: SignedInClient;

  beforeAll(async () => {
    studio = await startTestStudio();
    url = studio.servers.studioUrl;
    client = await signIn(url);
  });
  afterAll(() => studio.stop());

  const uploads = () => fs.readdirSync(studio.ctx.paths.uploads);
  const videoCount = async () =>
    (await studio.database.db.selectFrom('videos').select('id').execute()).length;

  async function upload(fixture: string, fields: Record<string, string> = {}) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const blob = await fs.openAsBlob(fixturePath(fixture), { type: 'video/mp4' });
    form.append('file', blob, fixture);
    return fetch(url + r.videos, {
      method: 'POST',
      headers: { cookie: client.cookie, 'x-csrf-token': client.csrf },
      body: form,
    });
  }

  async function getJson<T>(route: string): Promise<T> {
    const response = await fetch(url + route, { headers: { cookie: client.cookie } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  function send(method: string, route: string, body?: unknown) {
    return fetch(url + route, {
      method,
      headers: client.mutating(),
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  }

  it('streams an upload to uploads/{id}.mp4 and creates the video with its job', async () => {
    const wakesBefore = studio.wakeCalls.count;
    const response = await upload('flower.mp4');
    expect(response.status).toBe(201);
    const created = (await response.json()) as VideoCreated;
    expect(created).toEqual({ id: expect.any(Number), slug: 'flower', status: 'pending' });

    const stored = path.join(studio.ctx.paths.uploads, `${created.id}.mp4`);
    expect(sha256(stored)).toBe(sha256(fixturePath('flower.mp4')));
    expect(uploads()).toEqual([`${created.id}.mp4`]);

    const db = studio.database.db;
    const video = await db
      .selectFrom('videos')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(video).toMatchObject({ title: 'flower', slug: 'flower', status: 'pending' });
    const job = await db
      .selectFrom('transcoding_jobs')
      .selectAll()
      .where('video_id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(job.attempt_number).toBe(1);
    expect(job.completed_at).toBeNull();
    expect(studio.wakeCalls.count).toBe(wakesBefore + 1);
  });

  it('keeps slugs unique and takes title, description and category from the form', async () => {
    const second = (await (await upload('flower.mp4')).json()) as VideoCreated;
    expect(second.slug).toBe('flower-2');

    const category = await send('POST', r.categories, { name: 'Nature Films' });
    const { id: categoryId } = (await category.json()) as { id: number };
    const response = await upload('flower.mp4', {
      title: 'Flowers in Spring',
      description: 'Petals.',
      category_id: String(categoryId),
    });
    const third = (await response.json()) as VideoCreated;
    expect(third.slug).toBe('flowers-in-spring');
    const detail = await getJson<VideoDetail>(pathFor(r.video, { id: third.id }));
    expect(detail).toMatchObject({
      title: 'Flowers in Spring',
      description: 'Petals.',
      category_id: categoryId,
      category_name: 'Nature Films',
      status: 'pending',
      thumbnail_url: null,
      master_url: null,
    });
  });

  it('takes a large upload without holding it in memory', async () => {
    const size = 160 * 1024 * 1024;
    const big = path.join(studio.dataDir, 'big-source.mp4');
    fs.writeFileSync(big, Buffer.alloc(0));
    fs.truncateSync(big, size);
    const rssBefore = process.memoryUsage().rss;
    // curl sends the file from another process, so this process's memory is the server's.
    const { stdout } = await execFileAsync('curl', [
      '--silent',
      '--header',
      `cookie: ${client.cookie}`,
      '--header',
      `x-csrf-token: ${client.csrf}`,
      '--form',
      `file=@${big};type=video/mp4`,
      '--write-out',
      '\n%{http_code}',
      url + r.videos,
    ]);
    const [bodyText = '', status = ''] = stdout.split('\n');
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(status).toBe('201');
    const created = JSON.parse(bodyText) as VideoCreated;
    const stored = path.join(studio.ctx.paths.uploads, `${created.id}.mp4`);
    expect(fs.statSync(stored).size).toBe(size);
    // Buffering the upload would grow the server by at least the file's size.
    expect(rssGrowth).toBeLessThan(size / 2);
    fs.rmSync(big);
    await send('DELETE', `${pathFor(r.video, { id: created.id })}?permanent=true`);
  });

  it('leaves no row and no file when the upload is aborted half way', async () => {
    const countBefore = await videoCount();
    const filesBefore = uploads();
    const boundary = '----vlog-test-boundary';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nAborted\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n` +
      'Content-Type: video/mp4\r\n\r\n';
    const request = http.request(url + r.videos, {
      method: 'POST',
      headers: {
        cookie: client.cookie,
        'x-csrf-token': client.csrf,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + 50_000_000),
      },
    });
    request.on('error', () => undefined);
    request.write(head);
    request.write(Buffer.alloc(4_000_000, 7));

    // The part already sent reaches the disk while the request is still open: it is streamed.
    const incoming = () => uploads().filter((name) => name.startsWith('.incoming-'));
    await waitFor(() =>
      incoming().some((name) => {
        const size = fs.statSync(path.join(studio.ctx.paths.uploads, name)).size;
        return size > 1_000_000;
      }),
    );
    request.destroy();

    await waitFor(() => incoming().length === 0);
    expect(uploads()).toEqual(filesBefore);
    expect(await videoCount()).toBe(countBefore);
  });

  it('refuses files that are not media, non-multipart bodies and bad fields', async () => {
    const countBefore = await videoCount();
    const form = new FormData();
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'notes.txt');
    const text = await fetch(url + r.videos, {
      method: 'POST',
      headers: { cookie: client.cookie, 'x-csrf-token': client.csrf },
      body: form,
    });
    expect(text.status).toBe(415);
    expect((await errorBody(text)).error).toBe('UNSUPPORTED_MEDIA');

    const jsonBody = await send('POST', r.videos, { file: 'x' });
    expect(jsonBody.status).toBe(415);

    const badCategory = await upload('flower.mp4', { category_id: 'abc' });
    expect(badCategory.status).toBe(400);
    const body = await errorBody(badCategory);
    expect(body.error).toBe('VALIDATION_FAILED');
    expect(body.message).toContain('category_id');

    const missingCategory = await upload('flower.mp4', { category_id: '999999' });
    expect(missingCategory.status).toBe(404);
    expect((await errorBody(missingCategory)).error).toBe('CATEGORY_NOT_FOUND');

    expect(await videoCount()).toBe(countBefore);
    expect(uploads().filter((n) => n.startsWith('.incoming-'))).toEqual([]);
  });

  it('imports a local file by copying it, and refuses missing or relative paths', async () => {
    const response = await send('POST', r.importLocal, { path: fixturePath('flower.webm') });
    expect(response.status).toBe(201);
    const created = (await response.json()) as VideoCreated;
    const copy = path.join(studio.ctx.paths.uploads, `${created.id}.webm`);
    expect(sha256(copy)).toBe(sha256(fixturePath('flower.webm')));
    expect(fs.existsSync(fixturePath('flower.webm'))).toBe(true);

    const missing = await send('POST', r.importLocal, { path: '/nowhere/clip.mp4' });
    expect(missing.status).toBe(404);
    expect((await errorBody(missing)).error).toBe('SOURCE_NOT_FOUND');
    const relative = await send('POST', r.importLocal, { path: 'clip.mp4' });
    expect(relative.status).toBe(404);
    const empty = await send('POST', r.importLocal, {});
    expect(empty.status).toBe(400);
  });

  it('lists with filters and paging', async () => {
    const all = await getJson<VideoList>(r.videos);
    expect(all.total).toBe(all.videos.length);
    expect(all.videos.length).toBeGreaterThanOrEqual(4);
    const byQuery = await getJson<VideoList>(`${r.videos}?q=spring`);
    expect(byQuery.videos.map((v) => v.slug)).toEqual(['flowers-in-spring']);
    const byCategory = await getJson<VideoList>(`${r.videos}?category=nature-films`);
    expect(byCategory.videos.map((v) => v.slug)).toEqual(['flowers-in-spring']);
    const paged = await getJson<VideoList>(`${r.videos}?page=2&page_size=1`);
    expect(paged).toMatchObject({ page: 2, page_size: 1, total: all.total });
    expect(paged.videos).toHaveLength(1);
    expect(paged.videos[0]?.id).toBe(all.videos[1]?.id);
    const ready = await getJson<VideoList>(`${r.videos}?status=ready`);
    expect(ready.videos).toEqual([]);

    const bad = await fetch(`${url}${r.videos}?status=bogus`, {
      headers: { cookie: client.cookie },
    });
    expect(bad.status).toBe(400);
    expect((await errorBody(bad)).error).toBe('VALIDATION_FAILED');
  });

  it('updates details and the published state, refusing unknown fields', async () => {
    const { videos } = await getJson<VideoList>(`${r.videos}?q=spring`);
    const id = videos[0]?.id as number;
    const updated = await send('PUT', pathFor(r.video, { id }), {
      title: 'Spring Flowers',
      is_featured: true,
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ title: 'Spring Flowers', is_featured: true });

    const published = (await (
      await send('POST', pathFor(r.publish, { id }))
    ).json()) as VideoDetail;
    expect(published.published_at).not.toBeNull();
    const unpublished = await send('POST', pathFor(r.unpublish, { id }));
    expect(((await unpublished.json()) as VideoDetail).published_at).toBeNull();

    const unknown = await send('PUT', pathFor(r.video, { id }), { slug: 'hack' });
    expect(unknown.status).toBe(400);
    const missing = await send('PUT', pathFor(r.video, { id: 999999 }), { title: 'x' });
    expect(missing.status).toBe(404);
    expect((await errorBody(missing)).error).toBe('VIDEO_NOT_FOUND');
    const badId = await fetch(url + pathFor(r.video, { id: 'abc' }), {
      headers: { cookie: client.cookie },
    });
    expect(badId.status).toBe(400);
  });

  it('archives to archive/{slug}, restores, and purges rows and files for good', async () => {
    const created = (await (
      await upload('flower.mp4', { title: 'Archive Me' })
    ).json()) as VideoCreated;
    const published = path.join(studio.ctx.paths.videos, created.slug);
    fs.mkdirSync(published, { recursive: true });
    fs.writeFileSync(path.join(published, 'master.m3u8'), '#EXTM3U\n');

    const archived = await send('DELETE', pathFor(r.video, { id: created.id }));
    expect(await archived.json()).toEqual({ id: created.id, permanent: false });
    expect(fs.existsSync(published)).toBe(false);
    const archivedCopy = path.join(studio.ctx.paths.archive, created.slug, 'master.m3u8');
    expect(fs.existsSync(archivedCopy)).toBe(true);
    const list = await getJson<VideoList>(r.videos);
    expect(list.videos.some((v) => v.id === created.id)).toBe(false);
    const archive = await getJson<VideoList>(r.archived);
    expect(archive.videos.map((v) => v.id)).toEqual([created.id]);
    const twice = await send('DELETE', pathFor(r.video, { id: created.id }));
    expect(twice.status).toBe(409);

    const restored = await send('POST', pathFor(r.restore, { id: created.id }));
    expect(restored.status).toBe(200);
    expect(fs.existsSync(path.join(published, 'master.m3u8'))).toBe(true);

    const purged = await send('DELETE', `${pathFor(r.video, { id: created.id })}?permanent=true`);
    expect(await purged.json()).toEqual({ id: created.id, permanent: true });
    expect(fs.existsSync(published)).toBe(false);
    expect(uploads().some((n) => n.startsWith(`${created.id}.`))).toBe(false);
    const gone = await fetch(url + pathFor(r.video, { id: created.id }), {
      headers: { cookie: client.cookie },
    });
    expect(gone.status).toBe(404);
  });

  it('retries a failed video, retranscodes a ready one, and reports progress', async () => {
    const created = (await (
      await upload('flower.mp4', { title: 'Retry Me' })
    ).json()) as VideoCreated;
    const id = created.id;
    const db = studio.database.db;
    const notFailed = await send('POST', pathFor(r.retry, { id }));
    expect(notFailed.status).toBe(409);
    expect((await errorBody(notFailed)).error).toBe('INVALID_STATE');

    await db
      .updateTable('videos')
      .set({ status: 'failed', error_message: 'boom' })
      .where('id', '=', id)
      .execute();
    const job = await db
      .updateTable('transcoding_jobs')
      .set({
        attempt_number: 3,
        last_error: 'boom',
        current_step: 'transcode',
        progress_percent: 40,
      })
      .where('video_id', '=', id)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('quality_progress')
      .values([
        { job_id: job.id, quality: '540p', status: 'completed', progress_percent: 100 },
        { job_id: job.id, quality: '360p', status: 'failed', progress_percent: 20 },
      ])
      .execute();

    const progress = await getJson<Record<string, unknown>>(pathFor(r.progress, { id }));
    expect(progress).toEqual({
      video_id: id,
      status: 'failed',
      current_step: 'transcode',
      progress_percent: 40,
      attempt_number: 3,
      max_attempts: 3,
      last_error: 'boom',
      renditions: [
        { quality: '540p', status: 'completed', progress_percent: 100 },
        { quality: '360p', status: 'failed', progress_percent: 20 },
      ],
    });

    const retried = await send('POST', pathFor(r.retry, { id }));
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ status: 'pending', error_message: null });
    const reset = await db
      .selectFrom('transcoding_jobs')
      .selectAll()
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(reset).toMatchObject({ attempt_number: 1, last_error: null, claim_expires_at: null });

    const busy = await send('POST', pathFor(r.retranscode, { id }));
    expect(busy.status).toBe(409);
    await db.updateTable('videos').set({ status: 'ready' }).where('id', '=', id).execute();
    const again = await send('POST', pathFor(r.retranscode, { id }));
    expect(again.status).toBe(200);
    const rows = await db
      .selectFrom('quality_progress')
      .select('id')
      .where('job_id', '=', job.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('creates and lists categories, refusing a duplicate', async () => {
    const created = await send('POST', r.categories, { name: 'How To' });
    expect(created.status).toBe(201);
    const duplicate = await send('POST', r.categories, { name: 'how-to' });
    expect(duplicate.status).toBe(409);
    const { categories } = await getJson<{ categories: { slug: string; video_count: number }[] }>(
      r.categories,
    );
    expect(categories.find((c) => c.slug === 'nature-films')?.video_count).toBe(1);
    expect(categories.find((c) => c.slug === 'how-to')?.video_count).toBe(0);
  });

  it('describes ffmpeg and the listeners on GET /api/system', async () => {
    const system = await getJson<Record<string, unknown>>(r.system);
    expect(system).toEqual({
      ffmpeg_version: '5.1-test',
      ffprobe_version: '5.1-test',
      origin: 'system',
      encoders: { h264: true, hevc: true, av1: false, aac: true, count: 3 },
      video_encoder: {
        name: 'libx264',
        hardware: false,
        reason: 'hardware encoders were not probed',
      },
      data_dir: studio.ctx.paths.root,
      public_url: studio.servers.publicUrl,
      studio_url: url,
    });
  });

  it('relays bus events over server-sent events with heartbeats', async () => {
    const unauthenticated = await fetch(url + r.events);
    expect(unauthenticated.status).toBe(401);

    const abort = new AbortController();
    const response = await fetch(url + r.events, {
      headers: { cookie: client.cookie },
      signal: abort.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value);
      }
    };
    await readUntil(': connected');
    const payload = {
      videoId: 7,
      jobId: 3,
      step: 'transcode',
      percent: 42,
      renditions: [{ quality: '360p', status: 'in_progress' as const, progress_percent: 42 }],
    };
    studio.ctx.bus.emit('job.progress', payload);
    studio.ctx.bus.emit('video.status', { videoId: 7, status: 'ready', errorMessage: null });
    studio.ctx.bus.emit('worker.status', { workerId: 'w', status: 'idle' });
    await readUntil('event: video.status');
    const progressEvent = /event: job\.progress\ndata: (.*)\n\n/.exec(text);
    expect(JSON.parse(progressEvent?.[1] ?? 'null')).toEqual(payload);
    expect(text).not.toContain('worker.status');
    await readUntil(': heartbeat');
    abort.abort();
  });
});
