import { describe, expect, it } from 'vitest';
import { bcp47, planAlternateAudio } from './alternates';
import { supportsAomRealtime } from './codec-args';
import { planCodecLadder, resolveStreamingFormat, videoEncoderFor } from './formats';
import { masterPlaylistText, type AlternateRendition, type RenditionOutput } from './hls';
import { planLadder } from './ladder';
import { av1NameFromConfig, avcNameFromConfig, hevcNameFromConfig } from './mp4-inspect';
import type { SourceInfo } from './probe';

describe('codec ladders', () => {
  it('adds H.264 copies of the lowest rung and the highest rung at or below 720p', () => {
    const ladder = planLadder({ width: 1920, height: 1080 });
    const names = planCodecLadder(ladder, 'hevc').map((r) => `${r.name}:${r.codec}`);
    expect(names).toEqual([
      '1080p:hevc',
      '720p:hevc',
      '480p:hevc',
      '360p:hevc',
      '240p:hevc',
      '720p-h264:h264',
      '240p-h264:h264',
    ]);
    expect(
      planCodecLadder(planLadder({ width: 320, height: 180 }), 'av1').map((r) => r.name),
    ).toEqual(['180p', '180p-h264']);
    expect(planCodecLadder(ladder, 'h264')).toHaveLength(ladder.length);
  });

  it('packages HEVC and AV1 as CMAF whatever was asked, H.264 as asked', () => {
    expect(resolveStreamingFormat('hls_ts', 'hevc')).toBe('cmaf');
    expect(resolveStreamingFormat('hls_ts', 'av1')).toBe('cmaf');
    expect(resolveStreamingFormat('hls_ts', 'h264')).toBe('hls_ts');
    expect(resolveStreamingFormat('cmaf', 'h264')).toBe('cmaf');
  });

  it('prefers SVT-AV1, falls back to libaom, and names the fix when neither exists', () => {
    const tools = (names: string[]) => ({ encoders: new Set(names), ffmpegPath: '/x/ffmpeg' });
    expect(videoEncoderFor(tools(['libaom-av1', 'libsvtav1']), 'av1')).toBe('libsvtav1');
    expect(videoEncoderFor(tools(['libaom-av1']), 'av1')).toBe('libaom-av1');
    expect(() => videoEncoderFor(tools(['libx264']), 'av1')).toThrow(/VLOG_FFMPEG_PATH/);
    expect(supportsAomRealtime({ ffmpegVersion: '5.1.9-0+deb12u1' })).toBe(true);
    expect(supportsAomRealtime({ ffmpegVersion: 'N-47683-g0e8eb07980-static' })).toBe(false);
  });
});

describe('RFC 6381 names from configuration boxes', () => {
  it('reads avcC, hvcC and av1C', () => {
    expect(avcNameFromConfig('avc1', Uint8Array.from([1, 0x64, 0x00, 0x1f]))).toBe('avc1.64001f');
    // Main profile, compatibility bits 1 and 2, progressive+frame-only constraints, level 93.
    const hvcC = Uint8Array.from([1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 93]);
    expect(hevcNameFromConfig('hvc1', hvcC)).toBe('hvc1.1.6.L93.90');
    const high = Uint8Array.from([1, 0x22, 0x20, 0, 0, 0, 0xb0, 0, 0, 0, 0, 0, 120]);
    expect(hevcNameFromConfig('hvc1', high)).toBe('hvc1.2.4.H120.B0');
    // Profile 0, level index 8 (4.0), main tier, 10-bit.
    expect(av1NameFromConfig(Uint8Array.from([0x81, 0x08, 0x4c, 0]))).toBe('av01.0.08M.10');
  });
});

describe('master playlist with formats and alternates', () => {
  const variant = (name: string, codecs: string, bandwidth: number): RenditionOutput => ({
    name,
    width: 640,
    height: 360,
    videoBitrateKbps: 600,
    audioBitrateKbps: 0,
    bandwidth,
    averageBandwidth: bandwidth - 1000,
    codecs,
    frameRate: 25,
    playlist: `${name}/playlist.m3u8`,
    segmentCount: 1,
    durationSeconds: 2,
    segmentFormat: 'fmp4',
  });
  const audio = (language: string, isDefault: boolean): AlternateRendition => ({
    type: 'AUDIO',
    groupId: 'aac',
    name: language,
    language,
    isDefault,
    uri: `audio-${language}/playlist.m3u8`,
    channels: 2,
    bandwidth: 130_000,
    averageBandwidth: 128_000,
  });

  it('is version 7 for fMP4, lists the main codec first and adds audio to every variant', () => {
    const text = masterPlaylistText(
      [
        variant('360p-h264', 'avc1.64001e', 700_000),
        variant('360p', 'hvc1.1.6.L60.90', 500_000),
        variant('720p', 'hvc1.1.6.L93.90', 1_500_000),
      ],
      [audio('fr', true), audio('en', false)],
    );
    const lines = text.split('\n');
    expect(lines[1]).toBe('#EXT-X-VERSION:7');
    expect(lines.filter((l) => l.startsWith('#EXT-X-MEDIA:TYPE=AUDIO'))).toHaveLength(2);
    const uris = lines.filter((l) => l.endsWith('playlist.m3u8') && !l.startsWith('#'));
    expect(uris).toEqual(['720p/playlist.m3u8', '360p/playlist.m3u8', '360p-h264/playlist.m3u8']);
    expect(text).toContain(
      'BANDWIDTH=1630000,AVERAGE-BANDWIDTH=1627000,RESOLUTION=640x360,' +
        'CODECS="hvc1.1.6.L93.90,mp4a.40.2",FRAME-RATE=25.000,AUDIO="aac"',
    );
  });
});

describe('alternate audio plan', () => {
  const track = (index: number, language: string, isDefault: boolean) => ({
    index,
    codec: 'aac',
    channels: 2,
    sampleRate: 48000,
    language,
    title: null,
    isDefault,
  });
  const source = (audio: SourceInfo['audio']): SourceInfo => ({
    durationSeconds: 3,
    formatName: 'mov',
    sizeBytes: 1,
    bitRate: null,
    video: null,
    audio,
    subtitles: [],
  });

  it('keeps one track muxed, and gives several tracks one default by index', () => {
    expect(planAlternateAudio(source([track(1, 'eng', true)]))).toEqual([]);
    const both = planAlternateAudio(source([track(1, 'fre', true), track(2, 'eng', true)]));
    expect(both.map((p) => [p.index, p.language, p.isDefault])).toEqual([
      [1, 'fr', true],
      [2, 'en', false],
    ]);
    const none = planAlternateAudio(source([track(3, 'ger', false), track(5, 'spa', false)]));
    expect(none.filter((p) => p.isDefault).map((p) => p.index)).toEqual([3]);
    expect(bcp47('und')).toBeNull();
    expect(bcp47('tlh')).toBe('tlh');
  });
});
