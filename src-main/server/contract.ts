/**
 * The HTTP contract shared by the server and the renderer: every route path (once), and the zod
 * schemas of the JSON that crosses it. The renderer imports only types and `routes` from here, so
 * this file must stay free of node modules.
 */
import { z } from 'zod';
import type { RenditionProgress, StudioEvents } from '../events/bus';

/** Every path the two listeners serve, written once; `:name` marks a parameter. */
export const routes = {
  health: '/health',
  media: {
    file: '/videos/:slug/*',
    master: '/videos/:slug/master.m3u8',
    thumbnailsVtt: '/videos/:slug/thumbnails.vtt',
    spriteSheet: '/videos/:slug/sprites/:name',
    thumbnail: '/videos/:slug/thumbnail.jpg',
    chaptersVtt: '/videos/:slug/chapters.vtt',
    captionsVtt: '/videos/:slug/captions.vtt',
  },
  studio: {
    pages: { root: '/', setup: '/setup', login: '/login' },
    auth: {
      login: '/api/auth/login',
      logout: '/api/auth/logout',
      check: '/api/auth/check',
      csrfToken: '/api/auth/csrf-token',
      setup: '/api/auth/setup',
    },
    videos: '/api/videos',
    archived: '/api/videos/archived',
    importLocal: '/api/videos/import-local',
    video: '/api/videos/:id',
    restore: '/api/videos/:id/restore',
    retry: '/api/videos/:id/retry',
    retranscode: '/api/videos/:id/retranscode',
    replaceSource: '/api/videos/:id/source',
    reencode: '/api/reencode',
    reencodeItem: '/api/reencode/:id',
    publish: '/api/videos/:id/publish',
    unpublish: '/api/videos/:id/unpublish',
    progress: '/api/videos/:id/progress',
    chapters: '/api/videos/:id/chapters',
    chapter: '/api/videos/:id/chapters/:chapter_id',
    chaptersReorder: '/api/videos/:id/chapters/reorder',
    chaptersAutoDetect: '/api/videos/:id/chapters/auto-detect',
    transcript: '/api/videos/:id/transcript',
    transcriptUpload: '/api/videos/:id/transcript/upload',
    transcribe: '/api/videos/:id/transcribe',
    categories: '/api/categories',
    system: '/api/system',
    settings: '/api/settings',
    events: '/api/events',
    thumbnailFrames: '/api/videos/:id/thumbnail/frames',
    thumbnailSelect: '/api/videos/:id/thumbnail/select',
    thumbnailUpload: '/api/videos/:id/thumbnail/upload',
    thumbnailRevert: '/api/videos/:id/thumbnail/revert',
    sprites: '/api/videos/:id/sprites',
    spritesGenerate: '/api/videos/:id/sprites/generate',
  },
  public: {
    pages: {
      home: '/',
      watch: '/watch/:slug',
      category: '/category/:slug',
      tag: '/tag/:slug',
      playlist: '/playlist/:slug',
    },
    assets: '/assets/*',
    videos: '/api/videos',
    video: '/api/videos/:slug',
    categories: '/api/categories',
  },
} as const;

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The parameters a route pattern needs, e.g. `{ id: 3 }` for '/api/videos/:id'. */
export type PathParams<P extends string> = { [K in ParamNames<P>]: string | number };

/** Fills a route pattern's `:name` parameters, URL-encoding each value. */
export function pathFor<P extends string>(pattern: P, params: PathParams<P>): string {
  const values = params as Record<string, string | number>;
  return pattern.replace(/:([A-Za-z_]+)/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`Missing route parameter "${name}" for ${pattern}`);
    return encodeURIComponent(String(value));
  });
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

export const videoStatusSchema = z.enum(['pending', 'processing', 'ready', 'failed']);
export type VideoStatus = z.infer<typeof videoStatusSchema>;

export const qualitySchema = z.object({
  quality: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** kbit/s */
  bitrate: z.number().int(),
});
export type Quality = z.infer<typeof qualitySchema>;

