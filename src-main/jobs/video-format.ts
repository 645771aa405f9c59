import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import {
  isStreamingFormat,
  isVideoCodec,
  resolveStreamingFormat,
  type StreamingFormat,
  type VideoCodec,
} from '../media/formats';
import type { RenditionOutput } from '../media/hls';
import type { Rendition } from '../media/ladder';

/** The format and codec a video is published in, as chosen at upload (CMAF for HEVC/AV1). */
export async function readVideoFormat(
  db: Kysely<Database>,
  videoId: number,
): Promise<{ format: StreamingFormat; codec: VideoCodec }> {
  const row = await db
    .selectFrom('videos')
    .select(['streaming_format', 'primary_codec'])
    .where('id', '=', videoId)
    .executeTakeFirst();
  const codec = isVideoCodec(row?.primary_codec) ? row.primary_codec : 'h264';
  const format = isStreamingFormat(row?.streaming_format) ? row.streaming_format : 'hls_ts';
  return { format: resolveStreamingFormat(format, codec), codec };
}

const CODEC_PREFIX: Record<VideoCodec, string> = { h264: 'avc1.', hevc: 'hvc1.', av1: 'av01.' };

/** Whether a finished rendition is in the codec and packaging now planned for it. */
export function matchesPlan(
  output: Pick<RenditionOutput, 'codecs' | 'segmentFormat'>,
  planned: Rendition,
  format: StreamingFormat,
): boolean {
  const packaging = output.segmentFormat ?? 'mpegts';
  const wanted = format === 'cmaf' ? 'fmp4' : 'mpegts';
  return output.codecs.startsWith(CODEC_PREFIX[planned.codec ?? 'h264']) && packaging === wanted;
}
