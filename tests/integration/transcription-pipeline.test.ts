import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema';
import { StudioEventBus, type StudioEvents } from '../../src-main/events/bus';
import { captionsPath } from '../../src-main/library/captions';
import { countWords, parseCaptions } from '../../src-main/library/captions-format';
import { dataPaths, type DataPaths } from '../../src-main/library/paths';
import { writeSetting } from '../../src-main/library/settings';
import { createLogger } from '../../src-main/log';
import { locateMediaTools, type MediaTools } from '../../src-main/media/tools';
import { createWhisperEngine, type SpeechEngine } from '../../src-main/transcription/engine';
import { isTranscriptionError } from '../../src-main/transcription/errors';
import { MODEL_PATH_SETTING } from '../../src-main/transcription/model';
import {
  transcribeVideo,
  type TranscriptionContext,
} from '../../src-main/transcription/transcribe-video';
import { createTestDatabase } from '../support/database';
import { fixturePath } from '../support/fixtures';
import { writeTinyWhisperModel } from '../support/whisper-model';

const execFileAsync = promisify(execFile);
const log = createLogger('test.transcription');

let db: Kysely<Database>;
let drop: () => Promise<void>;
let media: MediaTools;
let paths: DataPaths;
let bus: StudioEventBus;
let engine: SpeechEngine;
let modelPath: string;
let serial = 0;

function context(): TranscriptionContext {
  return { db, paths, bus, media };
}

beforeAll(async () => {
  const created = await createTestDatabase('transcription');
  db = created.db;
  drop = created.drop;
  media = await locateMediaTools({
    ffmpegPath: process.env['VLOG_FFMPEG_PATH'],
    ffprobePath: process.env['VLOG_FFPROBE_PATH'],
  });
  paths = dataPaths(await mkdtemp(path.join(os.tmpdir(), 'vlog-transcription-')));
  for (const folder of [paths.uploads, paths.videos, paths.archive, paths.work]) {
    await mkdir(folder, { recursive: true });
  }
  modelPath = path.join(paths.root, 'ggml-tiny-test.bin');
  await writeTinyWhisperModel(modelPath);
  bus = new StudioEventBus();
  engine = createWhisperEngine(log);
});

afterAll(async () => {
  await engine?.close();
  await drop?.();
  if (paths) await rm(paths.root, { recursive: true, force: true });
});

/** A ready video whose kept source is `file`. */
async function readyVideo(file: string, duration: number) {
  serial += 1;
  const slug = `speech-${serial}`;
  const video = await db
    .insertInto('videos')
    .values({ title: path.basename(file), slug, status: 'ready', duration })
    .returning('id')
    .executeTakeFirstOrThrow();
  await copyFile(file, path.join(paths.uploads, `${video.id}${path.extname(file)}`));
  await mkdir(path.join(paths.videos, slug), { recursive: true });
  return { videoId: video.id, slug };
}

async function makeClip(name: string, args: string[]): Promise<string> {
  const output = path.join(paths.root, name);
  await execFileAsync(media.ffmpegPath, [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    ...args,
    output,
  ]);
  return output;
}

async function transcriptionRow(videoId: number) {
  return db
    .selectFrom('transcriptions')
    .selectAll()
    .where('video_id', '=', videoId)
    .executeTakeFirstOrThrow();
}

/** Points the model at a file that does not exist: a run that reaches inference fails. */
const noModelEnv = { VLOG_WHISPER_MODEL: '/nonexistent/ggml-missing.bin' };