/** Every error body: a machine-readable code and a sentence a person can act on. */
export const apiErrorSchema = z.object({ error: z.string(), message: z.string() });
export type ApiError = z.infer<typeof apiErrorSchema>;

/** The error codes the server sends. */
export const errorCodes = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_PASSWORD',
  'CSRF_MISSING',
  'FORBIDDEN',
  'SETUP_TOKEN_INVALID',
  'SETUP_NOT_NEEDED',
  'NOT_FOUND',
  'VIDEO_NOT_FOUND',
  'CATEGORY_NOT_FOUND',
  'CONFLICT',
  'INVALID_STATE',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA',
  'TOO_MANY_REQUESTS',
  'SOURCE_NOT_FOUND',
  'DATABASE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const healthSchema = z.object({
  status: z.enum(['ok', 'error']),
  database: z.enum(['ok', 'error']),
  /** The ffmpeg in use, checked at start: its version, where it was found, its encoders. */
  media: z
    .object({
      ffmpeg: z.string(),
      origin: z.string(),
      encoders: z.object({
        h264: z.boolean(),
        hevc: z.boolean(),
        av1: z.boolean(),
        aac: z.boolean(),
      }),
    })
    .optional(),
});
export type Health = z.infer<typeof healthSchema>;

// ---------------------------------------------------------------------------------------------
// Studio: videos

export const videoSummarySchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  status: videoStatusSchema,
  error_message: z.string().nullable(),
  /** seconds */
  duration: z.number(),
  source_width: z.number().int(),
  source_height: z.number().int(),
  /** Relative to the listener's origin; null until a poster exists. */
  thumbnail_url: z.string().nullable(),
  created_at: z.string(),
  published_at: z.string().nullable(),
  streaming_format: z.string(),
  primary_codec: z.string(),
  category_id: z.number().int().nullable(),
  is_featured: z.boolean(),
  qualities: z.array(qualitySchema),
});
export type VideoSummary = z.infer<typeof videoSummarySchema>;

export const videoDetailSchema = videoSummarySchema.extend({
  category_name: z.string().nullable(),
  deleted_at: z.string().nullable(),
  tags: z.array(z.object({ id: z.number().int(), name: z.string(), slug: z.string() })),
  /** Relative master playlist URL, null until the video is ready. */
  master_url: z.string().nullable(),
});
export type VideoDetail = z.infer<typeof videoDetailSchema>;

export const videoListQuerySchema = z.object({
  status: videoStatusSchema.optional(),
  /** A category id or slug. */
  category: z.string().min(1).max(255).optional(),
  /** A tag slug. */
  tag: z.string().min(1).max(255).optional(),
  q: z.string().min(1).max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});
export type VideoListQuery = z.input<typeof videoListQuerySchema>;

export const videoListSchema = z.object({
  videos: z.array(videoSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
});
export type VideoList = z.infer<typeof videoListSchema>;

/** The multipart text fields sent with POST /api/videos next to `file`. */
export const videoUploadFieldsSchema = z.object({
  title: z.string().trim().max(255).optional(),
  description: z.string().max(100_000).optional(),
  category_id: z.coerce.number().int().positive().optional(),
  streaming_format: z.enum(['hls_ts', 'cmaf']).optional(),
  primary_codec: z.enum(['h264', 'hevc', 'av1']).optional(),
});

export const importLocalRequestSchema = z.object({
  path: z.string().min(1).max(4096),
  title: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(100_000).optional(),
  category_id: z.number().int().positive().optional(),
});
export type ImportLocalRequest = z.infer<typeof importLocalRequestSchema>;

export const videoCreatedSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  status: videoStatusSchema,
});
export type VideoCreated = z.infer<typeof videoCreatedSchema>;

export const videoUpdateRequestSchema = z
  .object({
    title: z.string().trim().min(1).max(255),
    description: z.string().max(100_000),
    category_id: z.number().int().positive().nullable(),
    is_featured: z.boolean(),
    published: z.boolean(),
  })
  .partial()
  .strict();
