import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaptersFromDescription } from '../../src-main/library/chapters-detect';
import { startTestStudio, type TestStudio } from './server-harness';
import { addReadyVideo, studioApi } from './chapters-support';

const run = promisify(execFile);
const ffmpeg = process.env['VLOG_FFMPEG_PATH'] ?? '/usr/bin/ffmpeg';

type Detected = {
  source: string;
  found: number;
  chapters: { title: string; start_time: number; end_time: number | null }[];
};

/** A 3 s, 64x36 clip with three chapters written by ffmpeg from an ffmetadata file. */
async function clipWithChapters(dir: string): Promise<string> {
  const metadata = path.join(dir, 'chapters.txt');
  await fs.writeFile(
    metadata,
    [
      ';FFMETADATA1',
      '[CHAPTER]',
      'TIMEBASE=1/1000',
      'START=0',
      'END=1000',
      'title=Cold open',
      '[CHAPTER]',
      'TIMEBASE=1/1000',
      'START=1000',
      'END=2200',
      'title=The bit in the middle',
      '[CHAPTER]',
      'TIMEBASE=1/1000',
      'START=2200',
      'END=3000',
      'title=Credits',
      '',
    ].join('\n'),
  );
  const output = path.join(dir, 'chaptered.mp4');
  await run(ffmpeg, [
    ...['-hide_banner', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x36:rate=10:d=3'],
    ...['-i', metadata, '-map', '0:v', '-map_metadata', '1', '-map_chapters', '1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', output],
  ]);
  return output;
}

describe('chapter auto-detect', () => {
  let studio: TestStudio;
  let api: ReturnType<typeof studioApi>;
  let tempDir: string;

  beforeAll(async () => {
    studio = await startTestStudio();
    api = studioApi(studio);
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vlog-chapters-'));
  });
  afterAll(async () => {
    await studio.stop();
    await fs.rm(tempDir, { recursive: true, force: true });
  });

  it('reads timestamp lines of a description in their usual forms', () => {
    const text = [
      'My trip, in parts:',
      '0:00 Intro',
      '02:15 The road',
      '1:02:03 - Part two',
      '[1:10:00] Bracketed',
      '• 1:20:00 – Bulleted with a dash',
      'not a chapter 3:00 here',
      '99:99 Not a time',
      '2:00:00 Past the end',
    ].join('\n');
    expect(chaptersFromDescription(text, 7200)).toEqual([
      { title: 'Intro', start_time: 0, end_time: null },
      { title: 'The road', start_time: 135, end_time: null },
      { title: 'Part two', start_time: 3723, end_time: null },
      { title: 'Bracketed', start_time: 4200, end_time: null },
      { title: 'Bulleted with a dash', start_time: 4800, end_time: null },
    ]);
  });

  it('makes chapters from the description, and replaces them only when asked', async () => {
    const description = 'Hello!\n00:00 Welcome\n00:40 Setup\r\n01:30 - Results\nThanks';
    const id = await addReadyVideo(studio, { slug: 'described', duration: 120, description });
    const detected = await api('POST', `/api/videos/${id}/chapters/auto-detect`, {});
    expect(detected.status, JSON.stringify(detected.body)).toBe(200);
    const body = detected.body as unknown as Detected;
    expect(body.source).toBe('description');
    expect(body.chapters.map((c) => [c.title, c.start_time])).toEqual([
      ['Welcome', 0],
      ['Setup', 40],
      ['Results', 90],
    ]);

    const again = await api('POST', `/api/videos/${id}/chapters/auto-detect`, {});
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/replace/);

    await studio.database.db
      .updateTable('videos')
      .set({ description: '0:00 Only one now' })
      .where('id', '=', id)
      .execute();
    const replaced = await api('POST', `/api/videos/${id}/chapters/auto-detect`, {
      replace: true,
    });
    expect(replaced.status).toBe(200);
    const titles = (replaced.body as unknown as Detected).chapters.map((c) => c.title);
    expect(titles).toEqual(['Only one now']);
  });

  it("makes chapters from the source file's own chapter metadata", async () => {
    const id = await addReadyVideo(studio, {
      slug: 'chaptered',
      duration: 3,
      description: '0:01 Ignored when the file has chapters',
    });
    const clip = await clipWithChapters(tempDir);
    await fs.copyFile(clip, path.join(studio.ctx.paths.uploads, `${id}.mp4`));

    const detected = await api('POST', `/api/videos/${id}/chapters/auto-detect`, {});
    expect(detected.status, JSON.stringify(detected.body)).toBe(200);
    const body = detected.body as unknown as Detected;
    expect(body.source).toBe('metadata');
    expect(body.chapters).toEqual([
      expect.objectContaining({ title: 'Cold open', start_time: 0, end_time: 1 }),
      expect.objectContaining({ title: 'The bit in the middle', start_time: 1, end_time: 2.2 }),
      expect.objectContaining({ title: 'Credits', start_time: 2.2, end_time: 3 }),
    ]);
    const flag = await studio.database.db
      .selectFrom('videos')
      .select('has_chapters')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(flag.has_chapters).toBe(true);
  });

  it('finds nothing without chapters and says so, keeping has_chapters false', async () => {
    const id = await addReadyVideo(studio, { slug: 'plain', duration: 10, description: 'hi' });
    const detected = await api('POST', `/api/videos/${id}/chapters/auto-detect`, {
      source: 'description',
    });
    expect(detected.status).toBe(200);
    expect(detected.body).toMatchObject({ source: 'none', found: 0, chapters: [] });

    const noSource = await api('POST', `/api/videos/${id}/chapters/auto-detect`, {
      source: 'metadata',
    });
    expect(noSource.status).toBe(404);
    expect(noSource.body.message).toMatch(/uploaded file/);
  });
});
