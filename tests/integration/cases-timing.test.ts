import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlaylist } from '../../src-main/media/hls';
import {
  posterStream,
  publishedRenditions,
  startCaseHarness,
  storedDuration,
  type CaseHarness,
  type CaseRun,
} from './cases-support';
import { ffprobeJson, keyframeTimes, makeClip } from './media-support';

const execFileAsync = promisify(execFile);
let h: CaseHarness;

beforeAll(async () => {
  h = await startCaseHarness('cases_timing');
});

afterAll(async () => {
  await h?.close();
});

interface Packet {
  codec_type: string;
  pts_time?: string;
  duration_time?: string;
}

/** Where audio and video start and end across a rendition's segments, in seconds. */
async function streamSpans(dir: string): Promise<Record<string, { start: number; end: number }>> {
  const playlist = await readPlaylist(path.join(dir, 'playlist.m3u8'));
  const spans: Record<string, { start: number; end: number }> = {};
  for (const segment of playlist.segments) {
    const { packets } = await ffprobeJson<{ packets: Packet[] }>(
      h.probe,
      path.join(dir, segment.uri),
      ['-show_entries', 'packet=codec_type,pts_time,duration_time'],
    );
    for (const packet of packets) {
      const start = Number(packet.pts_time);
      const end = start + Number(packet.duration_time ?? 0);
      const span = (spans[packet.codec_type] ??= { start, end });
      span.start = Math.min(span.start, start);
      span.end = Math.max(span.end, end);
    }
  }
  return spans;
}

/** The checks every published video passes, whatever its timing quirk. */
async function expectSoundTiming(
  run: CaseRun,
  expectedSeconds: number,
  audio: { seconds: number } | null,
) {
  expect(await storedDuration(h, run)).toBeCloseTo(expectedSeconds, 0);
  const renditions = await publishedRenditions(h, run);
  const keyframes = await Promise.all(renditions.map((r) => keyframeTimes(h.probe, r.dir)));
  for (const times of keyframes) expect(times).toEqual(keyframes[0]);
  for (const rendition of renditions) {
    const playlist = await readPlaylist(path.join(rendition.dir, 'playlist.m3u8'));
    expect(playlist.endList).toBe(true);
    const total = playlist.segments.reduce((sum, s) => sum + s.durationSeconds, 0);
    expect(Math.abs(total - expectedSeconds)).toBeLessThanOrEqual(0.5);
    const spans = await streamSpans(rendition.dir);
    expect(Object.keys(spans).sort()).toEqual(audio ? ['audio', 'video'] : ['video']);
    if (audio) {
      // Audio and video begin together, so the player starts both at once.
      expect(Math.abs(spans['audio']!.start - spans['video']!.start)).toBeLessThan(0.05);
      // The picture covers the whole source; the sound lasts as long as the source's sound.
      const videoLength = spans['video']!.end - spans['video']!.start;
      const audioLength = spans['audio']!.end - spans['audio']!.start;
      expect(Math.abs(videoLength - expectedSeconds)).toBeLessThan(0.1);
      // AAC comes in 21 ms frames with priming samples: a few frames either way.
      expect(Math.abs(audioLength - audio.seconds)).toBeLessThan(0.15);
    }
  }
}

const SINE = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2'];
const PICTURE = ['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=2'];
const FAST = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

describe('case 09: very short clips', () => {
  it('publishes a 0.4 s clip as one segment with ENDLIST, a poster and duration 0.4', async () => {
    await h.runCase('09_very_short.sh');
    const run = await h.process(path.join(h.inputs, '09_short_0p4s.mp4'));
    for (const rendition of await publishedRenditions(h, run)) {
      const playlist = await readPlaylist(path.join(rendition.dir, 'playlist.m3u8'));
      expect(playlist.endList).toBe(true);
      expect(playlist.segments).toHaveLength(1);
      expect(playlist.segments[0]!.durationSeconds).toBeCloseTo(0.4, 1);
    }
    await posterStream(h, run);
    expect(await storedDuration(h, run)).toBeCloseTo(0.4, 1);
  });

  it('publishes a one-frame clip with a poster, one segment and a duration above 0', async () => {
    const run = await h.process(path.join(h.inputs, '09_one_frame.mp4'));
    for (const rendition of await publishedRenditions(h, run)) {
      const playlist = await readPlaylist(path.join(rendition.dir, 'playlist.m3u8'));
      expect(playlist.endList).toBe(true);
      expect(playlist.segments).toHaveLength(1);
    }
    await posterStream(h, run);
    expect(await storedDuration(h, run)).toBeGreaterThan(0);
  });
});

