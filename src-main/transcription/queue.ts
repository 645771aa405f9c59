import { createLogger, type Logger } from '../log';
import { createWhisperEngine, type SpeechEngine } from './engine';
import { transcribeVideo, type TranscriptionContext } from './transcribe-video';

/**
 * Runs transcriptions one at a time, oldest request first. The transcriptions rows are the
 * queue (status 'pending'), so requests made before a restart are picked up again.
 */
export class TranscriptionQueue {
  private running: Promise<void> | undefined;
  private current: AbortController | undefined;
  private stopped = false;
  private readonly log: Logger;
  private readonly engine: SpeechEngine;
  private readonly env: NodeJS.ProcessEnv | undefined;

  constructor(
    private readonly ctx: TranscriptionContext,
    options: { engine?: SpeechEngine; log?: Logger; env?: NodeJS.ProcessEnv } = {},
  ) {
    this.log = options.log ?? createLogger('transcription');
    this.engine = options.engine ?? createWhisperEngine(this.log);
    this.env = options.env;
  }

  /** Queues a video's transcription; false when one is already queued or running. */
  async request(videoId: number): Promise<boolean> {
    const values = { status: 'pending', error_message: null, completed_at: null };
    const queued = await this.ctx.db
      .insertInto('transcriptions')
      .values({ video_id: videoId, ...values })
      .onConflict((oc) =>
        oc
          .column('video_id')
          .doUpdateSet(values)
          .where('transcriptions.status', 'not in', ['pending', 'processing']),
      )
      .returning('id')
      .executeTakeFirst();
    if (!queued) return false;
    this.log.info({ videoId }, 'transcription queued');
    this.ctx.bus.emit('transcription.progress', {
      videoId,
      status: 'pending',
      phase: 'extracting',
      percent: 0,
      modelDownload: null,
    });
    this.kick();
    return true;
  }

  /** Puts runs cut short by a stop back in the queue and starts working through it. */
  async recover(): Promise<void> {
    const result = await this.ctx.db
      .updateTable('transcriptions')
      .set({ status: 'pending' })
      .where('status', '=', 'processing')
      .executeTakeFirst();
    const requeued = Number(result.numUpdatedRows);
    if (requeued > 0) this.log.warn({ requeued }, 'interrupted transcriptions queued again');
    this.kick();
  }

  /** Resolves when the queue has nothing left to do (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops the running transcription (it is queued again on the next start) and the engine. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.abort();
    await this.running?.catch(() => undefined);
    await this.engine.close();
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const next = await this.ctx.db
        .selectFrom('transcriptions')
        .select('video_id')
        .where('status', '=', 'pending')
        .where('video_id', 'is not', null)
        .orderBy('id')
        .executeTakeFirst();
      if (!next?.video_id) return;
      await this.runOne(next.video_id);
    }
  }

  private async runOne(videoId: number): Promise<void> {
    this.current = new AbortController();
    try {
      await transcribeVideo(this.ctx, videoId, {
        engine: this.engine,
        log: this.log,
        env: this.env,
        signal: this.current.signal,
      });
    } catch (error) {
      // transcribeVideo already marked the row failed and logged why; go on with the next.
      if (this.stopped) {
        await this.ctx.db
          .updateTable('transcriptions')
          .set({ status: 'pending', error_message: null })
          .where('video_id', '=', videoId)
          .execute();
      }
      this.log.debug({ videoId, err: error }, 'transcription ended with an error');
    } finally {
      this.current = undefined;
    }
  }
}

const queues = new WeakMap<object, TranscriptionQueue>();

/** The one transcription queue of a running studio, made on first use. */
export function transcriptionQueueFor(ctx: TranscriptionContext): TranscriptionQueue {
  let queue = queues.get(ctx);
  if (!queue) {
    queue = new TranscriptionQueue(ctx);
    queues.set(ctx, queue);
  }
  return queue;
}

/** Stops and forgets the studio's transcription queue, if it was ever made. */
export async function stopTranscriptionQueue(ctx: TranscriptionContext): Promise<void> {
  const queue = queues.get(ctx);
  queues.delete(ctx);
  await queue?.stop();
}
