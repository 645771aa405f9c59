import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  planCodecLadder,
  type StreamingFormat,
  type VideoCodec,
} from '../../src-main/media/formats';
import { writeMasterPlaylist } from '../../src-main/media/hls';
import { planLadder } from '../../src-main/media/ladder';
import { probeSource } from '../../src-main/media/probe';
import type { MediaTools } from '../../src-main/media/tools';
import { transcodeLadder } from '../../src-main/media/transcode';
import { checkerProbe, ffprobeJson, log, makeClip, mediaToolsForTests } from './media-support';

interface Variant {
  attributes: Record<string, string>;
  uri: string;
}

/** Parses the master's STREAM-INF lines into attribute maps (quoted values unquoted). */
function variants(master: string): Variant[] {
  const lines = master.split('\n');
  const found: Variant[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) return;
    found.push({ attributes: parseAttributes(line), uri: lines[i + 1] ?? '' });
  });
  return found;
}

function parseAttributes(line: string): Record<string, string> {
  const body = line.slice(line.indexOf(':') + 1);
  const attributes: Record<string, string> = {};
  for (const match of body.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) {
    attributes[match[1] ?? ''] = (match[2] ?? '').replace(/^"|"$/g, '');
  }
  return attributes;
}

interface ProbedVideo {
  codec_name: string;
  codec_tag_string: string;
  profile: string;
  level: number;
}

const AVC_PROFILES: Record<string, number> = { High: 0x64, Main: 0x4d, Baseline: 0x42 };
const HEVC_PROFILES: Record<string, number> = { Main: 1, 'Main 10': 2 };
const AV1_PROFILES: Record<string, number> = { Main: 0, High: 1, Professional: 2 };

/** The CODECS video entry that ffprobe's reading of the rendition implies. */
function expectMatchesProbe(codec: string, probed: ProbedVideo): void {
  const parts = codec.split('.');
  if (codec.startsWith('avc1.')) {
    const hex = parts[1] ?? '';
    expect(probed.codec_tag_string).toMatch(/avc1|\[27\]|0x001b/);
    expect(Number.parseInt(hex.slice(0, 2), 16)).toBe(AVC_PROFILES[probed.profile]);
    expect(Number.parseInt(hex.slice(4, 6), 16)).toBe(probed.level);
  } else if (codec.startsWith('hvc1.')) {
    expect(probed.codec_tag_string).toBe('hvc1');
    expect(Number(parts[1])).toBe(HEVC_PROFILES[probed.profile]);
    expect(parts[3]).toBe(`L${probed.level}`);
  } else if (codec.startsWith('av01.')) {
    expect(probed.codec_tag_string).toBe('av01');
    expect(Number(parts[1])).toBe(AV1_PROFILES[probed.profile]);
    expect(Number((parts[2] ?? '').slice(0, 2))).toBe(Math.max(0, probed.level));
    expect(parts[3]).toBe('08');
  } else {
    throw new Error(`unexpected codec ${codec}`);
  }
}

let tools: MediaTools;
let probe: string;
let work: string;
let small: string;
let tiny: string;

