import { describe, expect, it } from 'vitest';
import { checkBoundariesAligned, segmentBoundaries } from './alignment';
import { ladderFilterGraph, sourceToSdr } from './commands';
import { planLadder } from './ladder';
import { isInterlaced, spanOfPackets, videoEndGap, type SourceVideo } from './probe';

const video: SourceVideo = {
  index: 0,
  codec: 'h264',
  profile: 'High',
  pixFmt: 'yuv420p',
  width: 720,
  height: 576,
  codedWidth: 720,
  codedHeight: 576,
  rotation: 0,
  frameRate: 25,
  colorTransfer: null,
  colorPrimaries: null,
  colorSpace: null,
  bitDepth: 8,
  isHdr: false,
};

describe('interlaced sources', () => {
  it('reads interlaced field orders, not progressive or unknown', () => {
    expect(['tt', 'bb', 'tb', 'bt'].map(isInterlaced)).toEqual([true, true, true, true]);
    expect(['progressive', 'unknown', undefined].map(isInterlaced)).toEqual([false, false, false]);
  });

  it('deinterlaces before tone-mapping and scaling, one frame per frame', () => {
    expect(sourceToSdr({ ...video, interlaced: true })).toEqual([
      'bwdif=mode=send_frame:deint=all',
    ]);
    const hdr = sourceToSdr({ ...video, interlaced: true, isHdr: true });
    expect(hdr[0]).toBe('bwdif=mode=send_frame:deint=all');
    expect(hdr.some((f) => f.startsWith('tonemap='))).toBe(true);
    expect(sourceToSdr(video)).toEqual([]);
  });
});

describe('audio that outlasts the picture', () => {
  it('measures how far the container runs past the video stream', () => {
    const gap = videoEndGap({ start_time: '11.4' }, { start_time: '11.4', duration: '2.0' }, 2.6);
    expect(gap).toBeCloseTo(0.6, 3);
    expect(videoEndGap({ start_time: '0' }, { start_time: '0', duration: '3' }, 3.02)).toBe(0);
    expect(videoEndGap(undefined, { start_time: undefined, duration: undefined }, 3)).toBe(0);
  });

  it('holds the last picture for the gap, before the split', () => {
    const source = { ...video, endGapSeconds: 0.6 };
    const ladder = planLadder(source);
    const graph = ladderFilterGraph(
      source,
      ladder,
      ladder.map((_, i) => `v${i}`),
    );
    expect(graph).toMatch(/^\[0:0\]tpad=stop_mode=clone:stop_duration=0\.600,split=/);
  });
});

describe('containers without a duration', () => {
  it('spans timestamped packets from the first to the last end', () => {
    const packets = [
      { pts_time: '1.4', duration_time: '0.04' },
      { pts_time: '3.36', duration_time: '0.04' },
    ];
    expect(spanOfPackets(packets)).toBeCloseTo(2, 6);
  });

  it('lays raw packets without timestamps end to end', () => {
    const packets = Array.from({ length: 50 }, () => ({ pts_time: 'N/A', duration_time: '0.04' }));
    expect(spanOfPackets(packets)).toBeCloseTo(2, 6);
  });
});

describe('renditions cut at the same times', () => {
  const playlist = (...durations: number[]) => ({
    segments: durations.map((durationSeconds, i) => ({ uri: `s${i}.ts`, durationSeconds })),
  });

  it('accepts boundaries within a frame of each other', () => {
    const boundaries = new Map([
      ['720p', segmentBoundaries(playlist(6, 6, 1.5))],
      ['360p', segmentBoundaries(playlist(6.02, 5.98, 1.5))],
    ]);
    expect(() => checkBoundariesAligned(boundaries)).not.toThrow();
  });

  it('refuses a rendition cut elsewhere, naming it', () => {
    const boundaries = new Map([
      ['720p', segmentBoundaries(playlist(6, 6, 1.5))],
      ['360p', segmentBoundaries(playlist(4, 8, 1.5))],
    ]);
    expect(() => checkBoundariesAligned(boundaries)).toThrow(/360p rendition's segments/);
  });
});
