import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { StudioContext } from '../context';
import { captionsPath, captionsVttPathColumn } from '../library/captions';
import { countWords, cuesToVtt, transcriptText, type CaptionCue } from '../library/captions-format';
import { readSetting } from '../library/settings';
import { findSourceFiles } from '../library/video-files';
import type { Logger } from '../log';
import {
  SILENCE_PEAK_DB,
  chooseSpeechStream,
  extractSpeechAudio,
  listAudioStreams,
  measurePeakVolume,
} from '../media/speech';
import type { SpeechEngine, SpeechSegment } from './engine';
import { TranscriptionError } from './errors';
import { resolveModel, type ModelDownloadProgress } from './model';

/** What a transcription needs of the running studio. */
export type TranscriptionContext = Pick<StudioContext, 'db' | 'paths' | 'bus' | 'media'>;

/** The statuses a transcription row goes through; the last four are final. */
export type TranscriptionStatus =
  'pending' | 'processing' | 'completed' | 'no_audio' | 'no_speech' | 'failed';

/** Which part of the work a progress report is about. */
export type TranscriptionPhase = 'extracting' | 'model_download' | 'transcribing' | 'finished';

export interface TranscribeVideoOptions {
  engine: SpeechEngine;
  log: Logger;
  env?: NodeJS.ProcessEnv | undefined;
  signal?: AbortSignal | undefined;
}

/** What one run ended as. */
export interface TranscriptionOutcome {
  status: Exclude<TranscriptionStatus, 'pending' | 'processing'>;
  language: string | null;
  wordCount: number;
  cueCount: number;
}

/** Share of the progress bar given to audio extraction before inference starts. */
const EXTRACTION_SHARE = 10;

type ProgressReporter = (phase: TranscriptionPhase, percent: number, extra?: object) => void;

function progressReporter(ctx: TranscriptionContext, videoId: number): ProgressReporter {
  let last = '';
  return (phase, percent, extra = {}) => {
    const rounded = Math.round(Math.max(0, Math.min(100, percent)));
    const key = `${phase}:${rounded}`;
    if (key === last) return;
    last = key;
    ctx.bus.emit('transcription.progress', {
      videoId,
      status: phase === 'finished' ? 'completed' : 'processing',
      phase,
      percent: rounded,
      modelDownload: null,
      ...extra,
    });
  };
}

async function markProcessing(ctx: TranscriptionContext, videoId: number): Promise<void> {
  const values = {
    status: 'processing',
    started_at: new Date(),
    completed_at: null,
    duration_seconds: null,
    error_message: null,
  };
  await ctx.db
    .insertInto('transcriptions')
    .values({ video_id: videoId, ...values })
    .onConflict((oc) => oc.column('video_id').doUpdateSet(values))
    .execute();
}

async function finish(
  ctx: TranscriptionContext,
  videoId: number,
  values: {
    status: TranscriptionStatus;
    language?: string | null;
    transcript_text?: string | null;
    word_count?: number | null;
    vtt_path?: string | null;
    error_message?: string | null;
  },
): Promise<void> {
  await ctx.db
    .updateTable('transcriptions')
    .set({
      ...values,
      completed_at: new Date(),
      duration_seconds: sql<number>`extract(epoch from (now() - started_at))`,
    })
    .where('video_id', '=', videoId)
    .execute();
}

/**
 * Turns engine segments into caption cues inside the audio: times clamped to the duration,
 * empty or zero-length segments dropped (a model can place a segment past the end).
 */
