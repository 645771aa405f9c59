import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  codecsAttribute,
  masterPlaylistText,
  measureBandwidth,
  parsePlaylist,
  validateRenditionOutput,
  writeMasterPlaylist,
  type RenditionOutput,
} from './hls';

const vodPlaylist = (durations: number[], endList = true): string =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-TARGETDURATION:6',
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    ...durations.flatMap((d, i) => [`#EXTINF:${d.toFixed(6)},`, `segment-${i}.ts`]),
    ...(endList ? ['#EXT-X-ENDLIST'] : []),
    '',
  ].join('\n');

describe('parsePlaylist', () => {
  it('reads the tags and segments ffmpeg writes', () => {
    const playlist = parsePlaylist(vodPlaylist([6, 6, 0.166667]));
    expect(playlist).toEqual({
      version: 3,
      targetDurationSeconds: 6,
      playlistType: 'VOD',
      independentSegments: true,
      endList: true,
      segments: [
        { uri: 'segment-0.ts', durationSeconds: 6 },
        { uri: 'segment-1.ts', durationSeconds: 6 },
        { uri: 'segment-2.ts', durationSeconds: 0.166667 },
      ],
    });
  });

  it('notices a playlist cut off before ENDLIST', () => {
    expect(parsePlaylist(vodPlaylist([6], false)).endList).toBe(false);
  });
});

describe('validateRenditionOutput', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vlog-hls-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function writeRendition(durations: number[], options: { endList?: boolean } = {}) {
    await writeFile(path.join(dir, 'playlist.m3u8'), vodPlaylist(durations, options.endList));
    for (const [i] of durations.entries()) {
      await writeFile(path.join(dir, `segment-${i}.ts`), Buffer.alloc(1000 * (i + 1)));
    }
  }

  it('accepts a complete rendition whose durations add up to the source', async () => {
    await writeRendition([6, 6, 0.2]);
    await expect(validateRenditionOutput(dir, { expectedDurationSeconds: 12.1 })).resolves.toEqual({
      segmentCount: 3,
      durationSeconds: 12.2,
    });
  });

  it('rejects a missing playlist, no ENDLIST, an empty segment, a short output', async () => {
    const check = () => validateRenditionOutput(dir, { expectedDurationSeconds: 12 });
    await expect(check()).rejects.toMatchObject({ code: 'OUTPUT_INVALID' });

    await writeRendition([6, 6], { endList: false });
    await expect(check()).rejects.toThrow(/no ENDLIST/);

    await writeRendition([6, 6]);
    await writeFile(path.join(dir, 'segment-1.ts'), '');
    await expect(check()).rejects.toThrow(/segment-1.ts is missing or empty/);

    await writeRendition([6, 4]);
    await expect(check()).rejects.toMatchObject({
      code: 'OUTPUT_INVALID',
      retryable: false,
      message: expect.stringContaining('lasts 10.00 s but the source claims 12.00 s'),
    });
  });
});

describe('master playlist', () => {
  const rendition = (name: string, hasAudio: boolean): RenditionOutput => ({
    name,
    width: 960,
    height: 540,
    videoBitrateKbps: 1380,
    audioBitrateKbps: 128,
    bandwidth: 1_600_000,
    averageBandwidth: 1_450_000,
    codecs: codecsAttribute('avc1.64001f', hasAudio),
    frameRate: 29.97002997,
    playlist: `${name}/playlist.m3u8`,
    segmentCount: 1,
    durationSeconds: 5,
  });

  it('lists each variant with peak and average bandwidth, size, codecs and frame rate', () => {
    expect(masterPlaylistText([rendition('540p', true), rendition('360p', false)])).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-STREAM-INF:BANDWIDTH=1600000,AVERAGE-BANDWIDTH=1450000,RESOLUTION=960x540,' +
          'CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=29.970',
        '540p/playlist.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=1600000,AVERAGE-BANDWIDTH=1450000,RESOLUTION=960x540,' +
          'CODECS="avc1.64001f",FRAME-RATE=29.970',
        '360p/playlist.m3u8',
        '',
      ].join('\n'),
    );
  });

  it('writes master.m3u8 and refuses an empty ladder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vlog-master-'));
    const file = await writeMasterPlaylist(dir, [rendition('540p', true)]);
    expect(await readFile(file, 'utf8')).toContain('540p/playlist.m3u8');
    await expect(writeMasterPlaylist(dir, [])).rejects.toMatchObject({ code: 'OUTPUT_INVALID' });
    await rm(dir, { recursive: true, force: true });
  });

  it('measures peak over any one segment and average over the whole', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vlog-bw-'));
    await writeFile(path.join(dir, 'a.ts'), Buffer.alloc(6000));
    await writeFile(path.join(dir, 'b.ts'), Buffer.alloc(3000));
    const playlist = parsePlaylist('#EXTINF:6,\na.ts\n#EXTINF:2,\nb.ts\n#EXT-X-ENDLIST\n');
    expect(await measureBandwidth(dir, playlist)).toEqual({
      bandwidth: 12000,
      averageBandwidth: 9000,
    });
    await rm(dir, { recursive: true, force: true });
  });
});
