import { describe, expect, it } from 'vitest';
import { planLadder, sizeForShortSide, toEven, type Rendition } from './ladder';

const summary = (ladder: Rendition[]): string[] =>
  ladder.map((r) => `${r.name} ${r.width}x${r.height} ${r.videoBitrateKbps}/${r.audioBitrateKbps}`);

function expectSane(source: { width: number; height: number }, ladder: Rendition[]): void {
  expect(ladder.length).toBeGreaterThan(0);
  const aspect = source.width / source.height;
  for (const r of ladder) {
    expect(r.width % 2).toBe(0);
    expect(r.height % 2).toBe(0);
    expect(Math.abs(r.width / r.height - aspect) / aspect).toBeLessThan(0.01);
    expect(r.maxrateKbps).toBeGreaterThan(r.videoBitrateKbps);
    expect(r.bufsizeKbps).toBeGreaterThan(r.maxrateKbps);
  }
}

describe('planLadder', () => {
  it('gives a 1080p source the five rungs at or below it, tallest first', () => {
    expect(summary(planLadder({ width: 1920, height: 1080 }))).toEqual([
      '1080p 1920x1080 5000/192',
      '720p 1280x720 2500/128',
      '480p 854x480 1000/128',
      '360p 640x360 600/96',
      '240p 426x240 300/96',
    ]);
  });

  it('puts a between-rungs source on top at its own size with an interpolated bitrate', () => {
    const ladder = planLadder({ width: 960, height: 540 });
    expect(summary(ladder)).toEqual([
      '540p 960x540 1380/128',
      '480p 854x480 1000/128',
      '360p 640x360 600/96',
      '240p 426x240 300/96',
    ]);
  });

  it('defines rungs on the short side, portrait 1080x1920 gets 1080p = 1080x1920', () => {
    const ladder = planLadder({ width: 1080, height: 1920 });
    expect(summary(ladder)).toEqual([
      '1080p 1080x1920 5000/192',
      '720p 720x1280 2500/128',
      '480p 480x854 1000/128',
      '360p 360x640 600/96',
      '240p 240x426 300/96',
    ]);
    expectSane({ width: 1080, height: 1920 }, ladder);
  });

  it('never upscales: every rendition fits inside the source', () => {
    for (const source of [
      { width: 3840, height: 2160 },
      { width: 1280, height: 720 },
      { width: 1000, height: 700 },
      { width: 7680, height: 4320 },
    ]) {
      const ladder = planLadder(source);
      expectSane(source, ladder);
      for (const r of ladder) {
        expect(r.width).toBeLessThanOrEqual(source.width);
        expect(r.height).toBeLessThanOrEqual(source.height);
      }
    }
  });

  it('does not add a near-duplicate rung for a source just above a rung', () => {
    expect(planLadder({ width: 1924, height: 1082 }).map((r) => r.name)).toEqual([
      '1080p',
      '720p',
      '480p',
      '360p',
      '240p',
    ]);
  });

  it('keeps odd-sized sources even and within 1% of their aspect', () => {
    const source = { width: 1281, height: 721 };
    const ladder = planLadder(source);
    expectSane(source, ladder);
    expect(ladder[0]).toMatchObject({ name: '720p', width: 1280, height: 720 });
  });

  it('gives a 360p source a step down, so even it plays adaptively', () => {
    expect(summary(planLadder({ width: 640, height: 360 }))).toEqual([
      '360p 640x360 600/96',
      '240p 426x240 300/96',
    ]);
  });

  it('puts an odd between-rungs size on top, rounded down to even, never upscaled', () => {
    expect(summary(planLadder({ width: 577, height: 323 }))).toEqual([
      '322p 576x322 510/96',
      '240p 428x240 300/96',
    ]);
  });

  it('gives a source smaller than 240p one rendition at its own size, rounded to even', () => {
    expect(summary(planLadder({ width: 144, height: 144 }))).toEqual(['144p 144x144 150/96']);
    expect(summary(planLadder({ width: 90, height: 60 }))).toEqual(['60p 90x60 150/96']);
    expect(summary(planLadder({ width: 91, height: 61 }))).toEqual(['60p 90x60 150/96']);
    expectSane({ width: 577, height: 323 }, planLadder({ width: 577, height: 323 }));
  });

  it('never returns an empty ladder, even for a degenerate size', () => {
    expect(planLadder({ width: 1, height: 1 })).toHaveLength(1);
    expect(planLadder({ width: 1, height: 1 })[0]).toMatchObject({ width: 2, height: 2 });
  });

  it('caps the ladder at 2160p for larger sources', () => {
    expect(planLadder({ width: 7680, height: 4320 })[0]?.name).toBe('2160p');
  });
});

describe('size helpers', () => {
  it('rounds to the nearest even number, at least 2', () => {
    expect([toEven(853.33), toEven(577), toEven(0.4), toEven(10)]).toEqual([854, 578, 2, 10]);
  });

  it('scales a 4:3 source by its short side', () => {
    expect(sizeForShortSide(640, 480, 360)).toEqual({ width: 480, height: 360 });
  });
});
