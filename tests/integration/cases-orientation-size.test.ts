import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  masterText,
  posterStream,
  publishedRenditions,
  renditionVideoStreams,
  startCaseHarness,
  type CaseHarness,
} from './cases-support';
import { makeClip } from './media-support';

let h: CaseHarness;

beforeAll(async () => {
  h = await startCaseHarness('cases_orientation');
});

afterAll(async () => {
  await h?.close();
});

async function sourceSize(videoId: number): Promise<{ width: number; height: number }> {
  const row = await h.db
    .selectFrom('videos')
    .select(['source_width', 'source_height'])
    .where('id', '=', videoId)
    .executeTakeFirstOrThrow();
  return { width: row.source_width ?? 0, height: row.source_height ?? 0 };
}

describe('case 01: a portrait phone clip stored sideways with a display matrix', () => {
  it('is portrait everywhere, with no rotation left for a player to apply again', async () => {
    await h.runCase('01_rotated_phone.sh');
    const run = await h.process(path.join(h.inputs, '01_rotated_phone.mp4'));
    expect(await sourceSize(run.videoId)).toEqual({ width: 360, height: 640 });

    const renditions = await publishedRenditions(h, run);
    // Rungs are defined on the short side: a 360x640 source is a 360p video.
    expect(renditions.map((r) => [r.quality, r.width, r.height])).toEqual([
      ['360p', 360, 640],
      ['240p', 240, 426],
    ]);
    for (const rendition of renditions) {
      for (const stream of await renditionVideoStreams(h, rendition.dir)) {
        expect([stream.width, stream.height]).toEqual([rendition.width, rendition.height]);
        expect(stream.height!).toBeGreaterThan(stream.width!);
        expect(stream.tags?.['rotate']).toBeUndefined();
        const matrices = (stream.side_data_list ?? []).filter((d) => 'rotation' in d);
        expect(matrices).toEqual([]);
      }
    }
    expect(await masterText(run)).toContain('RESOLUTION=360x640');
    const poster = await posterStream(h, run);
    expect(poster.height!).toBeGreaterThan(poster.width!);
    expect(poster.side_data_list ?? []).toEqual([]);
  });
});

describe('case 03: odd width and height (577x323 VP9)', () => {
  it('succeeds with even dimensions within 1 % of the source aspect', async () => {
    await h.runCase('03_odd_dimensions.sh');
    const run = await h.process(path.join(h.inputs, '03_odd_577x323.webm'));
    const renditions = await publishedRenditions(h, run);
    for (const rendition of renditions) {
      expect(rendition.width % 2).toBe(0);
      expect(rendition.height % 2).toBe(0);
      const aspect = rendition.width / rendition.height;
      expect(Math.abs(aspect / (577 / 323) - 1)).toBeLessThan(0.01);
      const [stream] = await renditionVideoStreams(h, rendition.dir);
      expect([stream?.width, stream?.height]).toEqual([rendition.width, rendition.height]);
    }
  });
});

describe('case 11: sources below the lowest rung', () => {
  it.each([
    ['11_tiny_144x144.mp4', 144, 144],
    ['11_tiny_90x60.mp4', 90, 60],
  ])('publishes %s as one rendition at its own size', async (file, width, height) => {
    if (file.includes('144')) await h.runCase('11_tiny.sh');
    const run = await h.process(path.join(h.inputs, file));
    const renditions = await publishedRenditions(h, run);
    expect(renditions.map((r) => [r.width, r.height])).toEqual([[width, height]]);
    const [stream] = await renditionVideoStreams(h, renditions[0]!.dir);
    expect([stream?.width, stream?.height]).toEqual([width, height]);
  });
});

describe('non-square pixels', () => {
  it('uses the display size (SAR applied) and writes square pixels', async () => {
    // NTSC widescreen DVD: 720x480 stored, shown 16:9 (SAR 32:27 → 853x480).
    const file = await makeClip(h.media, path.join(h.inputs, 'anamorphic.mp4'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=720x480:rate=25:duration=1',
      '-vf',
      'setsar=32/27',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
    ]);
    const run = await h.process(file);
    expect(await sourceSize(run.videoId)).toEqual({ width: 853, height: 480 });
    const renditions = await publishedRenditions(h, run);
    expect(renditions.map((r) => [r.width, r.height])).toEqual([
      [854, 480],
      [640, 360],
      [426, 240],
    ]);
    for (const rendition of renditions) {
      const [stream] = await renditionVideoStreams(h, rendition.dir);
      expect([stream?.width, stream?.height]).toEqual([rendition.width, rendition.height]);
      expect(['1:1', undefined]).toContain(
        (stream as { sample_aspect_ratio?: string }).sample_aspect_ratio,
      );
    }
  });
});

describe('sources larger than browsers decode', () => {
  it('caps an 8K source at 2160p with a valid H.264 level', async () => {
    const file = await makeClip(h.media, path.join(h.inputs, 'eight-k.mp4'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=7680x4320:rate=2:duration=1',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
    ]);
    const run = await h.process(file);
    const renditions = await publishedRenditions(h, run);
    expect(renditions[0]).toMatchObject({ quality: '2160p', width: 3840, height: 2160 });
    for (const rendition of renditions) {
      const [stream] = await renditionVideoStreams(h, rendition.dir);
      const level = (stream as { level?: number }).level ?? 0;
      // High profile, level 5.2 (52) at most: what browsers and phones decode in hardware.
      expect(stream?.profile).toBe('High');
      expect(level).toBeGreaterThan(0);
      expect(level).toBeLessThanOrEqual(52);
    }
  });
});
