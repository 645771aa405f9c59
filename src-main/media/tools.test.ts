import { describe, expect, it } from 'vitest';
import { locateMediaTools, parseEncoders, parseVersion } from './tools';

describe('parsing tool output', () => {
  it('reads the version from the first line', () => {
    expect(parseVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026')).toBe(
      '5.1.9-0+deb12u1',
    );
    expect(parseVersion('garbage')).toBe('unknown');
    const snapshot =
      'ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/\n' +
      'libavutil      56. 24.101 / 56. 24.101\n';
    expect(parseVersion(snapshot)).toBe('4.x (N-47683-g0e8eb07980-static)');
  });

  it('reads encoder names after the legend', () => {
    const output = [
      'Encoders:',
      ' V..... = Video',
      ' A..... = Audio',
      ' ------',
      ' V....D libx264              libx264 H.264 / AVC',
      ' A..... aac                  AAC (Advanced Audio Coding)',
      '',
    ].join('\n');
    expect([...parseEncoders(output)]).toEqual(['libx264', 'aac']);
  });
});

describe('locateMediaTools', () => {
  it('finds a working ffmpeg with libx264 and aac without configuration', async () => {
    const tools = await locateMediaTools();
    expect(['ffmpeg-static', 'installer', 'system']).toContain(tools.origin);
    expect(tools.encoders.has('libx264')).toBe(true);
    expect(tools.encoders.has('aac')).toBe(true);
    expect(tools.ffmpegVersion).not.toBe('unknown');
  });

  it('uses explicit paths, with the ffprobe next to ffmpeg', async () => {
    const tools = await locateMediaTools({ ffmpegPath: '/usr/bin/ffmpeg' });
    expect(tools).toMatchObject({
      origin: 'env',
      ffmpegPath: '/usr/bin/ffmpeg',
      ffprobePath: '/usr/bin/ffprobe',
    });
  });

  it('says what to set when the explicit ffmpeg cannot run', async () => {
    await expect(locateMediaTools({ ffmpegPath: '/nonexistent/ffmpeg' })).rejects.toMatchObject({
      code: 'TOOLS_MISSING',
      message: expect.stringContaining('VLOG_FFMPEG_PATH'),
    });
  });

  it('rejects a binary that is not an ffmpeg with libx264', async () => {
    await expect(
      locateMediaTools({ ffmpegPath: '/bin/echo', ffprobePath: '/bin/echo' }),
    ).rejects.toMatchObject({
      code: 'TOOLS_MISSING',
      message: expect.stringMatching(/lacks the libx264 and aac encoder.*VLOG_FFMPEG_PATH/),
    });
  });
});
