import { describe, expect, it } from 'vitest';
import { chapterAt, chapterSpans, clockLabel, frameAt, parseThumbnailTrack } from './timeline';

describe('player timeline', () => {
  it('gives each chapter a span ending at its own end, the next start or the video end', () => {
    const spans = chapterSpans(
      [
        { title: 'B', start_time: 30, end_time: 40 },
        { title: 'A', start_time: 0, end_time: null },
        { title: 'C', start_time: 50, end_time: null },
      ],
      90,
    );
    expect(spans).toEqual([
      { title: 'A', start: 0, end: 30 },
      { title: 'B', start: 30, end: 40 },
      { title: 'C', start: 50, end: 90 },
    ]);
    expect(chapterAt(spans, 45)?.title).toBe('B');
    expect(chapterAt(spans, 50)?.title).toBe('C');
  });

  it('formats clock labels', () => {
    expect(clockLabel(0)).toBe('0:00');
    expect(clockLabel(125.9)).toBe('2:05');
    expect(clockLabel(3723)).toBe('1:02:03');
    expect(clockLabel(Number.NaN)).toBe('0:00');
  });

  it('reads a thumbnails track with #xywh cues, resolving sheets beside the track', () => {
    const vtt = [
      'WEBVTT',
      '',
      '00:00:00.000 --> 00:00:05.000',
      'sprites/sprite-001.jpg#xywh=0,0,160,90',
      '',
      '00:00:05.000 --> 00:00:07.500',
      'sprites/sprite-001.jpg#xywh=160,0,160,90',
      '',
    ].join('\n');
    const frames = parseThumbnailTrack(vtt, '/videos/flower/thumbnails.vtt?v=3');
    expect(frames).toEqual([
      { start: 0, end: 5, url: '/videos/flower/sprites/sprite-001.jpg', x: 0, y: 0, w: 160, h: 90 },
      {
        start: 5,
        end: 7.5,
        url: '/videos/flower/sprites/sprite-001.jpg',
        x: 160,
        y: 0,
        w: 160,
        h: 90,
      },
    ]);
    expect(frameAt(frames, 6)?.x).toBe(160);
    expect(frameAt(frames, 99)?.x).toBe(160);
  });
});
