import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStudio, type TestStudio } from './server-harness';
import { addReadyVideo, studioApi } from './chapters-support';

type ChapterJson = { id: number; title: string; start_time: number; position: number };

describe('chapters API', () => {
  let studio: TestStudio;
  let api: ReturnType<typeof studioApi>;

  beforeAll(async () => {
    studio = await startTestStudio();
    api = studioApi(studio);
  });
  afterAll(() => studio.stop());

  const hasChapters = async (videoId: number) =>
    (
      await studio.database.db
        .selectFrom('videos')
        .select('has_chapters')
        .where('id', '=', videoId)
        .executeTakeFirstOrThrow()
    ).has_chapters;

  const chaptersOf = async (videoId: number) =>
    (await api('GET', `/api/videos/${videoId}/chapters`)).body['chapters'] as ChapterJson[];

  it('adds, edits and deletes chapters, in time order, with has_chapters kept in step', async () => {
    const id = await addReadyVideo(studio, { slug: 'crud-video', duration: 120 });
    expect(await hasChapters(id)).toBe(false);

    for (const [title, start] of [
      ['Middle', 60],
      ['Start', 0],
      ['End', 100],
    ] as const) {
      const created = await api('POST', `/api/videos/${id}/chapters`, {
        title,
        start_time: start,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body['title']).toBe(title);
    }
    let chapters = await chaptersOf(id);
    expect(chapters.map((c) => c.title)).toEqual(['Start', 'Middle', 'End']);
    expect(chapters.map((c) => c.position)).toEqual([0, 1, 2]);
    expect(await hasChapters(id)).toBe(true);

    const middle = chapters[1]!;
    const edited = await api('PUT', `/api/videos/${id}/chapters/${middle.id}`, {
      title: 'The middle part',
      description: 'Where it happens',
      end_time: 90,
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      title: 'The middle part',
      description: 'Where it happens',
      start_time: 60,
      end_time: 90,
    });
    expect(edited.body['updated_at']).not.toBeNull();

    for (const chapter of chapters) {
      const removed = await api('DELETE', `/api/videos/${id}/chapters/${chapter.id}`);
      expect(removed.status).toBe(200);
    }
    chapters = await chaptersOf(id);
    expect(chapters).toEqual([]);
    expect(await hasChapters(id)).toBe(false);
  });

  it('refuses chapters that break the rules, with messages that say why', async () => {
    const id = await addReadyVideo(studio, { slug: 'rules-video', duration: 30 });
    const post = (body: unknown) => api('POST', `/api/videos/${id}/chapters`, body);

    const negative = await post({ title: 'Before', start_time: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.message).toMatch(/0 seconds or later/);

    const backwards = await post({ title: 'Backwards', start_time: 10, end_time: 5 });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toMatch(/end \(0:05\) must come after its start \(0:10\)/);

    const equal = await post({ title: 'Empty', start_time: 10, end_time: 10 });
    expect(equal.status).toBe(400);

    const past = await post({ title: 'Too late', start_time: 31 });
    expect(past.status).toBe(400);
    expect(past.body.message).toMatch(/within the video/);

    const untitled = await post({ title: '   ', start_time: 1 });
    expect(untitled.status).toBe(400);
    expect(untitled.body['error']).toBe('VALIDATION_FAILED');

    const missing = await api('PUT', `/api/videos/${id}/chapters/999999`, { title: 'x' });
    expect(missing.status).toBe(404);
    const noVideo = await api('GET', '/api/videos/999999/chapters');
    expect(noVideo.status).toBe(404);

    const first = await post({ title: 'Valid', start_time: 5 });
    const badEdit = await api('PUT', `/api/videos/${id}/chapters/${first.body['id']}`, {
      end_time: 2,
    });
    expect(badEdit.status).toBe(400);
    expect(await chaptersOf(id)).toHaveLength(1);
  });

  it('allows at most 50 chapters per video', async () => {
    const id = await addReadyVideo(studio, { slug: 'many-chapters', duration: 600 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api('POST', `/api/videos/${id}/chapters`, { title: `Part ${i + 1}`, start_time: i * 10 }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const chapters = await chaptersOf(id);
    expect(new Set(chapters.map((c) => c.position)).size).toBe(50);
    expect(chapters.map((c) => c.start_time)).toEqual(chapters.map((_, i) => i * 10));

    const fiftyFirst = await api('POST', `/api/videos/${id}/chapters`, {
      title: 'One too many',
      start_time: 595,
    });
    expect(fiftyFirst.status).toBe(409);
    expect(fiftyFirst.body.message).toMatch(/at most 50 chapters/);
  });

  it('reorders chapters and refuses an order that does not name each chapter once', async () => {
    const id = await addReadyVideo(studio, { slug: 'reorder-video', duration: 60 });
    for (const [title, start] of [
      ['A', 0],
      ['B', 10],
      ['C', 20],
    ] as const) {
      await api('POST', `/api/videos/${id}/chapters`, { title, start_time: start });
    }
    const [a, b, c] = await chaptersOf(id);
    const reordered = await api('POST', `/api/videos/${id}/chapters/reorder`, {
      chapter_ids: [c!.id, a!.id, b!.id],
    });
    expect(reordered.status).toBe(200);
    const titles = (reordered.body['chapters'] as ChapterJson[]).map((ch) => ch.title);
    expect(titles).toEqual(['C', 'A', 'B']);
    expect((await chaptersOf(id)).map((ch) => ch.position)).toEqual([0, 1, 2]);

    const partial = await api('POST', `/api/videos/${id}/chapters/reorder`, {
      chapter_ids: [a!.id, b!.id],
    });
    expect(partial.status).toBe(400);
    expect(partial.body.message).toMatch(/every chapter id/);
    const repeated = await api('POST', `/api/videos/${id}/chapters/reorder`, {
      chapter_ids: [a!.id, a!.id, b!.id],
    });
    expect(repeated.status).toBe(400);
  });

  it('serves chapters in the public video API and as a WebVTT chapters track', async () => {
    const id = await addReadyVideo(studio, { slug: 'public-chapters', duration: 75.5 });
    await api('POST', `/api/videos/${id}/chapters`, { title: 'Opening', start_time: 0 });
    await api('POST', `/api/videos/${id}/chapters`, {
      title: 'Second',
      start_time: 30,
      end_time: 45,
    });
    await api('POST', `/api/videos/${id}/chapters`, { title: 'Last', start_time: 62.25 });

    const viewer = studio.servers.publicUrl;
    const detail = await fetch(`${viewer}/api/videos/public-chapters`).then((r) => r.json());
    expect(detail.chapters).toEqual([
      { title: 'Opening', start_time: 0, end_time: null },
      { title: 'Second', start_time: 30, end_time: 45 },
      { title: 'Last', start_time: 62.25, end_time: null },
    ]);

    const track = await fetch(`${viewer}/videos/public-chapters/chapters.vtt`);
    expect(track.status).toBe(200);
    expect(track.headers.get('content-type')).toMatch(/^text\/vtt/);
    const text = await track.text();
    expect(text.startsWith('WEBVTT\n')).toBe(true);
    expect(text).toContain('00:00:00.000 --> 00:00:30.000\nOpening');
    expect(text).toContain('00:00:30.000 --> 00:00:45.000\nSecond');
    expect(text).toContain('00:01:02.250 --> 00:01:15.500\nLast');

    await studio.database.db
      .updateTable('videos')
      .set({ published_at: null })
      .where('id', '=', id)
      .execute();
    const hidden = await fetch(`${viewer}/videos/public-chapters/chapters.vtt`);
    expect(hidden.status).toBe(404);
  });
});