export type VideoUpdateRequest = z.infer<typeof videoUpdateRequestSchema>;

export const videoDeletedSchema = z.object({
  id: z.number().int(),
  permanent: z.boolean(),
});
export type VideoDeleted = z.infer<typeof videoDeletedSchema>;

export const videoProgressSchema = z.object({
  video_id: z.number().int(),
  status: videoStatusSchema,
  current_step: z.string().nullable(),
  progress_percent: z.number(),
  attempt_number: z.number().int(),
  max_attempts: z.number().int(),
  last_error: z.string().nullable(),
  renditions: z.array(
    z.object({
      quality: z.string(),
      status: z.enum(['pending', 'in_progress', 'completed', 'failed', 'skipped']),
      progress_percent: z.number(),
    }),
  ),
});
export type VideoProgress = z.infer<typeof videoProgressSchema>;

// ---------------------------------------------------------------------------------------------
// Categories and system

export const categorySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  slug: z.string(),
  description: z.string(),
  video_count: z.number().int(),
});
export type Category = z.infer<typeof categorySchema>;

export const categoryListSchema = z.object({ categories: z.array(categorySchema) });
export type CategoryList = z.infer<typeof categoryListSchema>;

export const categoryCreateRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(10_000).optional(),
});
export type CategoryCreateRequest = z.infer<typeof categoryCreateRequestSchema>;

export const systemInfoSchema = z.object({
  ffmpeg_version: z.string(),
  ffprobe_version: z.string(),
  /** Where the ffmpeg binaries came from: 'env' | 'ffmpeg-static' | 'installer' | 'system'. */
  origin: z.string(),
  encoders: z.object({
    h264: z.boolean(),
    hevc: z.boolean(),
    av1: z.boolean(),
    aac: z.boolean(),
    count: z.number().int(),
  }),
  /** The H.264 encoder the studio chose at start: a GPU one, or the CPU one and why. */
  video_encoder: z.object({
    name: z.string(),
    hardware: z.boolean(),
    reason: z.string(),
  }),
  data_dir: z.string(),
  public_url: z.string(),
  studio_url: z.string(),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

// ---------------------------------------------------------------------------------------------
// Auth

export const loginRequestSchema = z.object({ password: z.string().min(1).max(1024) });
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const minimumPasswordLength = 8;

export const setupRequestSchema = z.object({
  token: z.string().min(1).max(256),
  password: z.string().min(minimumPasswordLength).max(1024),
});
export type SetupRequest = z.infer<typeof setupRequestSchema>;

export const authCheckSchema = z.object({
  authenticated: z.boolean(),
  /** True while no password exists: the studio shows the setup page. */
  setup_required: z.boolean(),
});
export type AuthCheck = z.infer<typeof authCheckSchema>;

export const csrfTokenSchema = z.object({ csrf_token: z.string() });
export type CsrfToken = z.infer<typeof csrfTokenSchema>;

export const okSchema = z.object({ ok: z.literal(true) });
export type Ok = z.infer<typeof okSchema>;

/** The cookie and headers the admin API reads. */
export const authNames = {
  sessionCookie: 'vlog_admin_session',
  csrfHeader: 'x-csrf-token',
  adminSecretHeader: 'x-admin-secret',
} as const;

// ---------------------------------------------------------------------------------------------
// Server-sent events (GET /api/events): `event: <name>` and `data: <JSON payload>`

export type SseEventName = 'job.progress' | 'video.status' | 'transcription.progress';
export type JobProgressEvent = StudioEvents['job.progress'];
export type VideoStatusEvent = StudioEvents['video.status'];
export type SseEvents = Pick<StudioEvents, SseEventName>;
export type { RenditionProgress };
export type TranscriptionProgressEvent = StudioEvents['transcription.progress'];
export const sseEventNames: readonly SseEventName[] = [
  'job.progress',
  'video.status',
  'transcription.progress',
];

// ---------------------------------------------------------------------------------------------
// Public API

export const publicVideoSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  duration: z.number(),
  source_width: z.number().int(),
  source_height: z.number().int(),
  thumbnail_url: z.string(),
  published_at: z.string().nullable(),
  category_id: z.number().int().nullable(),
  category_slug: z.string().nullable(),
  category_name: z.string().nullable(),
  is_featured: z.boolean(),
  qualities: z.array(qualitySchema),
});
export type PublicVideo = z.infer<typeof publicVideoSchema>;