describe('transcription through the real whisper.cpp engine', () => {
  it('transcribes friday.mp4 (audio stream first) with the generated model', async () => {
    const { videoId, slug } = await readyVideo(fixturePath('friday.mp4'), 6);
    const events: Array<StudioEvents['transcription.progress']> = [];
    const off = bus.on('transcription.progress', (event) => events.push(event));
    const started = Date.now();
    const outcome = await transcribeVideo(context(), videoId, {
      engine,
      log,
      env: { VLOG_WHISPER_MODEL: modelPath },
    }).finally(off);
    log.info({ ms: Date.now() - started, outcome }, 'friday.mp4 transcribed');

    expect(outcome.status).toBe('completed');
    const row = await transcriptionRow(videoId);
    expect(row.status).toBe('completed');
    expect(row.language).toBe('en');
    expect(row.started_at).toBeInstanceOf(Date);
    expect(row.completed_at!.getTime()).toBeGreaterThanOrEqual(row.started_at!.getTime());
    expect(row.duration_seconds).toBeGreaterThan(0);
    expect(row.vtt_path).toBe(`videos/${slug}/captions.vtt`);
    expect(row.word_count).toBe(countWords(row.transcript_text ?? ''));
    expect(row.error_message).toBeNull();

    const vtt = await readFile(captionsPath(paths, slug), 'utf8');
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    const { cues } = parseCaptions(vtt);
    expect(cues.length).toBe(outcome.cueCount);
    for (const cue of cues) {
      expect(cue.start).toBeGreaterThanOrEqual(0);
      expect(cue.end).toBeLessThanOrEqual(6);
      expect(cue.end).toBeGreaterThan(cue.start);
    }
    const phases = new Set(events.map((event) => event.phase));
    expect(phases).toEqual(new Set(['extracting', 'transcribing', 'finished']));
    expect(events.at(-1)).toMatchObject({ phase: 'finished', percent: 100 });
    expect(await readdir(paths.work)).toEqual([]);
  });

  it('marks a video without an audio stream no_audio without loading a model', async () => {
    const clip = await makeClip('04_no_audio.mp4', [
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=15:duration=2'],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-an'],
    ]);
    const { videoId, slug } = await readyVideo(clip, 2);
    const outcome = await transcribeVideo(context(), videoId, { engine, log, env: noModelEnv });

    expect(outcome).toMatchObject({ status: 'no_audio', wordCount: 0 });
    const row = await transcriptionRow(videoId);
    expect(row).toMatchObject({ status: 'no_audio', transcript_text: '', word_count: 0 });
    expect(row.error_message).toBeNull();
    expect(row.vtt_path).toBeNull();
    await expect(readFile(captionsPath(paths, slug))).rejects.toThrow(/ENOENT/);
  });

  it('marks a video whose audio is digital silence no_speech before inference', async () => {
    const clip = await makeClip('27_silent_audio.mp4', [
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=3'],
      ...['-f', 'lavfi', '-i', 'anullsrc=channel_layout=stereo:sample_rate=48000'],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-crf', '32'],
      ...['-c:a', 'aac', '-b:a', '64k', '-t', '3'],
    ]);
    const { videoId } = await readyVideo(clip, 3);
    const outcome = await transcribeVideo(context(), videoId, { engine, log, env: noModelEnv });

    expect(outcome.status).toBe('no_speech');
    const row = await transcriptionRow(videoId);
    expect(row).toMatchObject({ status: 'no_speech', transcript_text: '', word_count: 0 });
    expect(row.error_message).toBeNull();
    expect(row.completed_at).toBeInstanceOf(Date);
  });

  it('fails with a message naming VLOG_WHISPER_MODEL when the model path is missing', async () => {
    const { videoId } = await readyVideo(fixturePath('friday.mp4'), 6);
    const run = transcribeVideo(context(), videoId, { engine, log, env: noModelEnv });

    await expect(run).rejects.toSatisfy((error) => isTranscriptionError(error, 'MODEL_NOT_FOUND'));
    const row = await transcriptionRow(videoId);
    expect(row.status).toBe('failed');
    expect(row.error_message).toContain('VLOG_WHISPER_MODEL');
    expect(row.error_message).toContain('/nonexistent/ggml-missing.bin');
  });

  it('takes the model from the transcription.model_path setting when no variable is set', async () => {
    const { videoId } = await readyVideo(fixturePath('friday.mp4'), 6);
    await writeSetting(
      db,
      { key: MODEL_PATH_SETTING, category: 'transcription', valueType: 'string' },
      modelPath,
    );
    try {
      const outcome = await transcribeVideo(context(), videoId, { engine, log, env: {} });
      expect(outcome.status).toBe('completed');
    } finally {
      await db.deleteFrom('settings').where('key', '=', MODEL_PATH_SETTING).execute();
    }
  });

  it('fails clearly when the model file is not a whisper model', async () => {
    const { videoId } = await readyVideo(fixturePath('friday.mp4'), 6);
    const bogus = path.join(paths.root, 'not-a-model.bin');
    await copyFile(fixturePath('friday.vtt'), bogus);
    const run = transcribeVideo(context(), videoId, {
      engine,
      log,
      env: { VLOG_WHISPER_MODEL: bogus },
    });

    await expect(run).rejects.toSatisfy((error) =>
      isTranscriptionError(error, 'MODEL_LOAD_FAILED'),
    );
    expect((await transcriptionRow(videoId)).status).toBe('failed');
  });
});
