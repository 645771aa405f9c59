import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log';
import type { StreamingFormat } from './formats';
import {
  ALTERNATE_DESCRIPTION,
  measureBandwidth,
  readPlaylist,
  validateRenditionOutput,
  type AlternateRendition,
} from './hls';
import { fileUrlArg, type SourceAudio, type SourceInfo, type SourceSubtitle } from './probe';
import { runFfmpeg } from './runner';
import type { MediaTools } from './tools';

export const AUDIO_GROUP_ID = 'aac';
export const SUBTITLE_GROUP_ID = 'subs';
/** Every alternate audio track is AAC-LC stereo at this bitrate (Apple's baseline audio). */
const ALTERNATE_AUDIO_KBPS = 128;
/** Subtitle codecs ffmpeg converts to WebVTT; bitmap subtitles (PGS, DVB) cannot be. */
const TEXT_SUBTITLE_CODECS = new Set(['subrip', 'srt', 'ass', 'ssa', 'mov_text', 'webvtt', 'text']);

/** One source audio track published as its own HLS audio rendition. */
export interface AlternateAudioPlan {
  index: number;
  folder: string;
  name: string;
  language: string | null;
  isDefault: boolean;
  channels: number;
}

/**
 * With two or more audio tracks, each becomes an alternate audio rendition (picked by its
 * stream index, never by ffmpeg); exactly one is DEFAULT: the first flagged default, else
 * the first. A single track stays muxed into the variants (one request per segment).
 */
export function planAlternateAudio(source: SourceInfo): AlternateAudioPlan[] {
  if (source.audio.length < 2) return [];
  const chosen = source.audio.find((t) => t.isDefault) ?? source.audio[0];
  return source.audio.map((track, position) => ({
    index: track.index,
    folder: `audio-${track.index}`,
    name: trackName(track, position),
    language: bcp47(track.language),
    isDefault: track === chosen,
    channels: 2,
  }));
}

function trackName(track: SourceAudio | SourceSubtitle, position: number): string {
  const title = track.title?.trim();
  if (title) return title;
  const language = bcp47(track.language);
  return language ? (LANGUAGE_NAMES[language] ?? language) : `Track ${position + 1}`;
}

/** ffmpeg output arguments writing one alternate audio rendition as its own HLS playlist. */
export function alternateAudioOutputArgs(
  plan: AlternateAudioPlan,
  options: { outputDir: string; format: StreamingFormat; segmentSeconds: number },
): string[] {
  const dir = path.join(options.outputDir, plan.folder);
  const cmaf = options.format === 'cmaf';
  return [
    '-map',
    `0:${plan.index}`,
    '-vn',
    '-c:a',
    'aac',
    '-b:a',
    `${ALTERNATE_AUDIO_KBPS}k`,
    '-ac',
    String(plan.channels),
    '-ar',
    '48000',
    '-af',
    'aresample=async=1',
    '-f',
    'hls',
    '-hls_time',
    String(options.segmentSeconds),
    '-hls_playlist_type',
    'vod',
    '-hls_segment_type',
    cmaf ? 'fmp4' : 'mpegts',
    ...(cmaf ? ['-hls_fmp4_init_filename', 'init.mp4'] : []),
    '-hls_flags',
    'independent_segments',
    '-hls_segment_filename',
    path.join(dir, cmaf ? 'segment-%05d.m4s' : 'segment-%05d.ts'),
    path.join(dir, 'playlist.m3u8'),
  ];
}

/** Empties the alternate audio folders before ffmpeg writes them. */
export async function prepareAlternateFolders(
  outputDir: string,
  plans: readonly AlternateAudioPlan[],
): Promise<void> {
  for (const plan of plans) {
    await rm(path.join(outputDir, plan.folder), { recursive: true, force: true });
    await mkdir(path.join(outputDir, plan.folder), { recursive: true });
  }
}