export const publicVideoListQuerySchema = z.object({
  category: z.string().min(1).max(255).optional(),
  tag: z.string().min(1).max(255).optional(),
  q: z.string().min(1).max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});

export const publicVideoListSchema = z.object({ videos: z.array(publicVideoSchema) });
export type PublicVideoList = z.infer<typeof publicVideoListSchema>;

/** Seek-bar previews: a WebVTT thumbnails track and the sheets its cues point into. */
export const spriteSheetsSchema = z.object({
  vtt_url: z.string(),
  /** seconds between preview frames */
  interval: z.number(),
  /** frames per row and per column of a sheet */
  tile_size: z.number().int(),
  frame_width: z.number().int(),
  frame_height: z.number().int(),
  count: z.number().int(),
  sheets: z.array(z.string()),
});
export type SpriteSheets = z.infer<typeof spriteSheetsSchema>;

export const publicVideoDetailSchema = publicVideoSchema.extend({
  master_url: z.string(),
  streaming_format: z.string(),
  primary_codec: z.string(),
  chapters: z.array(
    z.object({ title: z.string(), start_time: z.number(), end_time: z.number().nullable() }),
  ),
  captions: z.object({ url: z.string(), language: z.string() }).nullable(),
  sprites: spriteSheetsSchema.nullable(),
});
export type PublicVideoDetail = z.infer<typeof publicVideoDetailSchema>;

export const publicCategorySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  slug: z.string(),
  description: z.string(),
  video_count: z.number().int(),
});
export const publicCategoryListSchema = z.object({ categories: z.array(publicCategorySchema) });
export type PublicCategoryList = z.infer<typeof publicCategoryListSchema>;

// ---------------------------------------------------------------------------------------------
// Studio: thumbnails and sprite sheets

export const thumbnailSourceSchema = z.enum(['auto', 'selected', 'custom']);
export type ThumbnailSource = z.infer<typeof thumbnailSourceSchema>;

/** A video's poster after a thumbnail change; the URL changes whenever the image does. */
export const thumbnailStateSchema = z.object({
  thumbnail_url: z.string().nullable(),
  thumbnail_source: thumbnailSourceSchema,
  /** seconds into the video, for 'selected' */
  thumbnail_timestamp: z.number().nullable(),
});
export type ThumbnailState = z.infer<typeof thumbnailStateSchema>;

/** Candidate poster frames at fixed points of the video. */
export const thumbnailFramesSchema = z.object({
  frames: z.array(z.object({ percent: z.number(), timestamp: z.number(), url: z.string() })),
});
export type ThumbnailFrames = z.infer<typeof thumbnailFramesSchema>;

export const thumbnailSelectRequestSchema = z.object({
  timestamp: z.number().finite().min(0),
});
export type ThumbnailSelectRequest = z.infer<typeof thumbnailSelectRequestSchema>;

export const spriteJobStatusSchema = z.enum([
  'pending',
  'processing',
  'completed',
  'failed',
  'cancelled',
]);

/** GET /api/videos/{id}/sprites: the sheets when made, and where their job stands. */
export const studioSpritesSchema = z.object({
  status: z.string().nullable(),
  error: z.string().nullable(),
  sprites: spriteSheetsSchema.nullable(),
  job: z
    .object({
      id: z.number().int(),
      priority: z.enum(['high', 'normal', 'low']),
      status: spriteJobStatusSchema,
      error_message: z.string().nullable(),
    })
    .nullable(),
});
export type StudioSprites = z.infer<typeof studioSpritesSchema>;