beforeAll(async () => {
  tools = await mediaToolsForTests();
  probe = checkerProbe(tools);
  work = await mkdtemp(path.join(os.tmpdir(), 'vlog-formats-'));
  small = await makeClip(tools, path.join(work, 'small.mp4'), [
    ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=2'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
  ]);
  tiny = await makeClip(tools, path.join(work, 'tiny.mp4'), [
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=1'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
  ]);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function encode(format: StreamingFormat, codec: VideoCodec, input: string) {
  const outputDir = path.join(work, `${format}-${codec}`);
  const source = await probeSource(tools, input, { log });
  const renditions = planCodecLadder(planLadder(source.video ?? { width: 0, height: 0 }), codec);
  const outputs = await transcodeLadder({
    tools,
    input,
    source,
    renditions,
    outputDir,
    format,
    log,
  });
  await writeMasterPlaylist(outputDir, outputs);
  const master = await readFile(path.join(outputDir, 'master.m3u8'), 'utf8');
  return { outputDir, outputs, master };
}

const combinations: Array<[StreamingFormat, VideoCodec]> = [
  ['hls_ts', 'h264'],
  ['cmaf', 'h264'],
  ['cmaf', 'hevc'],
  ['hls_ts', 'hevc'],
  ['cmaf', 'av1'],
  ['hls_ts', 'av1'],
];

describe.each(combinations)('%s × %s', (format, codec) => {
  it('publishes exact CODECS, full variant attributes and the right packaging', async () => {
    const input = codec === 'av1' ? tiny : small;
    const { outputDir, master } = await encode(format, codec, input);
    // HEVC and AV1 exist in HLS only as fMP4, whatever format was asked for.
    const fmp4 = format === 'cmaf' || codec !== 'h264';

    expect(master).toContain(`#EXT-X-VERSION:${fmp4 ? 7 : 3}`);
    expect(master).toContain('#EXT-X-INDEPENDENT-SEGMENTS');
    const list = variants(master);
    expect(list.length).toBeGreaterThan(0);
    for (const variant of list) {
      const a = variant.attributes;
      expect(Number(a['BANDWIDTH'])).toBeGreaterThan(0);
      expect(Number(a['AVERAGE-BANDWIDTH'])).toBeGreaterThan(0);
      expect(Number(a['BANDWIDTH'])).toBeGreaterThanOrEqual(Number(a['AVERAGE-BANDWIDTH']));
      expect(a['RESOLUTION']).toMatch(/^\d+x\d+$/);
      expect(a['FRAME-RATE']).toBe('25.000');
      const [video, audio] = (a['CODECS'] ?? '').split(',');
      expect(audio).toBe('mp4a.40.2');

      const dir = path.join(outputDir, path.dirname(variant.uri));
      const mediaPlaylist = await readFile(path.join(outputDir, variant.uri), 'utf8');
      expect(mediaPlaylist).toContain('#EXT-X-ENDLIST');
      expect(mediaPlaylist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      const files = await readdir(dir);
      if (fmp4) {
        expect(files).toContain('init.mp4');
        expect(mediaPlaylist).toContain('#EXT-X-MAP:URI="init.mp4"');
        expect(files.some((f) => f.endsWith('.m4s'))).toBe(true);
        expect(files.some((f) => f.endsWith('.ts'))).toBe(false);
      } else {
        expect(files.some((f) => f.endsWith('.ts'))).toBe(true);
        expect(existsSync(path.join(dir, 'init.mp4'))).toBe(false);
      }
      const probed = await ffprobeJson<{ streams: ProbedVideo[] }>(
        probe,
        path.join(outputDir, variant.uri),
        ['-select_streams', 'v:0', '-show_streams'],
      );
      const stream = probed.streams[0];
      if (stream === undefined) throw new Error(`no video stream in ${variant.uri}`);
      expectMatchesProbe(video ?? '', stream);
    }

    const codecs = list.map((v) => v.attributes['CODECS'] ?? '');
    const prefix = { h264: 'avc1.', hevc: 'hvc1.', av1: 'av01.' }[codec];
    expect(codecs[0]?.startsWith(prefix)).toBe(true);
    if (codec !== 'h264') {
      // Every browser plays something: an H.264 fallback rides along, listed after.
      const fallback = list.filter((v) => v.attributes['CODECS']?.startsWith('avc1.'));
      expect(fallback.length).toBeGreaterThan(0);
      expect(fallback.every((v) => v.uri.includes('-h264/'))).toBe(true);
      expect(list.indexOf(fallback[0] as Variant)).toBeGreaterThan(0);
    }
  });
});

describe('codec choice', () => {
  it('refuses a codec whose encoder this ffmpeg lacks, naming the fix', async () => {
    const lacking: MediaTools = { ...tools, encoders: new Set(['libx264', 'aac']) };
    const source = await probeSource(tools, small, { log });
    const renditions = planCodecLadder(planLadder(source.video ?? { width: 0, height: 0 }), 'hevc');
    await expect(
      transcodeLadder({
        tools: lacking,
        input: small,
        source,
        renditions,
        outputDir: path.join(work, 'lacking'),
        log,
      }),
    ).rejects.toMatchObject({
      code: 'TOOLS_MISSING',
      message: expect.stringContaining('no HEVC encoder (libx265)'),
    });
  });
});