/** Verifies each written audio rendition and records its description beside it. */
export async function describeAlternateAudio(
  outputDir: string,
  plans: readonly AlternateAudioPlan[],
  expectedDurationSeconds: number,
): Promise<AlternateRendition[]> {
  const described: AlternateRendition[] = [];
  for (const plan of plans) {
    const dir = path.join(outputDir, plan.folder);
    await validateRenditionOutput(dir, { expectedDurationSeconds });
    const bandwidth = await measureBandwidth(
      dir,
      await readPlaylist(path.join(dir, 'playlist.m3u8')),
    );
    const rendition: AlternateRendition = {
      type: 'AUDIO',
      groupId: AUDIO_GROUP_ID,
      name: plan.name,
      language: plan.language,
      isDefault: plan.isDefault,
      uri: `${plan.folder}/playlist.m3u8`,
      channels: plan.channels,
      codecs: 'mp4a.40.2',
      ...bandwidth,
    };
    await writeFile(path.join(dir, ALTERNATE_DESCRIPTION), JSON.stringify(rendition));
    described.push(rendition);
  }
  return described;
}

/**
 * Text subtitle streams become single-file WebVTT renditions (subs-<index>/), each with a
 * one-segment VOD playlist. A stream that fails to convert is left out with a warning:
 * subtitles never fail a transcode.
 */
export async function extractSubtitles(options: {
  tools: MediaTools;
  input: string;
  source: SourceInfo;
  outputDir: string;
  log: Logger;
  signal?: AbortSignal | undefined;
}): Promise<AlternateRendition[]> {
  const text = options.source.subtitles.filter((s) => TEXT_SUBTITLE_CODECS.has(s.codec));
  const made: AlternateRendition[] = [];
  for (const [position, stream] of text.entries()) {
    const folder = `subs-${stream.index}`;
    const dir = path.join(options.outputDir, folder);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    try {
      await runFfmpeg(
        options.tools,
        [
          '-i',
          fileUrlArg(options.input),
          '-map',
          `0:${stream.index}`,
          '-c:s',
          'webvtt',
          '-f',
          'webvtt',
          path.join(dir, 'subtitles.vtt'),
        ],
        { log: options.log, signal: options.signal },
      );
    } catch (error) {
      if (options.signal?.aborted) throw error;
      options.log.warn({ err: error, stream: stream.index }, 'subtitle stream left out');
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    await writeFile(
      path.join(dir, 'playlist.m3u8'),
      subtitlePlaylist(options.source.durationSeconds),
    );
    const rendition: AlternateRendition = {
      type: 'SUBTITLES',
      groupId: SUBTITLE_GROUP_ID,
      name: trackName(stream, position),
      language: bcp47(stream.language),
      isDefault: false,
      uri: `${folder}/playlist.m3u8`,
    };
    await writeFile(path.join(dir, ALTERNATE_DESCRIPTION), JSON.stringify(rendition));
    made.push(rendition);
  }
  return made;
}

/** A VOD media playlist whose one segment is the whole WebVTT file. */
export function subtitlePlaylist(durationSeconds: number): string {
  const duration = Math.max(durationSeconds, 0.001);
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.ceil(duration))}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    `#EXTINF:${duration.toFixed(3)},`,
    'subtitles.vtt',
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}

/** ISO 639-2 codes (bibliographic and terminologic) of common languages → BCP 47. */
const ISO_639_2_TO_1: Record<string, string> = {
  eng: 'en',
  fre: 'fr',
  fra: 'fr',
  ger: 'de',
  deu: 'de',
  spa: 'es',
  ita: 'it',
  por: 'pt',
  dut: 'nl',
  nld: 'nl',
  rus: 'ru',
  jpn: 'ja',
  chi: 'zh',
  zho: 'zh',
  kor: 'ko',
  ara: 'ar',
  hin: 'hi',
  pol: 'pl',
  tur: 'tr',
  swe: 'sv',
  nor: 'no',
  dan: 'da',
  fin: 'fi',
  gre: 'el',
  ell: 'el',
  heb: 'he',
  cze: 'cs',
  ces: 'cs',
  hun: 'hu',
  ukr: 'uk',
  rum: 'ro',
  ron: 'ro',
  vie: 'vi',
  tha: 'th',
  ind: 'id',
  cat: 'ca',
};

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  fr: 'Français',
  de: 'Deutsch',
  es: 'Español',
  it: 'Italiano',
  pt: 'Português',
  nl: 'Nederlands',
  ru: 'Русский',
  ja: '日本語',
  zh: '中文',
};

/** A stream's language tag as BCP 47 (HLS LANGUAGE): "fre" → "fr"; null when unknown. */
export function bcp47(language: string | null): string | null {
  if (language === null) return null;
  const lower = language.trim().toLowerCase();
  if (lower === '' || lower === 'und') return null;
  return ISO_639_2_TO_1[lower] ?? lower;
}
