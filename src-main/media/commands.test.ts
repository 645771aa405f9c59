import { describe, expect, it } from 'vitest';
import {
  buildLadderArgs,
  buildRenditionArgs,
  buildThumbnailArgs,
  h264Level,
  thumbnailSeekSeconds,
} from './commands';
import { planLadder } from './ladder';
import type { SourceInfo, SourceVideo } from './probe';

const flowerVideo: SourceVideo = {
  index: 0,
  codec: 'h264',
  profile: 'High',
  pixFmt: 'yuv420p',
  width: 960,
  height: 540,
  codedWidth: 960,
  codedHeight: 540,
  rotation: 0,
  frameRate: 29.97,
  colorTransfer: 'bt709',
  colorPrimaries: 'bt709',
  colorSpace: 'bt709',
  bitDepth: 8,
  isHdr: false,
};

function source(video: Partial<SourceVideo> = {}, durationSeconds = 5): SourceInfo {
  return {
    durationSeconds,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    sizeBytes: 1,
    bitRate: 1,
    video: { ...flowerVideo, ...video },
    audio: [],
    subtitles: [],
  };
}

const scale540 = 'scale=w=960:h=540:flags=bicubic:out_color_matrix=bt709:out_range=tv';
const scale360 = 'scale=w=640:h=360:flags=bicubic:out_color_matrix=bt709:out_range=tv';

function videoArgs(level: string, kbps: number, maxrate: number, bufsize: number): string[] {
  return [
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-profile:v',
    'high',
    '-level:v',
    level,
    '-pix_fmt',
    'yuv420p',
    '-b:v',
    `${kbps}k`,
    '-maxrate',
    `${maxrate}k`,
    '-bufsize',
    `${bufsize}k`,
    '-force_key_frames',
    'expr:gte(t,n_forced*2)',
    '-sc_threshold',
    '0',
    '-color_range',
    'tv',
    '-colorspace',
    'bt709',
    '-color_primaries',
    'bt709',
    '-color_trc',
    'bt709',
  ];
}

function hlsArgs(dir: string): string[] {
  return [
    '-f',
    'hls',
    '-hls_time',
    '6',
    '-hls_playlist_type',
    'vod',
    '-hls_segment_type',
    'mpegts',
    '-hls_flags',
    'independent_segments',
    '-hls_segment_filename',
    `${dir}/segment-%05d.ts`,
    `${dir}/playlist.m3u8`,
  ];
}

describe('buildLadderArgs', () => {
  const ladder = planLadder({ width: 960, height: 540 });
  const twoRungs = [ladder[0]!, ladder[2]!];

  it('decodes once, splits, and writes each rendition as its own HLS output', () => {
    const args = buildLadderArgs({
      input: '/videos/-flower $(touch PWNED).mp4',
      source: source(),
      renditions: twoRungs,
      outputDir: '/work/v1',
      audioIndex: 1,
    });
    const audio = (kbps: number): string[] => [
      '-map',
      '0:1',
      '-c:a',
      'aac',
      '-b:a',
      `${kbps}k`,
      '-ac',
      '2',
      '-ar',
      '48000',
      '-af',
      'aresample=async=1:first_pts=0',
    ];
    expect(args).toEqual([
      '-i',
      'file:/videos/-flower $(touch PWNED).mp4',
      '-filter_complex',
      `[0:0]split=2[sv0][sv1];[sv0]${scale540},format=yuv420p,setsar=1[v0];` +
        `[sv1]${scale360},format=yuv420p,setsar=1[v1]`,
      '-map',
      '[v0]',
      ...audio(128),
      ...videoArgs('3.1', 1380, 1518, 2760),
      ...hlsArgs('/work/v1/540p'),
      '-map',
      '[v1]',
      ...audio(96),
      ...videoArgs('3.0', 600, 660, 1200),
      ...hlsArgs('/work/v1/360p'),
    ]);
  });

  it('maps no audio when the source has none, and maps the video by its stream index', () => {
    const args = buildLadderArgs({
      input: '/in.mp4',
      source: source({ index: 3 }),
      renditions: [ladder[2]!],
      outputDir: '/out',
      audioIndex: null,
      segmentSeconds: 4,
    });
    expect(args.slice(0, 4)).toEqual([
      '-i',
      'file:/in.mp4',
      '-filter_complex',
      `[0:3]split=1[sv0];[sv0]${scale360},format=yuv420p,setsar=1[v0]`,
    ]);
    expect(args).not.toContain('-c:a');
    expect(args.filter((a) => a === '-map')).toHaveLength(1);
    expect(args[args.indexOf('-hls_time') + 1]).toBe('4');
  });

  it('tone-maps HDR sources to BT.709 once, before the split', () => {
    const args = buildLadderArgs({
      input: '/hdr.mkv',
      source: source({ isHdr: true, colorTransfer: 'arib-std-b67', bitDepth: 10 }),
      renditions: [ladder[2]!],
      outputDir: '/out',
    });
    expect(args[3]).toBe(
      '[0:0]zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,' +
        'tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,split=1[sv0];' +
        `[sv0]${scale360},format=yuv420p,setsar=1[v0]`,
    );
  });

  it('adds no rotation filter: autorotate has already turned the frames upright', () => {
    const args = buildLadderArgs({
      input: '/phone.mp4',
      source: source({ rotation: 90, width: 360, height: 640, codedWidth: 640, codedHeight: 360 }),
      renditions: planLadder({ width: 360, height: 640 }),
      outputDir: '/out',
    });
    expect(args[3]).toContain('scale=w=360:h=640');
    expect(args.join(' ')).not.toMatch(/transpose|rotate|noautorotate/);
  });

  it('refuses relative input paths, which ffmpeg could read as options', () => {
    expect(() =>
      buildLadderArgs({ input: '-i', source: source(), renditions: twoRungs, outputDir: '/o' }),
    ).toThrow(/absolute/);
  });
});

