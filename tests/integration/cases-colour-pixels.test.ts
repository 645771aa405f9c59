import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlaylist } from '../../src-main/media/hls';
import { probeSource } from '../../src-main/media/probe';
import {
  posterStream,
  publishedRenditions,
  renditionVideoStreams,
  startCaseHarness,
  type CaseHarness,
  type CaseRun,
} from './cases-support';
import { ffprobeJson, log, makeClip, type StreamInfo } from './media-support';

const execFileAsync = promisify(execFile);
let h: CaseHarness;

beforeAll(async () => {
  h = await startCaseHarness('cases_colour');
});

afterAll(async () => {
  await h?.close();
});

/** Every rendition is what every browser decodes: 8-bit 4:2:0, limited range, BT.709. */
async function expectBrowserPictures(run: CaseRun): Promise<StreamInfo[]> {
  const all: StreamInfo[] = [];
  for (const rendition of await publishedRenditions(h, run)) {
    const streams = await renditionVideoStreams(h, rendition.dir);
    expect(streams.length).toBeGreaterThan(0);
    for (const stream of streams) {
      expect(stream).toMatchObject({
        codec_name: 'h264',
        pix_fmt: 'yuv420p',
        color_range: 'tv',
        color_space: 'bt709',
        color_transfer: 'bt709',
        color_primaries: 'bt709',
      });
      expect(['High', 'Main', 'Constrained Baseline']).toContain(stream.profile);
    }
    all.push(...streams);
  }
  return all;
}

/** Average Y, U and V (0..255) of the first picture of a file, from ffmpeg's signalstats. */
async function averages(file: string): Promise<{ y: number; u: number; v: number }> {
  const { stderr } = await execFileAsync(h.media.ffmpegPath, [
    '-hide_banner',
    '-i',
    `file:${file}`,
    '-vf',
    'scale=out_range=tv,format=yuv420p,signalstats,metadata=print',
    '-frames:v',
    '1',
    '-f',
    'null',
    '-',
  ]);
  const read = (key: string): number => Number(new RegExp(`${key}=([\\d.]+)`).exec(stderr)?.[1]);
  return { y: read('YAVG'), u: read('UAVG'), v: read('VAVG') };
}

describe('case 07: 10-bit HEVC tagged HLG / BT.2020', () => {
  it('becomes 8-bit BT.709 H.264 throughout, tone-mapped without a colour cast', async () => {
    await h.runCase('07_hdr_hlg_10bit.sh');
    const source = path.join(h.inputs, '07_hlg_10bit_hevc.mp4');
    const probed = await probeSource(h.media, source, { log });
    expect(probed.video).toMatchObject({ isHdr: true, bitDepth: 10 });

    const run = await h.process(source);
    await expectBrowserPictures(run);
    const poster = await posterStream(h, run);
    expect(poster.pix_fmt).toMatch(/^yuvj?420p$/);
    expect(poster.color_transfer ?? 'unknown').not.toMatch(/arib|2020|smpte2084/);
    expect(poster.color_primaries ?? 'unknown').not.toBe('bt2020');

    // The clip is the SDR test pattern tagged HLG: after tone-mapping its average chroma
    // stays near the SDR pattern's (measured: within 5-7 of 255 here). A loose check only:
    // it catches a whole-picture tint, not a subtle hue error.
    const reference = await makeClip(h.media, path.join(h.inputs, 'sdr-reference.mp4'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=640x360:rate=30:duration=0.1',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
    ]);
    const expected = await averages(reference);
    const [top] = await publishedRenditions(h, run);
    const playlist = await readPlaylist(path.join(top!.dir, 'playlist.m3u8'));
    const actual = await averages(path.join(top!.dir, playlist.segments[0]!.uri));
    expect(Math.abs(actual.u - expected.u)).toBeLessThan(8);
    expect(Math.abs(actual.v - expected.v)).toBeLessThan(8);
    expect(actual.y).toBeGreaterThan(16);
  });
});

describe('case 16: H.264 in yuv444p, full-range yuvj420p and RGB', () => {
  it.each(['16_h264_yuv444p.mp4', '16_h264_yuvj420p.mp4', '16_h264_rgb24.mkv'])(
    'publishes %s as 8-bit yuv420p limited range in a browser profile',
    async (file) => {
      if (file.includes('444')) await h.runCase('16_pixel_formats.sh');
      const run = await h.process(path.join(h.inputs, file));
      await expectBrowserPictures(run);
      const poster = await posterStream(h, run);
      expect(poster.pix_fmt).toMatch(/^yuvj?420p$/);
    },
  );
});

describe('interlaced sources', () => {
  it('are deinterlaced: progressive output at the source frame rate', async () => {
    const file = await makeClip(h.media, path.join(h.inputs, 'interlaced.ts'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=720x576:rate=50:duration=2',
      '-vf',
      'tinterlace=mode=interleave_top,setfield=tff',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-flags',
      '+ildct+ilme',
      '-x264opts',
      'tff=1',
      '-f',
      'mpegts',
    ]);
    const probed = await probeSource(h.media, file, { log });
    expect(probed.video?.interlaced).toBe(true);

    const run = await h.process(file);
    const streams = await expectBrowserPictures(run);
    for (const stream of streams) {
      const fieldOrder = (stream as { field_order?: string }).field_order ?? 'progressive';
      expect(fieldOrder).toBe('progressive');
    }
    const [top] = await publishedRenditions(h, run);
    const playlist = await readPlaylist(path.join(top!.dir, 'playlist.m3u8'));
    const frames = await ffprobeJson<{ streams: Array<{ nb_read_packets: string }> }>(
      h.probe,
      path.join(top!.dir, playlist.segments[0]!.uri),
      ['-select_streams', 'v', '-count_packets', '-show_entries', 'stream=nb_read_packets'],
    );
    // 25 interlaced frames a second stay 25 whole frames a second (one frame per frame).
    expect(Number(frames.streams[0]?.nb_read_packets)).toBe(50);
  });
});
