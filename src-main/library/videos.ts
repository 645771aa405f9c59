import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
} from 'kysely';
import type { Database } from '../../db/schema';
import { LibraryError, videoNotFound } from './errors';
import { firstFreeSlug, slugify, titleFromFileName } from './slugs';

export type VideoStatus = 'pending' | 'processing' | 'ready' | 'failed';

const videoColumns = [
  'videos.id',
  'videos.slug',
  'videos.title',
  'videos.description',
  'videos.status',
  'videos.error_message',
  'videos.duration',
  'videos.source_width',
  'videos.source_height',
  'videos.thumbnail_source',
  'videos.created_at',
  'videos.published_at',
  'videos.deleted_at',
  'videos.streaming_format',
  'videos.primary_codec',
  'videos.category_id',
  'videos.is_featured',
] as const;

/** One rendition of a finished video, as stored in video_qualities. */
export interface QualityRow {
  quality: string;
  width: number;
  height: number;
  bitrate: number;
}

/** The columns every video listing shows, with its renditions. */
export interface VideoRow {
  id: number;
  slug: string;
  title: string;
  description: string;
  status: VideoStatus;
  error_message: string | null;
  duration: number;
  source_width: number;
  source_height: number;
  thumbnail_source: string | null;
  created_at: Date;
  published_at: Date | null;
  deleted_at: Date | null;
  streaming_format: string;
  primary_codec: string;
  category_id: number | null;
  is_featured: boolean;
  qualities: QualityRow[];
  /** Changes with the poster file; set by the routes (library/thumbnails.ts), not the queries. */
  thumbnail_version?: string | null;
}

type NullableKeys =
  | 'status'
  | 'description'
  | 'duration'
  | 'source_width'
  | 'source_height'
  | 'is_featured'
  | 'created_at';

type RawVideoRow = Omit<VideoRow, 'qualities' | NullableKeys> & {
  status: string | null;
  description: string | null;
  duration: number | null;
  source_width: number | null;
  source_height: number | null;
  is_featured: boolean | null;
  created_at: Date | null;
};

/** Filters shared by the studio's and the viewers' video listings. */
export interface VideoListFilter {
  status?: VideoStatus;
  /** A category id (digits) or slug. */
  category?: string;
  /** A tag slug. */
  tag?: string;
  /** Words searched in title and description. */
  q?: string;
  page: number;
  pageSize: number;
}

export interface VideoPage {
  videos: VideoRow[];
  total: number;
}

/** Narrows the status column, which the schema leaves as free text, to the known states. */
export function toVideoStatus(value: string | null): VideoStatus {
  return value === 'processing' || value === 'ready' || value === 'failed' ? value : 'pending';
}

function normalizeRow(raw: RawVideoRow, qualities: QualityRow[]): VideoRow {
  return {
    ...raw,
    status: toVideoStatus(raw.status),
    description: raw.description ?? '',
    duration: raw.duration ?? 0,
    source_width: raw.source_width ?? 0,
    source_height: raw.source_height ?? 0,
    is_featured: raw.is_featured ?? false,
    created_at: raw.created_at ?? new Date(0),
    qualities,
  };
}

async function qualitiesByVideo(
  db: Kysely<Database>,
  videoIds: number[],
): Promise<Map<number, QualityRow[]>> {
  const byVideo = new Map<number, QualityRow[]>();
  if (videoIds.length === 0) return byVideo;
  const rows = await db
    .selectFrom('video_qualities')
    .select(['video_id', 'quality', 'width', 'height', 'bitrate'])
    .where('video_id', 'in', videoIds)
    .orderBy('height', 'desc')
    .execute();
  for (const row of rows) {
    if (row.video_id === null) continue;
    const list = byVideo.get(row.video_id) ?? [];
    list.push({
      quality: row.quality ?? '',
      width: row.width ?? 0,
      height: row.height ?? 0,
      bitrate: row.bitrate ?? 0,
    });
    byVideo.set(row.video_id, list);
  }
  return byVideo;
}

