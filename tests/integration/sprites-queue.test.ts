import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNextSpriteJob } from '../../src-main/jobs/sprite-job';
import { claimNextSpriteJob, releaseSpriteJob } from '../../src-main/jobs/sprite-queue';
import { enqueueSpriteJob } from '../../src-main/library/sprites';
import { createVideoWithJob } from '../../src-main/library/videos';
import { createLogger } from '../../src-main/log';
import { mediaToolsForTests } from '../../src-main/media/testing';
import { pathFor, routes } from '../../src-main/server/contract';
import type { PublicVideoDetail, StudioSprites } from '../../src-main/server/contract';
import { fixturePath } from '../support/fixtures';
import {
  errorBody,
  signIn,
  startTestStudio,
  type SignedInClient,
  type TestStudio,
} from './server-harness';

const log = createLogger('test.sprites-queue');

describe('sprite queue', () => {
  let studio: TestStudio;
  let admin: SignedInClient;

  /** A published, ready video whose source is flower.mp4. */
  async function addReadyVideo(title: string, status = 'ready') {
    const db = studio.database.db;
    const video = await createVideoWithJob(db, { fileName: `${title}.mp4`, title }, async () => {});
    await db
      .updateTable('videos')
      .set({ status, published_at: sql<Date>`now() - interval '1 hour'`, duration: 5.055 })
      .where('id', '=', video.id)
      .execute();
    await fs.copyFile(
      fixturePath('flower.mp4'),
      path.join(studio.ctx.paths.uploads, `${video.id}.mp4`),
    );
    await fs.mkdir(path.join(studio.ctx.paths.videos, video.slug), { recursive: true });
    return video;
  }

  beforeAll(async () => {
    studio = await startTestStudio();
    studio.ctx.media = await mediaToolsForTests();
    admin = await signIn(studio.servers.studioUrl);
  });
  afterAll(() => studio?.stop());

  it('hands out high before normal before low, oldest first, and upgrades a waiting job', async () => {
    const db = studio.database.db;
    const low = await addReadyVideo('Low');
    const normal = await addReadyVideo('Normal');
    const high = await addReadyVideo('High');
    const later = await addReadyVideo('Later normal');
    await enqueueSpriteJob(db, low.id, 'low');
    await enqueueSpriteJob(db, normal.id, 'normal');
    await enqueueSpriteJob(db, later.id, 'normal');
    await enqueueSpriteJob(db, high.id, 'high');
    // Asking again for the low one with a higher priority moves it up, without a second job.
    await enqueueSpriteJob(db, low.id, 'normal');
    const order: number[] = [];
    for (;;) {
      const job = await claimNextSpriteJob(db);
      if (!job) break;
      order.push(job.videoId);
    }
    // The upgraded job keeps its place in time: it has waited longest among the normal ones.
    expect(order).toEqual([high.id, low.id, normal.id, later.id]);
    const rows = await db.selectFrom('sprite_queue').select('status').execute();
    expect(rows.every((row) => row.status === 'processing')).toBe(true);
    expect(rows).toHaveLength(4);
    await db.deleteFrom('sprite_queue').execute();
  });

  it('cancels the job of a video that is no longer ready and puts a stopped one back', async () => {
    const db = studio.database.db;
    const failed = await addReadyVideo('Failed', 'failed');
    const ready = await addReadyVideo('Ready');
    await enqueueSpriteJob(db, failed.id, 'high');
    await enqueueSpriteJob(db, ready.id, 'low');
    const job = await claimNextSpriteJob(db);
    expect(job?.videoId).toBe(ready.id);
    await releaseSpriteJob(db, job?.jobId ?? -1);
    const statuses = await db
      .selectFrom('sprite_queue')
      .select(['video_id', 'status'])
      .orderBy('id')
      .execute();
    expect(statuses).toEqual([
      { video_id: failed.id, status: 'cancelled' },
      { video_id: ready.id, status: 'pending' },
    ]);
    await db.deleteFrom('sprite_queue').execute();
  });

  it('makes sheets on demand and serves them as a VTT track and JSON', async () => {
    const video = await addReadyVideo('Flower');
    const studioUrl = studio.servers.studioUrl;
    const generate = await fetch(studioUrl + pathFor(routes.studio.spritesGenerate, video), {
      method: 'POST',
      headers: admin.mutating(),
      body: '{}',
    });
    expect(generate.status).toBe(202);
    const queued = (await generate.json()) as StudioSprites;
    expect(queued).toMatchObject({
      status: 'pending',
      job: { priority: 'high', status: 'pending' },
    });
    expect(studio.wakeCalls.count).toBeGreaterThan(0);

    const outcome = await runNextSpriteJob(studio.ctx, {
      log,
      signal: new AbortController().signal,
    });
    expect(outcome).toMatchObject({ outcome: 'completed', sheets: 1 });

    const row = await studio.database.db
      .selectFrom('videos')
      .select([
        'sprite_sheet_status',
        'sprite_sheet_count',
        'sprite_sheet_interval',
        'sprite_sheet_tile_size',
        'sprite_sheet_frame_width',
        'sprite_sheet_frame_height',
      ])
      .where('id', '=', video.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      sprite_sheet_status: 'ready',
      sprite_sheet_count: 1,
      sprite_sheet_interval: 5,
      sprite_sheet_tile_size: 1,
      sprite_sheet_frame_width: 160,
      sprite_sheet_frame_height: 90,
    });

    const base = studio.servers.publicUrl;
    const detail = (await (
      await fetch(base + pathFor(routes.public.video, { slug: video.slug }))
    ).json()) as PublicVideoDetail;
    expect(detail.sprites).toEqual({
      vtt_url: `/videos/${video.slug}/thumbnails.vtt`,
      interval: 5,
      tile_size: 1,
      frame_width: 160,
      frame_height: 90,
      count: 1,
      sheets: [`/videos/${video.slug}/sprites/sprite-001.jpg`],
    });
    const vtt = await fetch(base + (detail.sprites?.vtt_url ?? ''));
    expect(vtt.status).toBe(200);
    expect(await vtt.text()).toContain(
      '00:00:00.000 --> 00:00:05.055\nsprites/sprite-001.jpg#xywh=0,0,160,90',
    );
    const sheet = await fetch(base + (detail.sprites?.sheets[0] ?? ''));
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toBe('image/jpeg');

    const status = await fetch(studioUrl + pathFor(routes.studio.sprites, video), {
      headers: { cookie: admin.cookie },
    });
    expect((await status.json()) as StudioSprites).toMatchObject({
      status: 'ready',
      job: { status: 'completed', priority: 'high' },
      sprites: { count: 1 },
    });
  });

  it('refuses sheets for a video that is not ready, with a clear message', async () => {
    const video = await addReadyVideo('Still encoding', 'processing');
    const response = await fetch(
      studio.servers.studioUrl + pathFor(routes.studio.spritesGenerate, video),
      { method: 'POST', headers: admin.mutating(), body: '{}' },
    );
    expect(response.status).toBe(409);
    expect((await errorBody(response)).message).toMatch(/ready/);
  });
});
