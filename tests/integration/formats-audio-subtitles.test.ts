import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMasterPlaylist } from '../../src-main/media/hls';
import { planLadder } from '../../src-main/media/ladder';
import { probeSource } from '../../src-main/media/probe';
import type { MediaTools } from '../../src-main/media/tools';
import { transcodeLadder } from '../../src-main/media/transcode';
import { casePath } from '../support/fixtures';
import { checkerProbe, ffprobeJson, log, makeClip, mediaToolsForTests } from './media-support';

const execFileAsync = promisify(execFile);

let tools: MediaTools;
let probe: string;
let work: string;

beforeAll(async () => {
  tools = await mediaToolsForTests();
  probe = checkerProbe(tools);
  work = await mkdtemp(path.join(os.tmpdir(), 'vlog-alternates-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Transcodes a source the way the job does and returns the master playlist's text. */
async function publish(input: string, name: string): Promise<{ dir: string; master: string }> {
  const dir = path.join(work, name);
  const source = await probeSource(tools, input, { log });
  const renditions = planLadder(source.video ?? { width: 0, height: 0 });
  const outputs = await transcodeLadder({ tools, input, source, renditions, outputDir: dir, log });
  await writeMasterPlaylist(dir, outputs);
  return { dir, master: await readFile(path.join(dir, 'master.m3u8'), 'utf8') };
}

function mediaLines(master: string, type: string): Record<string, string>[] {
  return master
    .split('\n')
    .filter((line) => line.startsWith(`#EXT-X-MEDIA:TYPE=${type},`))
    .map((line) => {
      const attributes: Record<string, string> = {};
      for (const m of line.slice(13).matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) {
        attributes[m[1] ?? ''] = (m[2] ?? '').replace(/^"|"$/g, '');
      }
      return attributes;
    });
}

interface Stream {
  codec_type: string;
  codec_name: string;
  channels?: number;
}

describe('several audio tracks (case 06)', () => {
  it('publishes every track as alternate audio with its language and exactly one default', async () => {
    const caseDir = path.join(work, 'case06');
    await execFileAsync('mkdir', ['-p', caseDir]);
    const ffmpegDir = path.dirname(tools.ffmpegPath);
    await execFileAsync('bash', [casePath('06_multi_audio.sh')], {
      cwd: caseDir,
      env: { ...process.env, PATH: `${ffmpegDir}:${process.env['PATH'] ?? ''}` },
    });
    const { dir, master } = await publish(path.join(caseDir, '06_two_audio_tracks.mp4'), 'c06');

    const audio = mediaLines(master, 'AUDIO');
    expect(audio.map((a) => a['LANGUAGE'])).toEqual(['fr', 'en']);
    // The MP4 muxer keeps no stream titles, so the names come from the languages.
    expect(audio.map((a) => a['NAME'])).toEqual(['Français', 'English']);
    expect(audio.filter((a) => a['DEFAULT'] === 'YES')).toHaveLength(1);
    expect(audio[0]?.['DEFAULT']).toBe('YES');
    expect(audio.every((a) => a['AUTOSELECT'] === 'YES' && a['GROUP-ID'] === 'aac')).toBe(true);

    // Each rendition plays its own source track, by index: stream 1 (French), 2 (English).
    expect(audio.map((a) => a['URI'])).toEqual(['audio-1/playlist.m3u8', 'audio-2/playlist.m3u8']);
    for (const a of audio) {
      const { streams } = await ffprobeJson<{ streams: Stream[] }>(
        probe,
        path.join(dir, a['URI'] ?? ''),
        ['-show_streams'],
      );
      expect(streams.map((s) => [s.codec_type, s.codec_name, s.channels])).toEqual([
        ['audio', 'aac', 2],
      ]);
    }
    const variant = master.split('\n').find((l) => l.startsWith('#EXT-X-STREAM-INF:')) ?? '';
    expect(variant).toContain('AUDIO="aac"');
    expect(variant).toMatch(/CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
    const videoUri = master.split('\n')[master.split('\n').indexOf(variant) + 1] ?? '';
    const { streams } = await ffprobeJson<{ streams: Stream[] }>(probe, path.join(dir, videoUri), [
      '-show_streams',
    ]);
    // The variants carry video only; audio comes from the chosen rendition.
    expect(streams.map((s) => s.codec_type)).toEqual(['video']);
  });
});

describe('text subtitles', () => {
  it('turns subrip and mov_text streams into WebVTT subtitle renditions', async () => {
    const srt = path.join(work, 'subs.srt');
    await writeFile(srt, '1\n00:00:00,200 --> 00:00:01,500\nHello from the subtitles\n');
    const mkv = await makeClip(tools, path.join(work, 'subtitled.mkv'), [
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=2'],
      ...['-f', 'lavfi', '-i', 'sine=duration=2', '-i', srt],
      ...['-map', '0:v', '-map', '1:a', '-map', '2:s', '-map', '2:s'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'],
      ...['-c:s:0', 'subrip', '-c:s:1', 'ass'],
      ...['-metadata:s:s:0', 'language=eng', '-metadata:s:s:1', 'language=ger'],
      ...['-metadata:s:s:1', 'title=Deutsch (ASS)'],
    ]);
    const mp4 = await makeClip(tools, path.join(work, 'subtitled.mp4'), [
      ...['-i', mkv, '-map', '0:v', '-map', '0:a', '-map', '0:s:0'],
      ...['-c:v', 'copy', '-c:a', 'copy', '-c:s', 'mov_text'],
      ...['-metadata:s:s:0', 'language=fre'],
    ]);

    const fromMkv = await publish(mkv, 'subs-mkv');
    const subtitles = mediaLines(fromMkv.master, 'SUBTITLES');
    expect(subtitles.map((s) => [s['LANGUAGE'], s['NAME'], s['DEFAULT']])).toEqual([
      ['en', 'English', 'NO'],
      ['de', 'Deutsch (ASS)', 'NO'],
    ]);
    expect(fromMkv.master).toContain('SUBTITLES="subs"');
    for (const s of subtitles) {
      const playlist = await readFile(path.join(fromMkv.dir, s['URI'] ?? ''), 'utf8');
      expect(playlist).toContain('#EXT-X-ENDLIST');
      const vtt = await readFile(
        path.join(fromMkv.dir, path.dirname(s['URI'] ?? ''), 'subtitles.vtt'),
        'utf8',
      );
      expect(vtt.startsWith('WEBVTT')).toBe(true);
      expect(vtt).toContain('Hello from the subtitles');
      // Cues keep their place on the output's timeline (shifted like the video by the
      // container's start offset, here the AAC priming delay of a few milliseconds).
      const [, start, end] = /00:(\d\d\.\d{3}) --> 00:(\d\d\.\d{3})/.exec(vtt) ?? [];
      expect(Number(start)).toBeGreaterThanOrEqual(0.2);
      expect(Number(start)).toBeLessThan(0.25);
      expect(Number(end) - Number(start)).toBeCloseTo(1.3, 3);
    }

    const fromMp4 = await publish(mp4, 'subs-mp4');
    const movText = mediaLines(fromMp4.master, 'SUBTITLES');
    expect(movText.map((s) => s['LANGUAGE'])).toEqual(['fr']);
  });
});
