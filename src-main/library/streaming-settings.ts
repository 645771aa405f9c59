import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import {
  codecNeedsCmaf,
  isStreamingFormat,
  isVideoCodec,
  type StreamingFormat,
  type VideoCodec,
} from '../media/formats';
import { LibraryError } from './errors';
import { readSetting, writeSetting, type SettingDefinition } from './settings';

export const DEFAULT_FORMAT_SETTING: SettingDefinition = {
  key: 'streaming.default_format',
  category: 'streaming',
  valueType: 'enum',
  description: 'Packaging of new videos: hls_ts (MPEG-TS) or cmaf (fMP4).',
};

export const DEFAULT_CODEC_SETTING: SettingDefinition = {
  key: 'streaming.default_codec',
  category: 'streaming',
  valueType: 'enum',
  description: 'Video codec of new videos: h264, hevc or av1 (HEVC/AV1 add an H.264 fallback).',
};

/** The studio-wide defaults for new videos. */
export interface StreamingDefaults {
  format: StreamingFormat;
  codec: VideoCodec;
}

/** The stored defaults, or hls_ts + h264 where nothing (valid) is stored. */
export async function readStreamingDefaults(db: Kysely<Database>): Promise<StreamingDefaults> {
  const format = await readSetting(db, DEFAULT_FORMAT_SETTING.key);
  const codec = await readSetting(db, DEFAULT_CODEC_SETTING.key);
  return {
    format: isStreamingFormat(format) ? format : 'hls_ts',
    codec: isVideoCodec(codec) ? codec : 'h264',
  };
}

/** Stores new defaults (either or both). */
export async function writeStreamingDefaults(
  db: Kysely<Database>,
  changes: Partial<StreamingDefaults>,
): Promise<StreamingDefaults> {
  if (changes.format !== undefined) await writeSetting(db, DEFAULT_FORMAT_SETTING, changes.format);
  if (changes.codec !== undefined) await writeSetting(db, DEFAULT_CODEC_SETTING, changes.codec);
  return readStreamingDefaults(db);
}

/**
 * The format and codec of a new video: what the upload asked for, else the defaults. HEVC
 * and AV1 are only valid HLS in fMP4: an explicit request for them in hls_ts is refused,
 * while a default format of hls_ts simply becomes cmaf for them.
 */
export async function chooseStreaming(
  db: Kysely<Database>,
  requested: { format?: StreamingFormat | undefined; codec?: VideoCodec | undefined },
): Promise<StreamingDefaults> {
  const defaults = await readStreamingDefaults(db);
  const codec = requested.codec ?? defaults.codec;
  if (requested.format === 'hls_ts' && codecNeedsCmaf(codec)) {
    throw new LibraryError(
      'VALIDATION_FAILED',
      `${codec === 'hevc' ? 'HEVC' : 'AV1'} is streamed in fMP4 segments only: choose ` +
        'streaming_format "cmaf" (or leave it out to get cmaf automatically).',
      { streaming_format: requested.format, primary_codec: codec },
    );
  }
  const format = codecNeedsCmaf(codec) ? 'cmaf' : (requested.format ?? defaults.format);
  return { format, codec };
}
