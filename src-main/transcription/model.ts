import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { readSetting } from '../library/settings';
import type { Logger } from '../log';
import { TranscriptionError } from './errors';

/** The environment variable naming a model file on this machine. */
export const MODEL_PATH_ENV = 'VLOG_WHISPER_MODEL';
/** The setting naming a model file on this machine. */
export const MODEL_PATH_SETTING = 'transcription.model_path';
/** The setting choosing which known model is fetched on first use. */
export const MODEL_NAME_SETTING = 'transcription.model';

/** A model the studio knows how to fetch, with the checksum its publisher lists. */
export interface KnownModel {
  name: string;
  fileName: string;
  url: string;
  checksum: { algorithm: 'sha1' | 'sha256'; hex: string };
}

const modelHost = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';

function known(name: string, sha1: string): KnownModel {
  const fileName = `ggml-${name}.bin`;
  return {
    name,
    fileName,
    url: `${modelHost}/${fileName}`,
    checksum: { algorithm: 'sha1', hex: sha1 },
  };
}

/** whisper.cpp's published ggml models; the checksums are those its model list gives. */
export const knownModels: Record<string, KnownModel> = {
  'tiny.en': known('tiny.en', 'c78c86eb1a8faa21b369bcd33207cc90d64ae9df'),
  tiny: known('tiny', 'bd577a113a864445d4c299885e0cb97d4ba92b5f'),
  'base.en': known('base.en', '137c40403d78fd54d454da0f9bd998f78703390c'),
  base: known('base', '465707469ff3a37a2b9b8d8f89f2f99de7299dac'),
  'small.en': known('small.en', 'db8a495a91d927739e50b3fc1cc4c6b8f6c2d022'),
  small: known('small', '55356645c2b361a969dfd0ef2c5a50d530afd8d5'),
};

/** The model fetched when nothing else is chosen: English, small and quick on a CPU. */
export const defaultModelName = 'base.en';

/** Where a model came from, for the log and the studio. */
export type ModelOrigin = 'env' | 'setting' | 'downloaded' | 'cached';

export interface ModelDownloadProgress {
  model: string;
  receivedBytes: number;
  totalBytes: number | null;
  percent: number | null;
}