async function withQualities(db: Kysely<Database>, raws: RawVideoRow[]): Promise<VideoRow[]> {
  const qualities = await qualitiesByVideo(
    db,
    raws.map((r) => r.id),
  );
  return raws.map((raw) => normalizeRow(raw, qualities.get(raw.id) ?? []));
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filterConditions(
  eb: ExpressionBuilder<Database, 'videos'>,
  filter: VideoListFilter,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.status) conditions.push(eb('videos.status', '=', filter.status));
  if (filter.category) {
    const byId = /^\d+$/.test(filter.category);
    const categoryIds = eb
      .selectFrom('categories')
      .select('categories.id')
      .where(
        byId ? 'categories.id' : 'categories.slug',
        '=',
        byId ? Number(filter.category) : filter.category,
      );
    conditions.push(eb('videos.category_id', 'in', categoryIds));
  }
  if (filter.tag) {
    const tagged = eb
      .selectFrom('video_tags')
      .innerJoin('tags', 'tags.id', 'video_tags.tag_id')
      .select('video_tags.video_id')
      .whereRef('video_tags.video_id', '=', 'videos.id')
      .where('tags.slug', '=', filter.tag);
    conditions.push(eb.exists(tagged));
  }
  if (filter.q) {
    const pattern = likePattern(filter.q);
    conditions.push(
      eb.or([eb('videos.title', 'ilike', pattern), eb('videos.description', 'ilike', pattern)]),
    );
  }
  return conditions;
}

async function pageOfVideos(
  db: Kysely<Database>,
  filter: VideoListFilter,
  scope: (eb: ExpressionBuilder<Database, 'videos'>) => Expression<SqlBool>[],
  orderColumn: 'videos.created_at' | 'videos.published_at',
): Promise<VideoPage> {
  const where = (eb: ExpressionBuilder<Database, 'videos'>) =>
    eb.and([...scope(eb), ...filterConditions(eb, filter)]);
  const counted = await db
    .selectFrom('videos')
    .select((eb) => eb.fn.countAll<string | number>().as('total'))
    .where(where)
    .executeTakeFirstOrThrow();
  const raws = await db
    .selectFrom('videos')
    .select(videoColumns)
    .where(where)
    .orderBy(orderColumn, 'desc')
    .orderBy('videos.id', 'desc')
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize)
    .execute();
  return { videos: await withQualities(db, raws), total: Number(counted.total) };
}

/** The studio's library grid: every video not archived, newest first. */
export function listVideosForStudio(
  db: Kysely<Database>,
  filter: VideoListFilter,
): Promise<VideoPage> {
  return pageOfVideos(
    db,
    filter,
    (eb) => [eb('videos.deleted_at', 'is', null)],
    'videos.created_at',
  );
}

/** The studio's archive: soft-deleted videos that can still be restored. */
export function listArchivedVideos(
  db: Kysely<Database>,
  filter: VideoListFilter,
): Promise<VideoPage> {
  return pageOfVideos(
    db,
    filter,
    (eb) => [eb('videos.deleted_at', 'is not', null)],
    'videos.created_at',
  );
}

/**
 * A video with output viewers can play: ready, or being transcoded again while its earlier
 * output (recorded in video_qualities until the new one replaces it) stays published.
 */
export function hasPlayableOutput(): Expression<SqlBool> {
  return sql<SqlBool>`(videos.status = 'ready' or (videos.status in ('pending', 'processing')
    and exists (select 1 from video_qualities q where q.video_id = videos.id)))`;
}

function publicScope(eb: ExpressionBuilder<Database, 'videos'>): Expression<SqlBool>[] {
  return [
    hasPlayableOutput(),
    eb('videos.published_at', 'is not', null),
    eb('videos.published_at', '<=', sql<Date>`now()`),
    eb('videos.deleted_at', 'is', null),
  ];
}

/** What viewers may see: ready, published and not archived, most recently published first. */
export function listPublicVideos(
  db: Kysely<Database>,
  filter: Omit<VideoListFilter, 'status'>,
): Promise<VideoPage> {
  return pageOfVideos(db, filter, publicScope, 'videos.published_at');
}