export function segmentsToCues(
  segments: readonly SpeechSegment[],
  durationSeconds: number,
): CaptionCue[] {
  const limit = durationSeconds > 0 ? durationSeconds : Number.POSITIVE_INFINITY;
  const cues: CaptionCue[] = [];
  for (const segment of segments) {
    const start = Math.max(0, Math.min(segment.start, limit));
    const end = Math.min(Math.max(segment.end, start), limit);
    const text = segment.text.replace(/\s+/g, ' ').trim();
    if (text === '' || end - start < 0.01) continue;
    cues.push({ start: round3(start), end: round3(end), text });
  }
  return cues;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

async function writeCaptions(file: string, cues: readonly CaptionCue[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, cuesToVtt(cues), 'utf8');
  await fs.rename(temporary, file);
}

async function loadVideo(ctx: TranscriptionContext, videoId: number) {
  const video = await ctx.db
    .selectFrom('videos')
    .select(['id', 'slug', 'duration'])
    .where('id', '=', videoId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!video) {
    throw new TranscriptionError('SOURCE_NOT_FOUND', `No video with id ${videoId} exists.`);
  }
  const [source] = await findSourceFiles(ctx.paths, videoId);
  if (!source) {
    throw new TranscriptionError(
      'SOURCE_NOT_FOUND',
      `The source file of video ${videoId} is missing from the uploads folder, so it cannot ` +
        'be transcribed. Upload the video again.',
    );
  }
  return { ...video, source };
}

/** Ends a run that found nothing to transcribe: an empty transcript with its own status. */
async function finishEmpty(
  ctx: TranscriptionContext,
  video: { id: number; slug: string },
  status: 'no_audio' | 'no_speech',
  language: string | null,
): Promise<TranscriptionOutcome> {
  await fs.rm(captionsPath(ctx.paths, video.slug), { force: true });
  await finish(ctx, video.id, {
    status,
    language,
    transcript_text: '',
    word_count: 0,
    vtt_path: null,
  });
  return { status, language, wordCount: 0, cueCount: 0 };
}

/**
 * Transcribes one video's speech into captions: picks the audio stream, extracts it as 16 kHz
 * mono WAV, skips inference for silence, runs the engine, and stores captions.vtt and the
 * transcriptions row. A failure marks the row failed and is thrown again.
 */
export async function transcribeVideo(
  ctx: TranscriptionContext,
  videoId: number,
  options: TranscribeVideoOptions,
): Promise<TranscriptionOutcome> {
  const log = options.log.child({ videoId });
  const report = progressReporter(ctx, videoId);
  const scratch = path.join(ctx.paths.work, `transcribe-${videoId}-${randomUUID()}`);
  await markProcessing(ctx, videoId);
  report('extracting', 0);
  try {
    const video = await loadVideo(ctx, videoId);
    const outcome = await runTranscription(ctx, video, scratch, { ...options, log }, report);
    report('finished', 100, { status: outcome.status });
    log.info({ ...outcome }, 'transcription finished');
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finish(ctx, videoId, { status: 'failed', error_message: message });
    ctx.bus.emit('transcription.progress', {
      videoId,
      status: 'failed',
      phase: 'finished',
      percent: 100,
      modelDownload: null,
      errorMessage: message,
    });
    log.error({ err: error }, 'transcription failed');
    throw error;
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

async function runTranscription(
  ctx: TranscriptionContext,
  video: { id: number; slug: string; duration: number | null; source: string },
  scratch: string,
  options: TranscribeVideoOptions,
  report: ProgressReporter,
): Promise<TranscriptionOutcome> {
  const runOptions = { log: options.log, signal: options.signal };
  const stream = chooseSpeechStream(await listAudioStreams(ctx.media, video.source, runOptions));
  if (!stream) return finishEmpty(ctx, video, 'no_audio', null);

  await fs.mkdir(scratch, { recursive: true });
  const wav = path.join(scratch, 'speech.wav');
  const duration = video.duration ?? undefined;
  await extractSpeechAudio(
    ctx.media,
    { path: video.source, streamIndex: stream.index, durationSeconds: duration },
    wav,
    { ...runOptions, onProgress: (p) => report('extracting', (p * EXTRACTION_SHARE) / 100) },
  );
  const peak = await measurePeakVolume(ctx.media, wav, runOptions);
  options.log.info({ streamIndex: stream.index, peakDb: peak }, 'speech audio extracted');
  if (peak !== null && peak <= SILENCE_PEAK_DB) {
    return finishEmpty(ctx, video, 'no_speech', stream.language);
  }

  const model = await resolveModel({
    env: options.env ?? process.env,
    db: ctx.db,
    dataDir: ctx.paths.root,
    log: options.log,
    signal: options.signal,
    onDownloadProgress: (download: ModelDownloadProgress) =>
      report('model_download', download.percent ?? 0, { modelDownload: download }),
  });
  options.log.info({ model: model.name, origin: model.origin }, 'speech model ready');
  const language = await transcriptionLanguage(ctx);
  const result = await options.engine.transcribe({
    modelPath: model.path,
    audioPath: wav,
    language,
    signal: options.signal,
    onProgress: (p) =>
      report('transcribing', EXTRACTION_SHARE + (p * (100 - EXTRACTION_SHARE)) / 100),
  });
  const cues = segmentsToCues(result.segments, video.duration ?? 0);
  const detected = result.language ?? (language === 'auto' ? null : language);
  if (cues.length === 0) return finishEmpty(ctx, video, 'no_speech', detected);
  return storeCaptions(ctx, video, cues, detected);
}

async function storeCaptions(
  ctx: TranscriptionContext,
  video: { id: number; slug: string },
  cues: CaptionCue[],
  language: string | null,
): Promise<TranscriptionOutcome> {
  await writeCaptions(captionsPath(ctx.paths, video.slug), cues);
  const text = transcriptText(cues);
  const wordCount = countWords(text);
  await finish(ctx, video.id, {
    status: 'completed',
    language: language?.slice(0, 10) ?? null,
    transcript_text: text,
    word_count: wordCount,
    vtt_path: captionsVttPathColumn(video.slug),
    error_message: null,
  });
  return { status: 'completed', language, wordCount, cueCount: cues.length };
}

/** The language setting ('auto' lets a multilingual model detect it); English by default. */
async function transcriptionLanguage(ctx: TranscriptionContext): Promise<string> {
  const value = await readSetting(ctx.db, 'transcription.language');
  return typeof value === 'string' && /^([a-z]{2,3}|auto)$/.test(value) ? value : 'en';
}
