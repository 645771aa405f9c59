import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, ReencodeQueueTable } from '../../db/schema';
import type { Logger } from '../log';
import type { StreamingFormat, VideoCodec } from '../media/formats';
import { LibraryError } from './errors';
import { retranscodeVideo } from './video-lifecycle';

/** One row of the re-encode queue. */
export type ReencodeItem = Selectable<ReencodeQueueTable>;

export const REENCODE_PRIORITIES = ['high', 'normal', 'low'] as const;
export type ReencodePriority = (typeof REENCODE_PRIORITIES)[number];

/** What the studio asks for: one video or every live one, moved to a format and codec. */
export interface ReencodeRequest {
  videoId?: number | undefined;
  all?: boolean | undefined;
  targetFormat: StreamingFormat;
  targetCodec: VideoCodec;
  priority: ReencodePriority;
}

/** Queues re-encodes; a video already waiting in the queue is not queued twice. */
export async function enqueueReencode(
  db: Kysely<Database>,
  request: ReencodeRequest,
): Promise<ReencodeItem[]> {
  let query = db.selectFrom('videos').select('id').where('deleted_at', 'is', null);
  if (!request.all) {
    if (request.videoId === undefined) {
      throw new LibraryError('VALIDATION_FAILED', 'Give a video_id, or all: true for every video.');
    }
    query = query.where('id', '=', request.videoId);
  }
  const videos = await query.orderBy('id').execute();
  if (!request.all && videos.length === 0) {
    throw new LibraryError('VIDEO_NOT_FOUND', `No live video has id ${request.videoId}.`, {
      videoId: request.videoId,
    });
  }
  const waiting = await db
    .selectFrom('reencode_queue')
    .select('video_id')
    .where('status', 'in', ['pending', 'in_progress'])
    .execute();
  const queued = new Set(waiting.map((row) => row.video_id));
  const rows = videos
    .filter((video) => !queued.has(video.id))
    .map((video) => ({
      video_id: video.id,
      target_format: request.targetFormat,
      target_codec: request.targetCodec,
      priority: request.priority,
    }));
  if (rows.length === 0) return [];
  return db.insertInto('reencode_queue').values(rows).returningAll().execute();
}

/** The queue, waiting items first in the order the worker takes them. */
export function listReencodeQueue(db: Kysely<Database>): Promise<ReencodeItem[]> {
  return db
    .selectFrom('reencode_queue')
    .selectAll()
    .orderBy(sql`case when status in ('pending', 'in_progress') then 0 else 1 end`)
    .orderBy(priorityRank())
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

function priorityRank() {
  return sql`case priority when 'high' then 0 when 'normal' then 1 else 2 end`;
}

/** Cancels a waiting item; one already running finishes (its output replaces the old one). */
export async function cancelReencode(db: Kysely<Database>, id: number): Promise<ReencodeItem> {
  const row = await db
    .updateTable('reencode_queue')
    .set({ status: 'cancelled', completed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (row) return row;
  const existing = await db
    .selectFrom('reencode_queue')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!existing) throw new LibraryError('NOT_FOUND', `No re-encode with id ${id} exists.`, { id });
  throw new LibraryError(
    'INVALID_STATE',
    `Only a waiting re-encode can be cancelled (this one is ${existing.status}).`,
    { id, status: existing.status },
  );
}

/** Marks running items done once their video's transcode ended, ready or failed. */
async function settleRunning(db: Kysely<Database>, log: Logger): Promise<void> {
  const running = await db
    .selectFrom('reencode_queue as q')
    .innerJoin('videos as v', 'v.id', 'q.video_id')
    .select(['q.id', 'q.video_id', 'v.status', 'v.error_message', 'v.deleted_at'])
    .where('q.status', '=', 'in_progress')
    .execute();
  for (const item of running) {
    const failed = item.status === 'failed' || item.deleted_at !== null;
    if (item.status !== 'ready' && !failed) continue;
    const message = item.deleted_at !== null ? 'The video was archived.' : item.error_message;
    await db
      .updateTable('reencode_queue')
      .set({
        status: failed ? 'failed' : 'completed',
        completed_at: sql<Date>`now()`,
        error_message: failed ? (message ?? 'The transcode failed.') : null,
      })
      .where('id', '=', item.id)
      .execute();
    log.info({ videoId: item.video_id, reencodeId: item.id, failed }, 're-encode finished');
  }
}

/** Takes the highest-priority, oldest waiting item and starts its video's re-transcode. */
async function startNext(db: Kysely<Database>, log: Logger): Promise<ReencodeItem | undefined> {
  const item = await db.transaction().execute(async (tx) => {
    const next = await tx
      .selectFrom('reencode_queue')
      .selectAll()
      .where('status', '=', 'pending')
      .orderBy(priorityRank())
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!next) return undefined;
    return tx
      .updateTable('reencode_queue')
      .set({ status: 'in_progress', started_at: sql<Date>`now()` })
      .where('id', '=', next.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  if (!item || item.video_id === null) return item;
  try {
    await retranscodeVideo(db, item.video_id, {
      prepare: async (tx) => {
        await tx
          .updateTable('videos')
          .set({
            streaming_format: item.target_format ?? 'cmaf',
            primary_codec: item.target_codec ?? 'hevc',
          })
          .where('id', '=', item.video_id)
          .execute();
      },
    });
    log.info({ videoId: item.video_id, reencodeId: item.id }, 're-encode started');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db
      .updateTable('reencode_queue')
      .set({ status: 'failed', completed_at: sql<Date>`now()`, error_message: message })
      .where('id', '=', item.id)
      .execute();
    log.warn({ videoId: item.video_id, reencodeId: item.id, err: error }, 're-encode refused');
  }
  return item;
}

/**
 * One step of the queue, run by the local worker before it looks for transcodes: settles
 * finished items, then starts the next one when none is running.
 */
export async function advanceReencodeQueue(db: Kysely<Database>, log: Logger): Promise<void> {
  await settleRunning(db, log);
  const stillRunning = await db
    .selectFrom('reencode_queue')
    .select('id')
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
  if (!stillRunning) await startNext(db, log);
}
