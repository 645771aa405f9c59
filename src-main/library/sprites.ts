import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import { LibraryError, videoNotFound } from './errors';

type Db = Kysely<Database> | Transaction<Database>;

export type SpritePriority = 'high' | 'normal' | 'low';
export type SpriteJobStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';

const priorityRank = sql<number>`case priority when 'high' then 0 when 'normal' then 1 else 2 end`;

/** A queued sprite job, as the studio's sprite status shows it. */
export interface SpriteJobRow {
  id: number;
  priority: SpritePriority;
  status: SpriteJobStatus;
  errorMessage: string | null;
  createdAt: Date | null;
}

/**
 * Queues sprite sheets for a video. A job already waiting is reused; asking again with a
 * higher priority moves it up instead of adding a second job.
 */
export async function enqueueSpriteJob(
  db: Db,
  videoId: number,
  priority: SpritePriority,
): Promise<SpriteJobRow> {
  const waiting = await db
    .selectFrom('sprite_queue')
    .select(['id', 'priority'])
    .where('video_id', '=', videoId)
    .where('status', '=', 'pending')
    .orderBy('id')
    .executeTakeFirst();
  const row = waiting
    ? await db
        .updateTable('sprite_queue')
        .set({ priority: higherPriority(waiting.priority, priority) })
        .where('id', '=', waiting.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await db
        .insertInto('sprite_queue')
        .values({ video_id: videoId, priority, status: 'pending' })
        .returningAll()
        .executeTakeFirstOrThrow();
  await db
    .updateTable('videos')
    .set({ sprite_sheet_status: 'pending', sprite_sheet_error: null })
    .where('id', '=', videoId)
    .execute();
  return toSpriteJobRow(row);
}

function higherPriority(current: string | null, asked: SpritePriority): SpritePriority {
  const order: SpritePriority[] = ['high', 'normal', 'low'];
  const known = order.includes(current as SpritePriority) ? (current as SpritePriority) : 'low';
  return order.indexOf(asked) < order.indexOf(known) ? asked : known;
}

function toSpriteJobRow(row: {
  id: number;
  priority: string | null;
  status: string | null;
  error_message: string | null;
  created_at: Date | null;
}): SpriteJobRow {
  return {
    id: row.id,
    priority: (row.priority ?? 'normal') as SpritePriority,
    status: (row.status ?? 'pending') as SpriteJobStatus,
    errorMessage: row.error_message,
    createdAt: row.created_at,
  };
}

/** POST /api/videos/{id}/sprites/generate: only a ready, live video can have sheets made. */
export async function requestSpriteSheets(db: Kysely<Database>, videoId: number) {
  const video = await db
    .selectFrom('videos')
    .select(['id', 'status'])
    .where('id', '=', videoId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!video) throw videoNotFound(videoId);
  if (video.status !== 'ready') {
    throw new LibraryError(
      'INVALID_STATE',
      'Sprite sheets are made from a finished video: wait until it is ready.',
      { videoId, status: video.status },
    );
  }
  return enqueueSpriteJob(db, videoId, 'high');
}

/** The sprite_sheet_* columns of a video, and its latest queued job. */
export interface SpriteInfoRow {
  slug: string;
  status: string | null;
  error: string | null;
  count: number;
  interval: number | null;
  tileSize: number | null;
  frameWidth: number | null;
  frameHeight: number | null;
  latestJob: SpriteJobRow | null;
}

/** Reads what the studio and the viewer need to know of a video's sprite sheets. */
export async function getSpriteInfo(db: Db, videoId: number): Promise<SpriteInfoRow> {
  const video = await db
    .selectFrom('videos')
    .select([
      'slug',
      'sprite_sheet_status',
      'sprite_sheet_error',
      'sprite_sheet_count',
      'sprite_sheet_interval',
      'sprite_sheet_tile_size',
      'sprite_sheet_frame_width',
      'sprite_sheet_frame_height',
    ])
    .where('id', '=', videoId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!video) throw videoNotFound(videoId);
  const job = await db
    .selectFrom('sprite_queue')
    .selectAll()
    .where('video_id', '=', videoId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return {
    slug: video.slug,
    status: video.sprite_sheet_status,
    error: video.sprite_sheet_error,
    count: video.sprite_sheet_count ?? 0,
    interval: video.sprite_sheet_interval,
    tileSize: video.sprite_sheet_tile_size,
    frameWidth: video.sprite_sheet_frame_width,
    frameHeight: video.sprite_sheet_frame_height,
    latestJob: job ? toSpriteJobRow(job) : null,
  };
}

/** True when the sheets are made and complete enough to show. */
export function spritesReady(info: SpriteInfoRow): boolean {
  return (
    info.status === 'ready' &&
    info.count > 0 &&
    info.interval !== null &&
    info.tileSize !== null &&
    info.frameWidth !== null &&
    info.frameHeight !== null
  );
}

/** Orders pending jobs: high before normal before low, then oldest first. */
export function pendingSpriteJobsInOrder(db: Db) {
  return db
    .selectFrom('sprite_queue')
    .where('status', '=', 'pending')
    .orderBy(priorityRank)
    .orderBy('created_at')
    .orderBy('id');
}
