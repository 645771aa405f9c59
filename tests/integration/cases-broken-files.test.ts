import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src-main/library/paths';
import {
  expectFinalFailure,
  makeDataFolders,
  masterText,
  pathExists,
  posterStream,
  publishedRenditions,
  renditionVideoStreams,
  startCaseHarness,
  type CaseHarness,
} from './cases-support';
import { makeClip } from './media-support';

let h: CaseHarness;

beforeAll(async () => {
  h = await startCaseHarness('cases_broken');
});

afterAll(async () => {
  await h?.close();
});

/** Top-level MP4 boxes in file order: an index (moov) before the media data (mdat) streams. */
async function topLevelBoxes(file: string): Promise<string[]> {
  const bytes = await readFile(file);
  const boxes: string[] = [];
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(offset);
    boxes.push(bytes.toString('latin1', offset + 4, offset + 8));
    if (size === 1) size = Number(bytes.readBigUInt64BE(offset + 8));
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}

/** Every file under a folder, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('case 04: a video with no audio stream', () => {
  it('is published without audio, and CODECS names no audio codec', async () => {
    await h.runCase('04_no_audio.sh');
    const run = await h.process(path.join(h.inputs, '04_no_audio.mp4'));
    const master = await masterText(run);
    expect(master).toMatch(/CODECS="avc1\.[0-9a-f]{6}"/);
    expect(master).not.toContain('mp4a');
    for (const rendition of await publishedRenditions(h, run)) {
      expect(await readdir(rendition.dir)).toContain('playlist.m3u8');
    }
  });
});

describe('case 05: audio-only files', () => {
  it.each(['05_audio_only.mpg', '05_audio_only.mp4'])(
    'fails %s once, finally, with "no video stream"',
    async (file) => {
      if (file.endsWith('.mpg')) await h.runCase('05_audio_only.sh');
      const run = await h.process(path.join(h.inputs, file));
      await expectFinalFailure(h, run, { code: 'NO_VIDEO_STREAM', message: /no video stream/i });
    },
  );
});

describe('case 13: an MP4 with its index (moov) at the end', () => {
  it('is accepted like any other; every MP4 the studio serves has its index first', async () => {
    await h.runCase('13_moov_at_end.sh');
    const source = path.join(h.inputs, '13_moov_at_end.mp4');
    const boxes = await topLevelBoxes(source);
    expect(boxes.indexOf('moov')).toBeGreaterThan(boxes.indexOf('mdat'));

    const run = await h.process(source);
    expect((await publishedRenditions(h, run)).length).toBeGreaterThan(0);
    const served = (await filesUnder(run.folder)).filter((f) => /\.(mp4|m4v|mov)$/i.test(f));
    for (const file of served) {
      const order = await topLevelBoxes(file);
      expect(order).toContain('moov');
      if (order.includes('mdat')) expect(order.indexOf('moov')).toBeLessThan(order.indexOf('mdat'));
    }
  });
});

describe('case 14: a file cut off at 60 %', () => {
  it('without its index fails once, finally, as corrupt or incomplete', async () => {
    await h.runCase('13_moov_at_end.sh', '14_truncated.sh');
    const run = await h.process(path.join(h.inputs, '14_truncated_no_moov.mp4'));
    await expectFinalFailure(h, run, {
      code: 'CORRUPT_SOURCE',
      message: /file is corrupt or incomplete/i,
    });
  });

  it('with its index fails on the short output instead of publishing it', async () => {
    const run = await h.process(path.join(h.inputs, '14_truncated_faststart.mp4'));
    // The index promises 3 s; only about 1.8 s of pictures exist.
    await expectFinalFailure(h, run, { code: 'OUTPUT_INVALID', message: /damaged or incomplete/ });
  });
});

describe('case 20: a hostile file name', () => {
  it('is processed normally, never through a shell, and nothing named PWNED appears', async () => {
    await h.runCase('20_hostile_filename.sh');
    const [name] = (await readdir(h.inputs)).filter((n) => n.startsWith('-20 '));
    expect(name).toContain('$(touch PWNED)');
    const run = await h.process(path.join(h.inputs, name!));
    const renditions = await publishedRenditions(h, run);
    expect(renditions.map((r) => [r.width, r.height])).toEqual([[320, 240]]);
    await posterStream(h, run);
    const title = await h.db
      .selectFrom('videos')
      .select('title')
      .where('id', '=', run.videoId)
      .executeTakeFirstOrThrow();
    expect(title.title).toContain('$(touch PWNED)');
    for (const place of [h.inputs, h.paths.root, process.cwd(), os.tmpdir()]) {
      const names = await readdir(place, { recursive: true }).catch(() => [] as string[]);
      expect(names.filter((n) => path.basename(String(n)) === 'PWNED')).toEqual([]);
    }
  });
});

describe('case 21: the disk fills up', () => {
  it('fails with "no space left on device", removes partial output, publishes nothing', async (context) => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vlog-full-disk-'));
    // Room for a ~25 KB source and the free-space check (3× the source), not for the
    // ~300 KB output: ffmpeg starts, and the disk fills during the transcode.
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', root]);
    if (mount.status !== 0) {
      await rm(root, { recursive: true, force: true });
      context.skip('mounting a small tmpfs needs root; the free-space check test covers the rest');
    }
    try {
      const small = dataPaths(root);
      await makeDataFolders(small);
      const source = path.join(h.inputs, '21-source.mp4');
      // A source larger than its own encode would fill the disk sooner than this one does.
      await makeClip(h.media, source, [
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=640x360:rate=30:duration=3',
        '-f',
        'lavfi',
        '-i',
        'sine=duration=3',
        '-c:v',
        'libx264',
        '-preset',
        'medium',
        '-crf',
        '51',
        '-c:a',
        'aac',
        '-b:a',
        '16k',
      ]);
      const run = await h.process(source, { paths: small });
      await expectFinalFailure(
        h,
        run,
        { code: 'NO_SPACE', message: /no space left on device/i },
        small,
      );
      expect(await readdir(small.videos)).toEqual([]);
      expect(await readdir(small.work)).toEqual([]);
    } finally {
      spawnSync('umount', [root]);
      await rm(root, { recursive: true, force: true });
    }
  });

  it('checks free space before starting: a source that cannot fit is refused up front', async (context) => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vlog-small-disk-'));
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=300k', 'tmpfs', root]);
    if (mount.status !== 0) {
      await rm(root, { recursive: true, force: true });
      context.skip('mounting a small tmpfs needs root');
    }
    try {
      const small = dataPaths(root);
      await makeDataFolders(small);
      // The 155 KB source fits in uploads/, three times its size does not.
      await h.runCase('13_moov_at_end.sh');
      const source = path.join(h.inputs, '13_moov_at_end.mp4');
      const run = await h.process(source, { paths: small });
      await expectFinalFailure(
        h,
        run,
        { code: 'NO_SPACE', message: /Not enough free disk space/ },
        small,
      );
      expect(await pathExists(path.join(small.work, String(run.videoId)))).toBe(false);
    } finally {
      spawnSync('umount', [root]);
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('streams the ladder does not use', () => {
  it('ignores attachment (font) and subtitle streams in a Matroska file', async () => {
    // The attachment's bytes do not matter: ffmpeg stores them, the ladder must skip them.
    const font = path.join(h.inputs, 'font.ttf');
    await writeFile(font, randomBytes(4096));
    const subtitles = path.join(h.inputs, 'subs.srt');
    await writeFile(subtitles, '1\n00:00:00,000 --> 00:00:01,500\nHello there\n\n');
    const file = await makeClip(h.media, path.join(h.inputs, 'attachments.mkv'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x180:rate=25:duration=2',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=2',
      '-i',
      subtitles,
      '-attach',
      font,
      '-metadata:s:t',
      'mimetype=application/x-truetype-font',
      '-map',
      '0',
      '-map',
      '1',
      '-map',
      '2',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:a',
      'aac',
      '-c:s',
      'srt',
    ]);
    const run = await h.process(file);
    const renditions = await publishedRenditions(h, run);
    const [stream] = await renditionVideoStreams(h, renditions[0]!.dir);
    expect(stream?.codec_name).toBe('h264');
    expect(await masterText(run)).toContain('mp4a.40.2');
  });
});