export interface ResolveModelOptions {
  env: NodeJS.ProcessEnv;
  db: Kysely<Database>;
  dataDir: string;
  log: Logger;
  onDownloadProgress?: ((progress: ModelDownloadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** The folder holding fetched models: <dataDir>/models. */
export function modelsDir(dataDir: string): string {
  return path.join(dataDir, 'models');
}

async function isFile(file: string): Promise<boolean> {
  return fs
    .stat(file)
    .then((stats) => stats.isFile())
    .catch(() => false);
}

async function givenModel(file: string, origin: 'env' | 'setting'): Promise<string> {
  const absolute = path.resolve(file);
  if (await isFile(absolute)) return absolute;
  const where =
    origin === 'env' ? `${MODEL_PATH_ENV} points to` : `The setting ${MODEL_PATH_SETTING} names`;
  throw new TranscriptionError(
    'MODEL_NOT_FOUND',
    `${where} "${absolute}", but no file is there. Set ${MODEL_PATH_ENV} (or the setting ` +
      `${MODEL_PATH_SETTING}) to the path of a whisper.cpp ggml-*.bin model file.`,
  );
}

/**
 * Finds the model file to use: VLOG_WHISPER_MODEL, else the transcription.model_path setting,
 * else a known model in <dataDir>/models, fetched there on first use.
 */
export async function resolveModel(
  options: ResolveModelOptions,
): Promise<{ path: string; origin: ModelOrigin; name: string }> {
  const fromEnv = options.env[MODEL_PATH_ENV]?.trim();
  if (fromEnv) return { path: await givenModel(fromEnv, 'env'), origin: 'env', name: fromEnv };
  const fromSetting = await readSetting(options.db, MODEL_PATH_SETTING);
  if (typeof fromSetting === 'string' && fromSetting.trim()) {
    const file = await givenModel(fromSetting.trim(), 'setting');
    return { path: file, origin: 'setting', name: fromSetting };
  }
  const model = await chosenKnownModel(options.db);
  const target = path.join(modelsDir(options.dataDir), model.fileName);
  if (await isFile(target)) return { path: target, origin: 'cached', name: model.name };
  await downloadModel(model, target, options);
  return { path: target, origin: 'downloaded', name: model.name };
}

async function chosenKnownModel(db: Kysely<Database>): Promise<KnownModel> {
  const chosen = await readSetting(db, MODEL_NAME_SETTING);
  const name = typeof chosen === 'string' && chosen ? chosen : defaultModelName;
  const model = knownModels[name];
  if (!model) {
    throw new TranscriptionError(
      'MODEL_NOT_FOUND',
      `The setting ${MODEL_NAME_SETTING} asks for "${name}", which is not a known model. ` +
        `Use one of ${Object.keys(knownModels).join(', ')}, or set ${MODEL_PATH_ENV}.`,
    );
  }
  return model;
}

function downloadFailed(model: KnownModel, reason: string, cause?: unknown): TranscriptionError {
  return new TranscriptionError(
    'MODEL_DOWNLOAD_FAILED',
    `The speech model "${model.name}" could not be fetched from ${model.url} (${reason}). ` +
      `This machine may be offline: download ${model.fileName} elsewhere and set ` +
      `${MODEL_PATH_ENV} (or the setting ${MODEL_PATH_SETTING}) to its path.`,
    { cause },
  );
}

/**
 * Fetches a model to `target`: streamed to a temporary file beside it while hashing, checked
 * against the known checksum, then renamed into place, so a partial or wrong file is never used.
 */
export async function downloadModel(
  model: KnownModel,
  target: string,
  options: Pick<ResolveModelOptions, 'log' | 'onDownloadProgress' | 'signal'>,
): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.part`;
  options.log.info({ model: model.name, url: model.url }, 'speech model download started');
  try {
    const response = await fetch(model.url, { signal: options.signal ?? null }).catch(
      (error: unknown) => {
        throw downloadFailed(model, error instanceof Error ? error.message : String(error), error);
      },
    );
    if (!response.ok || !response.body) {
      throw downloadFailed(model, `the server answered ${response.status}`);
    }
    const digest = await streamToFile(response, temporary, model, options);
    if (digest !== model.checksum.hex.toLowerCase()) {
      throw new TranscriptionError(
        'MODEL_CHECKSUM_MISMATCH',
        `The downloaded model "${model.name}" has ${model.checksum.algorithm} ${digest}, not ` +
          `the expected ${model.checksum.hex}: it is damaged or not the published file, and ` +
          'was discarded. Try again, or set ' +
          `${MODEL_PATH_ENV} to a model file you have checked.`,
      );
    }
    await fs.rename(temporary, target);
    options.log.info({ model: model.name, target }, 'speech model downloaded and verified');
  } finally {
    await fs.rm(temporary, { force: true });
  }
}

async function streamToFile(
  response: Response,
  file: string,
  model: KnownModel,
  options: Pick<ResolveModelOptions, 'log' | 'onDownloadProgress'>,
): Promise<string> {
  const hash = createHash(model.checksum.algorithm);
  const header = Number(response.headers.get('content-length'));
  const totalBytes = Number.isFinite(header) && header > 0 ? header : null;
  let receivedBytes = 0;
  let lastLoggedTenth = -1;
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
  body.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    receivedBytes += chunk.length;
    const percent = totalBytes ? Math.min(100, (receivedBytes / totalBytes) * 100) : null;
    options.onDownloadProgress?.({ model: model.name, receivedBytes, totalBytes, percent });
    const tenth = percent === null ? -1 : Math.floor(percent / 10);
    if (tenth > lastLoggedTenth) {
      lastLoggedTenth = tenth;
      options.log.info({ model: model.name, receivedBytes, totalBytes, percent }, 'downloading');
    }
  });
  await pipeline(body, createWriteStream(file));
  return hash.digest('hex');
}