describe('buildRenditionArgs', () => {
  it('encodes one rendition from its own decode', () => {
    const rendition = planLadder({ width: 960, height: 540 })[2]!;
    expect(
      buildRenditionArgs(
        { input: '/in.mp4', source: source(), renditions: [rendition], outputDir: '/out' },
        rendition,
      ),
    ).toEqual([
      '-i',
      'file:/in.mp4',
      '-filter_complex',
      `[0:0]${scale360},format=yuv420p,setsar=1[v0]`,
      '-map',
      '[v0]',
      ...videoArgs('3.0', 600, 660, 1200),
      ...hlsArgs('/out/360p'),
    ]);
  });
});

describe('buildThumbnailArgs', () => {
  it('seeks 10% in and picks a representative frame from about three seconds', () => {
    expect(
      buildThumbnailArgs({ input: '/in.mp4', source: source({}, 60), outputPath: '/o/t.jpg' }),
    ).toEqual([
      '-ss',
      '6',
      '-i',
      'file:/in.mp4',
      '-map',
      '0:0',
      '-vf',
      'scale=w=640:h=-2:out_color_matrix=bt709:out_range=pc,setsar=1,thumbnail=n=90,' +
        'format=yuvj420p',
      '-an',
      '-sn',
      '-frames:v',
      '1',
      '-q:v',
      '3',
      '-f',
      'image2',
      '-update',
      '1',
      '/o/t.jpg',
    ]);
  });

  it('takes frame 0 of a one-frame clip, and compares only the frames a short clip has', () => {
    const oneFrame = buildThumbnailArgs({
      input: '/in.mp4',
      source: source({}, 0.04),
      outputPath: '/t.jpg',
    });
    expect(oneFrame.slice(0, 2)).toEqual(['-i', 'file:/in.mp4']);
    expect(oneFrame[oneFrame.indexOf('-vf') + 1]).toContain('thumbnail=n=1,');
    const short = buildThumbnailArgs({
      input: '/in.mp4',
      source: source({}, 2),
      outputPath: '/t.jpg',
    });
    expect(short.slice(0, 2)).toEqual(['-ss', '0.2']);
    expect(short[short.indexOf('-vf') + 1]).toContain('thumbnail=n=54,');
  });
});

describe('thumbnailSeekSeconds', () => {
  it('is 10% of the duration, never past half, and 0 when the clip is tiny', () => {
    expect(thumbnailSeekSeconds(100)).toBe(10);
    expect(thumbnailSeekSeconds(0.4)).toBe(0.04);
    expect(thumbnailSeekSeconds(0.1)).toBe(0);
    expect(thumbnailSeekSeconds(0)).toBe(0);
    expect(thumbnailSeekSeconds(Number.NaN)).toBe(0);
  });
});

describe('h264Level', () => {
  it('picks the lowest level that fits size, frame rate and bitrate', () => {
    expect(h264Level(640, 360, 30, 660)).toBe('3.0');
    expect(h264Level(960, 540, 29.97, 1518)).toBe('3.1');
    expect(h264Level(1280, 720, 30, 2750)).toBe('3.1');
    expect(h264Level(1280, 720, 60, 2750)).toBe('3.2');
    expect(h264Level(1920, 1080, 30, 5500)).toBe('4.0');
    expect(h264Level(1920, 1080, 60, 5500)).toBe('4.2');
    expect(h264Level(2560, 1440, 30, 8800)).toBe('5.0');
    expect(h264Level(3840, 2160, 30, 16500)).toBe('5.1');
    expect(h264Level(1080, 1920, 30, 5500)).toBe('4.0');
  });
});
