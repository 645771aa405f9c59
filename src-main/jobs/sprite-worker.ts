import type { StudioContext } from '../context';
import type { Logger } from '../log';
import type { SpriteSettings } from '../media/sprites';
import { runNextSpriteJob } from './sprite-job';
import { resetInterruptedSpriteJobs } from './sprite-queue';

/** The local worker's sprite side: one sheet job at a time, stoppable at shutdown. */
export interface SpriteRunner {
  /** Runs the next queued sprite job; false when there was none. */
  runNext(): Promise<boolean>;
  /** Aborts a running job (its ffmpeg too); the job goes back to the queue. */
  stop(): void;
}

/** Frees sprite jobs a dead studio left running, then returns the runner. */
export async function startSpriteRunner(
  ctx: Pick<StudioContext, 'db' | 'paths' | 'media'>,
  options: { log: Logger; pidDir?: string | undefined; settings?: SpriteSettings },
): Promise<SpriteRunner> {
  const freed = await resetInterruptedSpriteJobs(ctx.db);
  if (freed > 0) options.log.info({ jobs: freed }, 'interrupted sprite jobs queued again');
  let controller: AbortController | undefined;
  let stopped = false;
  return {
    async runNext() {
      if (stopped) return false;
      controller = new AbortController();
      try {
        const outcome = await runNextSpriteJob(ctx, { ...options, signal: controller.signal });
        return outcome !== null && outcome.outcome !== 'stopped';
      } finally {
        controller = undefined;
      }
    },
    stop() {
      stopped = true;
      controller?.abort(new Error('the studio is shutting down'));
    },
  };
}