/** One video for the studio, archived or not; throws VIDEO_NOT_FOUND. */
export async function getVideoForStudio(db: Kysely<Database>, videoId: number): Promise<VideoRow> {
  const raw = await db
    .selectFrom('videos')
    .select(videoColumns)
    .where('videos.id', '=', videoId)
    .executeTakeFirst();
  if (!raw) throw videoNotFound(videoId);
  const [video] = await withQualities(db, [raw]);
  return video as VideoRow;
}

/** One video viewers may see, by slug; undefined when it is not public. */
export async function getPublicVideoBySlug(
  db: Kysely<Database>,
  slug: string,
): Promise<VideoRow | undefined> {
  const raw = await db
    .selectFrom('videos')
    .select(videoColumns)
    .where((eb) => eb.and([eb('videos.slug', '=', slug), ...publicScope(eb)]))
    .executeTakeFirst();
  if (!raw) return undefined;
  const [video] = await withQualities(db, [raw]);
  return video;
}

/** Whether the files of the video with this slug may be served (to viewers or to the studio). */
export async function isVideoServable(
  db: Kysely<Database>,
  slug: string,
  audience: 'public' | 'studio',
): Promise<boolean> {
  const row = await db
    .selectFrom('videos')
    .select('videos.id')
    .where((eb) =>
      eb.and([
        eb('videos.slug', '=', slug),
        ...(audience === 'public' ? publicScope(eb) : [eb('videos.deleted_at', 'is', null)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/** The category's name and the video's tags, shown on the studio's detail view. */
export async function getVideoExtrasForStudio(
  db: Kysely<Database>,
  video: Pick<VideoRow, 'id' | 'category_id'>,
): Promise<{ categoryName: string | null; tags: { id: number; name: string; slug: string }[] }> {
  const category =
    video.category_id === null
      ? undefined
      : await db
          .selectFrom('categories')
          .select('name')
          .where('id', '=', video.category_id)
          .executeTakeFirst();
  const tags = await db
    .selectFrom('video_tags')
    .innerJoin('tags', 'tags.id', 'video_tags.tag_id')
    .select(['tags.id', 'tags.name', 'tags.slug'])
    .where('video_tags.video_id', '=', video.id)
    .orderBy('tags.name')
    .execute();
  return { categoryName: category?.name ?? null, tags };
}

// ---------------------------------------------------------------------------------------------
// Creating a video

export interface NewVideoInput {
  /** The name of the file as the creator had it; gives the title when none is given. */
  fileName: string;
  title?: string | undefined;
  description?: string | undefined;
  categoryId?: number | undefined;
  /** hls_ts or cmaf, already checked against the codec; the column default when absent. */
  streamingFormat?: string | undefined;
  /** h264, hevc or av1; the column default when absent. */
  primaryCodec?: string | undefined;
}

export interface CreatedVideo {
  id: number;
  slug: string;
  status: VideoStatus;
}

async function assertCategoryExists(db: Kysely<Database>, categoryId: number): Promise<void> {
  const found = await db
    .selectFrom('categories')
    .select('id')
    .where('id', '=', categoryId)
    .executeTakeFirst();
  if (!found) {
    throw new LibraryError('CATEGORY_NOT_FOUND', `No category with id ${categoryId} exists.`, {
      categoryId,
    });
  }
}

async function freeSlugFor(tx: Transaction<Database>, title: string): Promise<string> {
  const base = slugify(title);
  const rows = await tx
    .selectFrom('videos')
    .select('slug')
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
    .execute();
  return firstFreeSlug(base, new Set(rows.map((r) => r.slug)));
}

function isSlugConflict(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && (pgError.constraint ?? '').includes('slug');
}

/**
 * Creates a pending video and its transcoding job in one transaction. `placeSource` runs inside
 * the transaction (it moves the uploaded file to uploads/{id}.{ext}); if it throws, no row stays.
 */
export async function createVideoWithJob(
  db: Kysely<Database>,
  input: NewVideoInput,
  placeSource: (video: CreatedVideo) => Promise<void>,
): Promise<CreatedVideo> {
  if (input.categoryId !== undefined) await assertCategoryExists(db, input.categoryId);
  const title = input.title?.trim() || titleFromFileName(input.fileName);

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute(async (tx) => {
        const slug = await freeSlugFor(tx, title);
        const video = await tx
          .insertInto('videos')
          .values({
            title,
            slug,
            description: input.description ?? '',
            category_id: input.categoryId ?? null,
            status: 'pending',
            ...(input.streamingFormat ? { streaming_format: input.streamingFormat } : {}),
            ...(input.primaryCodec ? { primary_codec: input.primaryCodec } : {}),
          })
          .returning(['id', 'slug'])
          .executeTakeFirstOrThrow();
        await tx.insertInto('transcoding_jobs').values({ video_id: video.id }).execute();
        const created: CreatedVideo = { id: video.id, slug: video.slug, status: 'pending' };
        await placeSource(created);
        return created;
      });
    } catch (error) {
      // Two uploads with the same title can pick the same free slug at once; pick again.
      if (attempt < 5 && isSlugConflict(error)) continue;
      throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Editing a video

export interface VideoDetailsUpdate {
  title?: string | undefined;
  description?: string | undefined;
  categoryId?: number | null | undefined;
  isFeatured?: boolean | undefined;
  published?: boolean | undefined;
}

/** Changes a live video's details and published state; returns the video as it now is. */
export async function updateVideoDetails(
  db: Kysely<Database>,
  videoId: number,
  update: VideoDetailsUpdate,
): Promise<VideoRow> {
  if (update.categoryId !== undefined && update.categoryId !== null) {
    await assertCategoryExists(db, update.categoryId);
  }
  const result = await db
    .updateTable('videos')
    .set((eb) => ({
      ...(update.title !== undefined && { title: update.title }),
      ...(update.description !== undefined && { description: update.description }),
      ...(update.categoryId !== undefined && { category_id: update.categoryId }),
      ...(update.isFeatured !== undefined && {
        is_featured: update.isFeatured,
        featured_at: update.isFeatured ? eb.fn.coalesce('featured_at', sql<Date>`now()`) : null,
      }),
      ...(update.published !== undefined && {
        published_at: update.published ? eb.fn.coalesce('published_at', sql<Date>`now()`) : null,
      }),
    }))
    .where('id', '=', videoId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw videoNotFound(videoId);
  return getVideoForStudio(db, videoId);
}

// ---------------------------------------------------------------------------------------------
// Progress

export interface VideoProgressRow {
  videoId: number;
  status: VideoStatus;
  currentStep: string | null;
  progressPercent: number;
  attemptNumber: number;
  maxAttempts: number;
  lastError: string | null;
  renditions: { quality: string; status: string; progressPercent: number }[];
}

/** The job step, overall percent and one entry per rendition, for the studio's progress view. */
export async function getVideoProgress(
  db: Kysely<Database>,
  videoId: number,
): Promise<VideoProgressRow> {
  const video = await db
    .selectFrom('videos')
    .select(['id', 'status', 'error_message'])
    .where('id', '=', videoId)
    .executeTakeFirst();
  if (!video) throw videoNotFound(videoId);
  const job = await db
    .selectFrom('transcoding_jobs')
    .select(['id', 'current_step', 'progress_percent', 'attempt_number', 'max_attempts'])
    .select('last_error')
    .where('video_id', '=', videoId)
    .executeTakeFirst();
  const renditions = job
    ? await db
        .selectFrom('quality_progress')
        .select(['quality', 'status', 'progress_percent'])
        .where('job_id', '=', job.id)
        .orderBy('id')
        .execute()
    : [];
  const status = toVideoStatus(video.status);
  return {
    videoId,
    status,
    currentStep: job?.current_step ?? null,
    progressPercent: status === 'ready' ? 100 : (job?.progress_percent ?? 0),
    attemptNumber: job?.attempt_number ?? 1,
    maxAttempts: job?.max_attempts ?? 3,
    lastError: job?.last_error ?? video.error_message,
    renditions: renditions.map((r) => ({
      quality: r.quality,
      status: r.status,
      progressPercent: r.progress_percent ?? 0,
    })),
  };
}
