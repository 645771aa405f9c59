import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSource } from '../../src-main/media/probe';
import type { MediaTools } from '../../src-main/media/tools';
import { fixturePath } from '../support/fixtures';
import { log, makeClip, mediaToolsForTests } from './media-support';

let tools: MediaTools;
let dir: string;
const probe = (file: string) => probeSource(tools, file, { log });

beforeAll(async () => {
  tools = await mediaToolsForTests();
  dir = await mkdtemp(path.join(os.tmpdir(), 'vlog-media-probe-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeSource on the real fixtures', () => {
  it('describes flower.mp4: 960x540 H.264 with stereo AAC at 48 kHz', async () => {
    const info = await probe(fixturePath('flower.mp4'));
    expect(info.durationSeconds).toBeCloseTo(5.05, 1);
    expect(info.video).toMatchObject({
      index: 0,
      codec: 'h264',
      width: 960,
      height: 540,
      rotation: 0,
      bitDepth: 8,
      isHdr: false,
      pixFmt: 'yuv420p',
    });
    expect(info.video?.frameRate).toBeCloseTo(29.97, 2);
    expect(info.audio).toEqual([
      expect.objectContaining({ index: 1, codec: 'aac', channels: 2, sampleRate: 48000 }),
    ]);
  });

  it('finds the video of friday.mp4 although its audio stream comes first', async () => {
    const info = await probe(fixturePath('friday.mp4'));
    expect(info.video).toMatchObject({ index: 1, width: 640, height: 480 });
    expect(info.audio.map((a) => a.index)).toEqual([0]);
  });

  it('reports no audio for bug_video_640.mp4', async () => {
    const info = await probe(fixturePath('bug_video_640.mp4'));
    expect(info.video).toMatchObject({ width: 640, height: 360 });
    expect(info.audio).toEqual([]);
  });

  it('re-encodes nothing to decide: a VP8 WebM is described like any other', async () => {
    const info = await probe(fixturePath('flower.webm'));
    expect(info.video).toMatchObject({ codec: 'vp8', width: 960, height: 540 });
    expect(info.audio[0]).toMatchObject({ codec: 'vorbis', sampleRate: 44100 });
  });
});

describe('sources that must fail clearly, once', () => {
  it('refuses countdown.mp3 with NO_VIDEO_STREAM, not retryable', async () => {
    await expect(probe(fixturePath('countdown.mp3'))).rejects.toMatchObject({
      code: 'NO_VIDEO_STREAM',
      retryable: false,
      message: expect.stringContaining('no video stream'),
    });
  });

  it('decides from the streams, not the name: audio-only .mp4 has NO_VIDEO_STREAM', async () => {
    const file = await makeClip(tools, path.join(dir, 'looks-like-video.mp4'), [
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=1',
      '-c:a',
      'aac',
    ]);
    await expect(probe(file)).rejects.toMatchObject({ code: 'NO_VIDEO_STREAM' });
  });

  it('calls a cut-off flower.mp4 corrupt, whether the index is cut or missing', async () => {
    const original = await readFile(fixturePath('flower.mp4'));
    const headOnly = path.join(dir, 'flower-head.mp4');
    await writeFile(headOnly, original.subarray(0, 2000));
    const indexAtEnd = await makeClip(tools, path.join(dir, 'flower-moov-end.mp4'), [
      '-i',
      `file:${fixturePath('flower.mp4')}`,
      '-c',
      'copy',
    ]);
    const cut = path.join(dir, 'flower-cut.mp4');
    const whole = await readFile(indexAtEnd);
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));

    for (const file of [headOnly, cut]) {
      await expect(probe(file)).rejects.toMatchObject({
        code: 'CORRUPT_SOURCE',
        retryable: false,
        message: expect.stringContaining('corrupt or incomplete'),
      });
    }
  });
});

describe('display geometry', () => {
  it('applies a phone rotation: 640x360 stored, 360x640 shown', async () => {
    const landscape = await makeClip(tools, path.join(dir, 'landscape.mp4'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=640x360:rate=30:duration=1',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
    ]);
    const rotated = await makeClip(tools, path.join(dir, 'rotated.mp4'), [
      '-i',
      `file:${landscape}`,
      '-c',
      'copy',
      '-metadata:s:v:0',
      'rotate=270',
    ]);
    const info = await probe(rotated);
    expect(info.video).toMatchObject({
      width: 360,
      height: 640,
      codedWidth: 640,
      codedHeight: 360,
      rotation: 90,
    });
  });

  it('applies the sample aspect ratio to the width', async () => {
    const anamorphic = await makeClip(tools, path.join(dir, 'anamorphic.mp4'), [
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
    expect((await probe(anamorphic)).video).toMatchObject({ width: 853, height: 480 });
  });

  it('reports 10-bit HLG as HDR', async () => {
    const hlg = await makeClip(tools, path.join(dir, 'hlg.mp4'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x180:rate=25:duration=1',
      '-vf',
      'format=yuv420p10le',
      '-c:v',
      'libx265',
      '-preset',
      'ultrafast',
      '-x265-params',
      'colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc:log-level=error',
      '-color_primaries',
      'bt2020',
      '-color_trc',
      'arib-std-b67',
      '-colorspace',
      'bt2020nc',
    ]);
    expect((await probe(hlg)).video).toMatchObject({
      codec: 'hevc',
      bitDepth: 10,
      isHdr: true,
      colorTransfer: 'arib-std-b67',
    });
  });

  it('reads a name with a leading dash and shell syntax literally', async () => {
    const hostile = path.join(dir, `-x $(touch PWNED) & ; it's.mp4`);
    await copyFile(fixturePath('bug_video_640.mp4'), hostile);
    expect((await probe(hostile)).video).toMatchObject({ width: 640, height: 360 });
  });
});
