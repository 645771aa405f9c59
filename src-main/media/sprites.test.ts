import { describe, expect, it } from 'vitest';
import type { SourceInfo, SourceVideo } from './probe';
import {
  buildSpriteArgs,
  buildThumbnailsVtt,
  planSprites,
  summarizeKeyframes,
  vttTimestamp,
} from './sprites';

const video: SourceVideo = {
  index: 0,
  codec: 'h264',
  profile: 'High',
  pixFmt: 'yuv420p',
  width: 960,
  height: 540,
  codedWidth: 960,
  codedHeight: 540,
  rotation: 0,
  frameRate: 25,
  colorTransfer: 'bt709',
  colorPrimaries: 'bt709',
  colorSpace: 'bt709',
  bitDepth: 8,
  isHdr: false,
};

function source(durationSeconds: number, overrides: Partial<SourceVideo> = {}): SourceInfo {
  return {
    durationSeconds,
    formatName: 'mp4',
    sizeBytes: 1,
    bitRate: 1,
    video: { ...video, ...overrides },
    audio: [],
    subtitles: [],
  };
}

const everySecond = (n: number) =>
  summarizeKeyframes(
    Array.from({ length: n }, (_, i) => ({ pts_time: String(i), flags: 'K__' })),
    n,
  );

describe('summarizeKeyframes', () => {
  it('measures the longest gap, the tail to the end included', () => {
    const packets = [
      { pts_time: '0.0', flags: 'K__' },
      { pts_time: '0.5', flags: '___' },
      { pts_time: '2.0', flags: 'K__' },
      { pts_time: '2.5', flags: '___' },
    ];
    expect(summarizeKeyframes(packets, 9)).toEqual({ times: [0, 2], maxGapSeconds: 7 });
  });

  it('has no keyframes and an endless gap for a list without any', () => {
    expect(summarizeKeyframes([{ pts_time: '0', flags: '___' }], 4).maxGapSeconds).toBe(Infinity);
  });
});

describe('planSprites', () => {
  it('decodes only keyframes when every interval has one', () => {
    const plan = planSprites(source(120), everySecond(120));
    expect(plan).toMatchObject({ decode: 'keyframes', intervalSeconds: 5, frameCount: 24 });
    expect(plan).toMatchObject({ tileSize: 5, sheetCount: 1, frameWidth: 160, frameHeight: 90 });
  });

  it('decodes everything when keyframes are sparser than the interval', () => {
    const sparse = summarizeKeyframes(
      [
        { pts_time: '0', flags: 'K' },
        { pts_time: '60', flags: 'K' },
      ],
      120,
    );
    expect(planSprites(source(120), sparse).decode).toBe('all');
  });

  it('keeps at most 100 sheets of 10x10 by widening the interval', () => {
    const plan = planSprites(source(200_000), null);
    expect(plan.sheetCount).toBeLessThanOrEqual(100);
    expect(plan.tileSize).toBe(10);
    expect(plan.intervalSeconds).toBe(20);
  });

  it('gives a clip shorter than the interval one frame', () => {
    const plan = planSprites(source(2), everySecond(2));
    expect(plan).toMatchObject({ frameCount: 1, sheetCount: 1, tileSize: 1 });
  });

  it('keeps the display aspect with an even height', () => {
    expect(planSprites(source(10, { width: 1080, height: 1920 }), null).frameHeight).toBe(284);
    expect(planSprites(source(10, { width: 640, height: 480 }), null).frameHeight).toBe(120);
  });
});

describe('buildSpriteArgs', () => {
  it('skips non-keyframes only in keyframe mode, in one pass with fps-free select and tile', () => {
    const plan = planSprites(source(120), everySecond(120));
    const args = buildSpriteArgs('/in.mp4', source(120), plan, '/out');
    expect(args.slice(0, 4)).toEqual(['-skip_frame', 'nokey', '-i', 'file:/in.mp4']);
    const graph = args[args.indexOf('-filter_complex') + 1];
    expect(graph).toContain("select='gte(t-start_t\\,selected_n*5)*lt(selected_n\\,24)'");
    expect(graph).toContain('tile=5x5');
    expect(args.at(-1)).toBe('/out/sprite-%03d.jpg');
    const all = buildSpriteArgs('/in.mp4', source(120), { ...plan, decode: 'all' }, '/out');
    expect(all).not.toContain('-skip_frame');
  });
});

describe('buildThumbnailsVtt', () => {
  it('covers 0 to the duration with cues pointing at consecutive tiles', () => {
    const plan = planSprites(source(12), everySecond(12));
    expect(buildThumbnailsVtt(plan)).toBe(
      [
        'WEBVTT',
        '',
        '00:00:00.000 --> 00:00:05.000',
        'sprites/sprite-001.jpg#xywh=0,0,160,90',
        '',
        '00:00:05.000 --> 00:00:10.000',
        'sprites/sprite-001.jpg#xywh=160,0,160,90',
        '',
        '00:00:10.000 --> 00:00:12.000',
        'sprites/sprite-001.jpg#xywh=0,90,160,90',
        '',
      ].join('\n'),
    );
  });

  it('formats hours', () => {
    expect(vttTimestamp(3723.5)).toBe('01:02:03.500');
  });
});
