import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planLadder } from '../../src-main/media/ladder';
import { readPlaylist, writeMasterPlaylist, type RenditionOutput } from '../../src-main/media/hls';
import { probeSource, type SourceInfo } from '../../src-main/media/probe';
import { makeThumbnail, transcodeLadder } from '../../src-main/media/transcode';
import type { MediaTools } from '../../src-main/media/tools';
import { fixturePath } from '../support/fixtures';
import {
  checkerProbe,
  ffprobeJson,
  keyframeTimes,
  log,
  makeClip,
  mediaToolsForTests,
  segmentStreams,
} from './media-support';

const execFileAsync = promisify(execFile);
let tools: MediaTools;
let probe: string;
let dir: string;

beforeAll(async () => {
  tools = await mediaToolsForTests();
  probe = checkerProbe(tools);
  dir = await mkdtemp(path.join(os.tmpdir(), 'vlog-media-transcode-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function publish(input: string, name: string) {
  const source = await probeSource(tools, input, { log });
  const outputDir = path.join(dir, name);
  const progress: number[] = [];
  const renditions = await transcodeLadder({
    tools,
    input,
    source,
    renditions: planLadder(source.video!),
    outputDir,
    log,
    pidDir: path.join(dir, 'pids'),
    onProgress: (p) => progress.push(p[0]?.percent ?? -1),
  });
  return { source, outputDir, renditions, progress };
}

/** What every rendition must be, whatever the source: checked with an independent ffprobe. */
async function expectPlayableRendition(
  outputDir: string,
  rendition: RenditionOutput,
  source: SourceInfo,
) {
  const renditionDir = path.join(outputDir, rendition.name);
  const text = await readFile(path.join(renditionDir, 'playlist.m3u8'), 'utf8');
  expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
  expect(text.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
  const playlist = await readPlaylist(path.join(renditionDir, 'playlist.m3u8'));
  expect(playlist.segments[0]?.uri).toBe('segment-00000.ts');
  expect(rendition.durationSeconds).toBeCloseTo(source.durationSeconds, 0);
  expect(Math.abs(rendition.durationSeconds - source.durationSeconds)).toBeLessThanOrEqual(0.5);

  const streams = await segmentStreams(probe, renditionDir);
  const video = streams.find((s) => s.codec_type === 'video');
  expect(video).toMatchObject({
    codec_name: 'h264',
    profile: 'High',
    pix_fmt: 'yuv420p',
    width: rendition.width,
    height: rendition.height,
    color_range: 'tv',
  });
  expect(video?.color_primaries ?? 'bt709').toBe('bt709');
  expect(video?.color_transfer ?? 'bt709').toBe('bt709');
  expect(video?.side_data_list ?? []).not.toContainEqual(
    expect.objectContaining({ side_data_type: 'Display Matrix' }),
  );
  expect(((video?.width ?? 1) % 2) + ((video?.height ?? 1) % 2)).toBe(0);
  return streams;
}

describe('transcodeLadder on flower.mp4', () => {
  let result: Awaited<ReturnType<typeof publish>>;
  beforeAll(async () => {
    result = await publish(fixturePath('flower.mp4'), 'flower');
  });

  it('makes 540p (the source), 480p, 360p and 240p, each a complete HLS rendition', async () => {
    expect(result.renditions.map((r) => `${r.name} ${r.width}x${r.height}`)).toEqual([
      '540p 960x540',
      '480p 854x480',
      '360p 640x360',
      '240p 426x240',
    ]);
    for (const rendition of result.renditions) {
      const streams = await expectPlayableRendition(result.outputDir, rendition, result.source);
      expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({
        codec_name: 'aac',
        channels: 2,
        sample_rate: '48000',
      });
      expect(rendition.codecs).toMatch(/^avc1\.6400[0-9a-f]{2},mp4a\.40\.2$/);
    }
    expect(result.progress.at(-1)).toBe(100);
    expect(await readdir(path.join(dir, 'pids'))).toEqual([]);
  });

  it('puts keyframes at the same times in every rendition', async () => {
    const times = await Promise.all(
      result.renditions.map((r) => keyframeTimes(probe, path.join(result.outputDir, r.name))),
    );
    expect(times[0]!.length).toBeGreaterThanOrEqual(3);
    expect(times[1]).toEqual(times[0]);
    expect(times[2]).toEqual(times[0]);
  });

  it('writes a master playlist with measured bandwidths and real codecs', async () => {
    const file = await writeMasterPlaylist(result.outputDir, result.renditions);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^#EXTM3U\n#EXT-X-VERSION:\d+\n#EXT-X-INDEPENDENT-SEGMENTS\n/);
    expect(text).toContain('RESOLUTION=960x540,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=29.970');
    for (const r of result.renditions) {
      expect(r.bandwidth).toBeGreaterThanOrEqual(r.averageBandwidth);
      expect(r.averageBandwidth).toBeGreaterThan(r.videoBitrateKbps * 1000 * 0.5);
    }
  });

  it('makes a 640 px wide JPEG poster', async () => {
    const poster = path.join(result.outputDir, 'thumbnail.jpg');
    await makeThumbnail({
      tools,
      input: fixturePath('flower.mp4'),
      source: result.source,
      outputPath: poster,
      log,
    });
    const { streams } = await ffprobeJson<{
      streams: Array<{ codec_name: string; width: number; height: number }>;
    }>(probe, poster, ['-show_streams']);
    expect(streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 640, height: 360 });
  });
});

describe('a full disk', () => {
  const canMount = process.getuid?.() === 0;

  it.skipIf(!canMount)('fails with NO_SPACE, however ffmpeg exits', async () => {
    const small = path.join(dir, 'small-disk');
    await mkdir(small, { recursive: true });
    await execFileAsync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', small]);
    try {
      const input = fixturePath('flower.mp4');
      const source = await probeSource(tools, input, { log });
      const run = transcodeLadder({
        tools,
        input,
        source,
        renditions: planLadder(source.video!).slice(-1),
        outputDir: small,
        log,
      });
      await expect(run).rejects.toMatchObject({
        code: 'NO_SPACE',
        retryable: false,
        message: expect.stringContaining('No space left on device'),
      });
    } finally {
      await execFileAsync('umount', [small]);
    }
  });
});

describe('transcodeLadder on awkward sources', () => {
  it('maps friday.mp4’s audio by its index although it is the first stream', async () => {
    const { source, outputDir, renditions } = await publish(fixturePath('friday.mp4'), 'friday');
    expect(renditions.map((r) => `${r.name} ${r.width}x${r.height}`)).toEqual([
      '480p 640x480',
      '360p 480x360',
      '240p 320x240',
    ]);
    for (const rendition of renditions) {
      const streams = await expectPlayableRendition(outputDir, rendition, source);
      expect(streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    }
  });

  it('publishes bug_video_640.mp4 without audio, and CODECS names no audio codec', async () => {
    const { source, outputDir, renditions } = await publish(
      fixturePath('bug_video_640.mp4'),
      'bug',
    );
    expect(renditions.map((r) => r.name)).toEqual(['360p', '240p']);
    const streams = await expectPlayableRendition(outputDir, renditions[0]!, source);
    expect(streams.map((s) => s.codec_type)).toEqual(['video']);
    expect(renditions[0]?.codecs).toMatch(/^avc1\.[0-9a-f]{6}$/);
    const master = await readFile(await writeMasterPlaylist(outputDir, renditions), 'utf8');
    expect(master).not.toContain('mp4a');
  });

  it('turns a phone clip upright: portrait renditions and poster, no rotation left', async () => {
    const landscape = await makeClip(tools, path.join(dir, 'landscape.mp4'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=640x360:rate=30:duration=2',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=2',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
    ]);
    const phone = await makeClip(tools, path.join(dir, 'phone.mp4'), [
      '-i',
      `file:${landscape}`,
      '-c',
      'copy',
      '-metadata:s:v:0',
      'rotate=270',
    ]);
    const { source, outputDir, renditions } = await publish(phone, 'phone');
    expect(renditions.map((r) => `${r.name} ${r.width}x${r.height}`)).toEqual([
      '360p 360x640',
      '240p 240x426',
    ]);
    await expectPlayableRendition(outputDir, renditions[0]!, source);

    const poster = path.join(outputDir, 'thumbnail.jpg');
    await makeThumbnail({ tools, input: phone, source, outputPath: poster, log });
    const { streams } = await ffprobeJson<{ streams: Array<{ width: number; height: number }> }>(
      probe,
      poster,
      ['-show_streams'],
    );
    expect(streams[0]).toMatchObject({ width: 640, height: 1138 });
  });

  it('converts 10-bit HLG HEVC to 8-bit yuv420p BT.709', async () => {
    const hlg = await makeClip(tools, path.join(dir, 'hlg.mp4'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=640x360:rate=25:duration=2',
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
    const { source, outputDir, renditions } = await publish(hlg, 'hlg');
    expect(source.video?.isHdr).toBe(true);
    const streams = await expectPlayableRendition(outputDir, renditions[0]!, source);
    expect(streams[0]).toMatchObject({ color_space: 'bt709', color_transfer: 'bt709' });
  });

  it('turns yuv444p, full-range yuvj420p and RGB H.264 into 8-bit 4:2:0 limited range', async () => {
    const inputs = [
      ['yuv444p.mp4', 'libx264', 'yuv444p'],
      ['yuvj420p.mp4', 'libx264', 'yuvj420p'],
      ['rgb24.mkv', 'libx264rgb', 'rgb24'],
    ];
    for (const [name, encoder, pixFmt] of inputs) {
      const input = await makeClip(tools, path.join(dir, name!), [
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=640x360:rate=30:duration=1',
        '-c:v',
        encoder!,
        '-pix_fmt',
        pixFmt!,
        '-preset',
        'ultrafast',
      ]);
      const { source, outputDir, renditions } = await publish(input, `pixfmt-${pixFmt}`);
      expect(source.video?.pixFmt).toBe(pixFmt === 'rgb24' ? 'gbrp' : pixFmt);
      await expectPlayableRendition(outputDir, renditions[0]!, source);
    }
  });

  it('handles a 0.4 s clip: one segment, ENDLIST, a poster', async () => {
    const short = await makeClip(tools, path.join(dir, 'short.mp4'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=640x360:rate=30:duration=0.4',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
    ]);
    const { source, outputDir, renditions } = await publish(short, 'short');
    expect(source.durationSeconds).toBeCloseTo(0.4, 1);
    expect(renditions[0]?.segmentCount).toBe(1);
    await expectPlayableRendition(outputDir, renditions[0]!, source);
    const poster = path.join(outputDir, 'thumbnail.jpg');
    await makeThumbnail({ tools, input: short, source, outputPath: poster, log });
    expect((await stat(poster)).size).toBeGreaterThan(0);
  });

  it('processes a hostile file name normally and never runs a shell', async () => {
    const hostileDir = path.join(dir, 'hostile');
    await rm(hostileDir, { recursive: true, force: true });
    const name = `-20 It's "quoted" $(touch PWNED) & ; ünïcødé 日本 🎬.mp4`;
    const input = path.join(dir, name);
    await copyFile(fixturePath('bug_video_640.mp4'), input);
    const { source, outputDir, renditions } = await publish(input, 'hostile');
    await expectPlayableRendition(outputDir, renditions[0]!, source);
    await makeThumbnail({ tools, input, source, outputPath: path.join(outputDir, 'p.jpg'), log });
    for (const folder of [dir, outputDir, process.cwd()]) {
      expect(await readdir(folder)).not.toContain('PWNED');
    }
  });

  it('fails a source cut off after its index instead of publishing a short output', async () => {
    const whole = await readFile(fixturePath('flower.mp4'));
    const cut = path.join(dir, 'flower-cut-faststart.mp4');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    await expect(publish(cut, 'cut')).rejects.toMatchObject({
      code: 'OUTPUT_INVALID',
      retryable: false,
    });
  });
});
