import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { StudioContext } from '../context';
import type { Logger } from '../log';
import { advanceReencodeQueue } from '../library/reencode-queue';
import {
  claimNextTranscodingJob,
  extendLease,
  releaseClaim,
  resetExpiredClaims,
  type ClaimedTranscodingJob,
} from './claims';
import { runTranscodeJob, type TranscodeOutcome } from './transcode-job';
import { startSpriteRunner } from './sprite-worker';

type WorkerContext = Pick<StudioContext, 'db' | 'paths' | 'bus' | 'media'>;

export interface LocalWorkerOptions {
  log: Logger;
  /** Stable id of this studio's own worker, kept in the data folder. */
  workerId: string;
  workerName?: string;
  leaseSeconds?: number;
  pollIntervalMs?: number;
  leaseRenewIntervalMs?: number;
  maintenanceIntervalMs?: number;
  pidDir?: string;
}

/** The in-process worker: wake it after an upload, stop it before closing the database. */
export interface LocalWorker {
  readonly workerId: string;
  /** Looks for work at once instead of at the next poll. */
  wake(): void;
  /** Resolves when no job is running and nothing waits (for tests and status pages). */
  whenIdle(): Promise<void>;
  /** Stops claiming, aborts a running job (its ffmpeg too) and gives its claim back. */
  stop(): Promise<void>;
}