describe('variable frame rate', () => {
  it('publishes a clip at 30 then 10 frames per second with aligned keyframes', async () => {
    const file = await makeClip(h.media, path.join(h.inputs, 'vfr.mkv'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x180:rate=30:duration=3',
      ...SINE.slice(0, 3),
      'sine=frequency=440:sample_rate=48000:duration=3',
      '-vf',
      String.raw`select=lt(t\,1.5)+not(mod(n\,3))`,
      // -vsync (not -fps_mode) so the bundled ffmpeg 4.1 makes the input too.
      '-vsync',
      'vfr',
      ...FAST,
      '-c:a',
      'aac',
    ]);
    const run = await h.process(file);
    await expectSoundTiming(run, 3, { seconds: 3 });
  });
});

describe('streams that do not start at 0', () => {
  it('aligns a video starting at 11.4 s and audio starting 0.7 s after it', async () => {
    const file = await makeClip(h.media, path.join(h.inputs, 'late-start.ts'), [
      ...PICTURE,
      '-itsoffset',
      '0.7',
      ...SINE,
      ...FAST,
      '-c:a',
      'aac',
      '-output_ts_offset',
      '10',
      '-f',
      'mpegts',
    ]);
    const run = await h.process(file);
    // Silence fills the first 0.7 s, so the sound starts with the picture and keeps its place.
    await expectSoundTiming(run, 2.6, { seconds: 2.6 });
  });

  it('aligns audio that starts before the video', async () => {
    const file = await makeClip(h.media, path.join(h.inputs, 'early-audio.mkv'), [
      '-itsoffset',
      '0.6',
      ...PICTURE,
      ...SINE,
      ...FAST,
      '-c:a',
      'aac',
    ]);
    const run = await h.process(file);
    // The first picture is held until the video starts; the sound ends 0.6 s before it.
    await expectSoundTiming(run, 2.6, { seconds: 2 });
  });
});

describe('containers that store no duration', () => {
  it('publishes a raw H.264 stream, its duration read from the packets', async () => {
    const file = await makeClip(h.media, path.join(h.inputs, 'raw.h264'), [
      ...PICTURE,
      ...FAST,
      '-f',
      'h264',
    ]);
    const run = await h.process(file);
    await expectSoundTiming(run, 2, null);
  });

  it('publishes a Matroska file written to a pipe (no duration, no cues)', async () => {
    const file = path.join(h.inputs, 'streamed.mkv');
    const args = [...PICTURE, ...SINE, ...FAST, '-c:a', 'aac', '-f', 'matroska', 'pipe:1'];
    const { stdout } = await execFileAsync(h.media.ffmpegPath, ['-loglevel', 'error', ...args], {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });
    await writeFile(file, stdout);
    const probed = await ffprobeJson<{ format: { duration?: string } }>(h.probe, file, [
      '-show_format',
    ]);
    expect(probed.format.duration).toBeUndefined();
    const run = await h.process(file);
    await expectSoundTiming(run, 2, { seconds: 2 });
  });
});

describe('audio drifting from the video', () => {
  it('resamples audio whose clock runs 3 % slow so both end together', async () => {
    const file = await makeClip(h.media, path.join(h.inputs, 'drift.mkv'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x180:rate=25:duration=3',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000:duration=3',
      '-af',
      'asetpts=PTS*1.03',
      ...FAST,
      '-c:a',
      'aac',
    ]);
    const run = await h.process(file);
    // Stretched timestamps make 3.09 s of sound; it is resampled, not cut or left gapped.
    await expectSoundTiming(run, 3.09, { seconds: 3.09 });
  });
});
