import type { Kysely } from 'kysely';
import type { Database, QualityStatus } from '../../db/schema';
import type { RenditionProgress, StudioEventBus } from '../events/bus';
import type { Logger } from '../log';
import { recordQualityProgress, recordStep } from './claims';

/** The steps of a transcoding job, in order, with the overall percent each one starts at. */
export const JOB_STEPS = {
  probe: 0,
  thumbnail: 5,
  transcode: 10,
  master_playlist: 92,
  finalize: 96,
} as const;

export type JobStep = keyof typeof JOB_STEPS;

const TRANSCODE_SPAN = JOB_STEPS.master_playlist - JOB_STEPS.transcode;

export interface JobProgressOptions {
  db: Kysely<Database>;
  bus: StudioEventBus;
  log: Logger;
  videoId: number;
  jobId: number;
  workerId: string;
  /** Least time between two database writes of rendition progress. */
  writeIntervalMs?: number;
  /** Least time between two 'job.progress' events while renditions advance. */
  emitIntervalMs?: number;
}

/**
 * Keeps a job's step and per-rendition progress, writing it to the database at most about
 * once a second and telling the studio UI a few times a second. Writes run one at a time,
 * in order, so a late write never overwrites a newer one.
 */
export class JobProgress {
  private step: JobStep = 'probe';
  private percent = 0;
  private readonly renditions = new Map<string, RenditionProgress>();
  private readonly dirty = new Set<string>();
  private lastWrite = 0;
  private lastEmit = 0;
  private writes: Promise<void> = Promise.resolve();
  private readonly writeIntervalMs: number;
  private readonly emitIntervalMs: number;

  constructor(private readonly options: JobProgressOptions) {
    this.writeIntervalMs = options.writeIntervalMs ?? 1000;
    this.emitIntervalMs = options.emitIntervalMs ?? 250;
  }

  /** Enters a step: written and announced at once. */
  async enterStep(step: JobStep): Promise<void> {
    this.step = step;
    this.percent = Math.max(this.percent, JOB_STEPS[step]);
    this.emit();
    await this.enqueueWrite();
  }

  /** Declares the renditions of this job, with those kept from an earlier attempt done. */
  async planRenditions(qualities: string[], kept: ReadonlySet<string>): Promise<void> {
    this.renditions.clear();
    for (const quality of qualities) {
      const done = kept.has(quality);
      this.renditions.set(quality, {
        quality,
        status: done ? 'completed' : 'pending',
        progress_percent: done ? 100 : 0,
      });
      this.dirty.add(quality);
    }
    this.emit();
    await this.enqueueWrite();
  }

  /** Notes a rendition's progress; written and announced when the throttle allows. */
  updateRendition(quality: string, status: QualityStatus, percent: number): void {
    const current = this.renditions.get(quality);
    if (!current) return;
    if (current.status === 'completed' && status !== 'completed') return;
    const rounded = Math.max(0, Math.min(100, Math.round(percent)));
    if (current.status === status && current.progress_percent === rounded) return;
    this.renditions.set(quality, { quality, status, progress_percent: rounded });
    this.dirty.add(quality);
    this.percent = this.transcodePercent();

    const now = Date.now();
    if (now - this.lastEmit >= this.emitIntervalMs) this.emit();
    if (now - this.lastWrite >= this.writeIntervalMs) void this.enqueueWrite();
  }

  /** Writes whatever is not yet written and waits for every write in flight. */
  async flush(): Promise<void> {
    this.emit();
    await this.enqueueWrite();
  }

  /** The renditions as the studio UI shows them. */
  snapshot(): RenditionProgress[] {
    return [...this.renditions.values()];
  }

  private transcodePercent(): number {
    const all = [...this.renditions.values()];
    if (all.length === 0) return this.percent;
    const mean = all.reduce((sum, r) => sum + r.progress_percent, 0) / all.length;
    return JOB_STEPS.transcode + (TRANSCODE_SPAN * mean) / 100;
  }

  private emit(): void {
    this.lastEmit = Date.now();
    this.options.bus.emit('job.progress', {
      videoId: this.options.videoId,
      jobId: this.options.jobId,
      step: this.step,
      percent: Math.round(this.percent),
      renditions: this.snapshot(),
    });
  }

  private enqueueWrite(): Promise<void> {
    this.lastWrite = Date.now();
    this.writes = this.writes.then(() => this.write());
    return this.writes;
  }

  private async write(): Promise<void> {
    const { db, jobId, workerId, log, videoId } = this.options;
    const qualities = [...this.dirty];
    this.dirty.clear();
    try {
      await recordStep(db, jobId, workerId, this.step, this.percent);
      for (const quality of qualities) {
        const rendition = this.renditions.get(quality);
        if (!rendition) continue;
        await recordQualityProgress(db, jobId, {
          quality,
          status: rendition.status,
          progressPercent: rendition.progress_percent,
        });
      }
    } catch (error) {
      // Progress is advisory: a failed write must not fail the transcode it describes.
      for (const quality of qualities) this.dirty.add(quality);
      log.warn({ videoId, jobId, err: error }, 'job progress not recorded');
    }
  }
}
