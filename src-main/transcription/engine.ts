import { createRequire } from 'node:module';
import os from 'node:os';
import type { Logger } from '../log';
import { TranscriptionError } from './errors';

/**
 * The speech-to-text engine: whisper.cpp through @fugood/whisper.node, whose prebuilt native
 * packages cover Linux, macOS and Windows (x64 and arm64). Everything that knows the binding
 * is in this file, so another engine can replace it behind `SpeechEngine`.
 */

/** One stretch of recognised speech, in seconds from the start of the audio. */
export interface SpeechSegment {
  start: number;
  end: number;
  text: string;
}

export interface SpeechResult {
  /** The language the model used or detected ('en', 'fr', …), when it says. */
  language: string | null;
  segments: SpeechSegment[];
}

export interface TranscribeRequest {
  modelPath: string;
  /** A 16 kHz mono 16-bit PCM WAV file. */
  audioPath: string;
  /** A language code, or 'auto' to let a multilingual model detect it. */
  language: string;
  threads?: number | undefined;
  onProgress?: ((percent: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface SpeechEngine {
  readonly name: string;
  transcribe(request: TranscribeRequest): Promise<SpeechResult>;
  /** Frees the loaded model. */
  close(): Promise<void>;
}

interface NativeSegment {
  text: string;
  t0: number;
  t1: number;
}

interface NativeResult {
  language?: string;
  result: string;
  segments: NativeSegment[];
  isAborted: boolean;
}

interface NativeContext {
  transcribeFile(
    path: string,
    options: Record<string, unknown>,
  ): { stop: () => Promise<void>; promise: Promise<NativeResult> };
  release(): Promise<void>;
}

interface WhisperBinding {
  initWhisper(options: { filePath: string; useGpu?: boolean }): Promise<NativeContext>;
}

/**
 * The binding settles nothing when whisper.cpp fails inside its worker thread (its error
 * callback receives one argument where it waits for two), so a transcription that reports no
 * progress for this long is given up rather than awaited forever. Progress arrives once per
 * 30 s window of audio, which even a large model on a slow CPU finishes well within this.
 */
const STALL_LIMIT_MS = 10 * 60 * 1000;

function loadBinding(): WhisperBinding {
  try {
    const require = createRequire(import.meta.url);
    return require('@fugood/whisper.node') as WhisperBinding;
  } catch (error) {
    throw new TranscriptionError(
      'ENGINE_UNAVAILABLE',
      'The speech engine (@fugood/whisper.node) is not installed for this platform. ' +
        'Reinstall the studio, or run "npm install" where it was built from source.',
      { cause: error },
    );
  }
}

/** Whisper's segment times are in milliseconds here; cues want seconds. */
function toSegments(result: NativeResult): SpeechSegment[] {
  return result.segments
    .map((segment) => ({
      start: segment.t0 / 1000,
      end: segment.t1 / 1000,
      text: segment.text.trim(),
    }))
    .filter((segment) => segment.text.length > 0);
}

/** Settles with the binding's promise, or fails when progress stops or the caller aborts. */
function guardRun(
  run: { stop: () => Promise<void>; promise: Promise<NativeResult> },
  signal: AbortSignal | undefined,
  stallMs: number,
  touch: { reset?: () => void },
): Promise<NativeResult> {
  return new Promise<NativeResult>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (action: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      action();
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void run.stop().catch(() => undefined);
        finish(() => reject(stalled(stallMs)));
      }, stallMs);
    };
    const onAbort = () => {
      void run.stop().catch(() => undefined);
      finish(() =>
        reject(new TranscriptionError('ENGINE_FAILED', 'The transcription was stopped.')),
      );
    };
    touch.reset = arm;
    arm();
    signal?.addEventListener('abort', onAbort, { once: true });
    run.promise.then(
      (result) => finish(() => resolve(result)),
      (error: unknown) => finish(() => reject(engineFailed(error))),
    );
  });
}

function stalled(stallMs: number): TranscriptionError {
  return new TranscriptionError(
    'ENGINE_STALLED',
    `The speech engine reported no progress for ${Math.round(stallMs / 1000)} s and was ` +
      'stopped. The model file may be damaged: choose another model and try again.',
  );
}

function engineFailed(error: unknown): TranscriptionError {
  const reason = error instanceof Error ? error.message : String(error);
  return new TranscriptionError('ENGINE_FAILED', `The speech engine failed: ${reason}`, {
    cause: error,
  });
}

/** A whisper.cpp engine that keeps the last used model loaded between transcriptions. */
export function createWhisperEngine(log: Logger, options: { stallMs?: number } = {}): SpeechEngine {
  const stallMs = options.stallMs ?? STALL_LIMIT_MS;
  let loaded: { modelPath: string; context: NativeContext } | undefined;

  async function contextFor(modelPath: string): Promise<NativeContext> {
    if (loaded?.modelPath === modelPath) return loaded.context;
    await release();
    const binding = loadBinding();
    const started = Date.now();
    try {
      const context = await binding.initWhisper({ filePath: modelPath, useGpu: false });
      loaded = { modelPath, context };
      log.info({ modelPath, ms: Date.now() - started }, 'speech model loaded');
      return context;
    } catch (error) {
      throw new TranscriptionError(
        'MODEL_LOAD_FAILED',
        `The speech model at ${modelPath} could not be loaded: it is not a whisper.cpp ` +
          '(ggml) model file, or it is damaged. Choose a ggml-*.bin model.',
        { cause: error },
      );
    }
  }

  async function release(): Promise<void> {
    const current = loaded;
    loaded = undefined;
    if (current) await current.context.release().catch(() => undefined);
  }

  return {
    name: 'whisper.cpp (@fugood/whisper.node)',
    async transcribe(request) {
      const context = await contextFor(request.modelPath);
      const touch: { reset?: () => void } = {};
      const run = context.transcribeFile(request.audioPath, {
        language: request.language,
        maxThreads: request.threads ?? Math.max(1, Math.min(4, os.availableParallelism())),
        onProgress: (percent: number) => {
          touch.reset?.();
          request.onProgress?.(percent);
        },
      });
      const result = await guardRun(run, request.signal, stallMs, touch);
      return { language: result.language ?? null, segments: toSegments(result) };
    },
    close: release,
  };
}