/** Reads this studio's worker id from the data folder, creating it on first start. */
export async function loadLocalWorkerId(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'local-worker-id');
  const stored = await readFile(file, 'utf8').catch(() => '');
  if (/^[0-9a-f-]{36}$/.test(stored.trim())) return stored.trim();
  const workerId = randomUUID();
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${workerId}\n`);
  return workerId;
}

/** Names this machine's worker in the job audit columns. */
export function localWorkerName(): string {
  return `studio@${os.hostname()}`.slice(0, 100);
}

interface RunningJob {
  job: ClaimedTranscodingJob;
  controller: AbortController;
  done: Promise<TranscodeOutcome>;
}

/**
 * Starts the local worker loop: claims one job at a time (every poll, or at once when woken),
 * renews its lease while running, aborts the job when the lease is lost, and runs the
 * maintenance loop that frees jobs whose lease lapsed. Claims this worker held when the
 * studio last died are freed first, so a restart resumes them at once.
 */
export async function startLocalWorker(
  ctx: WorkerContext,
  options: LocalWorkerOptions,
): Promise<LocalWorker> {
  const settings = {
    leaseSeconds: options.leaseSeconds ?? 60,
    pollIntervalMs: options.pollIntervalMs ?? 2000,
    leaseRenewIntervalMs: options.leaseRenewIntervalMs ?? 15_000,
    maintenanceIntervalMs: options.maintenanceIntervalMs ?? 30_000,
    workerName: options.workerName ?? localWorkerName(),
  };
  const log = options.log.child({ workerId: options.workerId });
  const freed = await resetExpiredClaims(ctx.db, { workerId: options.workerId });
  if (freed.released > 0) log.info({ jobs: freed.released }, 'claims of the last run freed');
  const sprites = await startSpriteRunner(ctx, { log, pidDir: options.pidDir });

  let stopping = false;
  let running: RunningJob | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;
  let loop: Promise<void> = Promise.resolve();
  let looping = false;
  let wokenWhileBusy = false;
  let idleWaiters: Array<() => void> = [];

  const notifyIdle = () => {
    const waiters = idleWaiters;
    idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  };

  const schedule = (delayMs: number) => {
    if (stopping) return;
    clearTimeout(wakeTimer);
    wakeTimer = setTimeout(() => kick(), delayMs);
  };

  const kick = () => {
    if (stopping) return;
    if (looping) {
      wokenWhileBusy = true;
      return;
    }
    looping = true;
    wokenWhileBusy = false;
    loop = drainQueue()
      .catch((error: unknown) => log.error({ err: error }, 'worker loop failed'))
      .finally(() => {
        looping = false;
        // A wake that came after the last empty claim must not wait for the next poll.
        if (wokenWhileBusy) schedule(0);
        else {
          notifyIdle();
          schedule(settings.pollIntervalMs);
        }
      });
  };

  /** Runs jobs back to back while there are any, one at a time. */
  const drainQueue = async () => {
    while (!stopping) {
      // Settles a finished re-encode and turns the next waiting one into a transcode job.
      await advanceReencodeQueue(ctx.db, log).catch((error: unknown) =>
        log.error({ err: error }, 're-encode queue not advanced'),
      );
      const job = await claimNextTranscodingJob(ctx.db, {
        workerId: options.workerId,
        workerName: settings.workerName,
        leaseSeconds: settings.leaseSeconds,
      });
      if (!job) {
        // Sprite sheets wait for transcodes: one sheet job, then look for transcodes again.
        if (await sprites.runNext()) continue;
        return;
      }
      running = runClaimedJob(ctx, job, { ...settings, log, pidDir: options.pidDir });
      await running.done;
      running = undefined;
    }
  };

  const maintenance = setInterval(() => {
    resetExpiredClaims(ctx.db)
      .then((result) => {
        if (result.released > 0) {
          log.info(
            { jobs: result.released, failedVideoIds: result.failedVideoIds },
            'lapsed claims freed',
          );
          kick();
        }
      })
      .catch((error: unknown) => log.error({ err: error }, 'lapsed claims not freed'));
  }, settings.maintenanceIntervalMs);
  maintenance.unref();

  kick();
  ctx.bus.emit('worker.status', { workerId: options.workerId, status: 'active' });
  log.info({ leaseSeconds: settings.leaseSeconds }, 'local worker started');

  return {
    workerId: options.workerId,
    wake: () => {
      clearTimeout(wakeTimer);
      kick();
    },
    whenIdle: () =>
      !looping && !running ? Promise.resolve() : new Promise((r) => idleWaiters.push(r)),
    stop: async () => {
      stopping = true;
      clearTimeout(wakeTimer);
      clearInterval(maintenance);
      const current = running;
      current?.controller.abort(new Error('the studio is shutting down'));
      sprites.stop();
      await loop;
      if (current) {
        const released = await releaseClaim(ctx.db, current.job.jobId, options.workerId);
        log.info(
          { videoId: current.job.videoId, jobId: current.job.jobId, released },
          'claim given back',
        );
      }
      notifyIdle();
      ctx.bus.emit('worker.status', { workerId: options.workerId, status: 'offline' });
      log.info('local worker stopped');
    },
  };
}

/** Runs one job with a lease renewal timer beside it; the job is aborted if the lease is lost. */
function runClaimedJob(
  ctx: WorkerContext,
  job: ClaimedTranscodingJob,
  settings: {
    log: Logger;
    leaseSeconds: number;
    leaseRenewIntervalMs: number;
    workerName: string;
    pidDir?: string | undefined;
  },
): RunningJob {
  const controller = new AbortController();
  const ids = { videoId: job.videoId, jobId: job.jobId };
  const renew = setInterval(() => {
    extendLease(ctx.db, job.jobId, job.workerId, settings.leaseSeconds)
      .then((held) => {
        if (held) return;
        settings.log.warn(ids, 'lease lost; stopping the job');
        controller.abort(new Error('the lease on this job was lost'));
      })
      .catch((error: unknown) => settings.log.warn({ ...ids, err: error }, 'lease not renewed'));
  }, settings.leaseRenewIntervalMs);

  const done = runTranscodeJob(ctx, job, {
    workerName: settings.workerName,
    log: settings.log,
    signal: controller.signal,
    pidDir: settings.pidDir,
  })
    .then((outcome) => {
      settings.log.info({ ...ids, outcome: outcome.outcome }, 'job run ended');
      return outcome;
    })
    .finally(() => clearInterval(renew));
  return { job, controller, done };
}
