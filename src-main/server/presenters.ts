import type { CategoryRow } from '../library/categories';
import type { VideoProgressRow, VideoRow } from '../library/videos';
import type {
  Category,
  PublicVideo,
  PublicVideoDetail,
  VideoDetail,
  VideoProgress,
  VideoSummary,
} from './contract';
import { pathFor, routes } from './contract';

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/** The poster's URL, relative to the listener; a video has one only once it is ready. */
function thumbnailUrl(video: Pick<VideoRow, 'slug' | 'status' | 'thumbnail_version'>) {
  return video.status === 'ready' ? versionedThumbnailUrl(video) : null;
}

/** The poster URL with its version, so a changed poster is fetched again at once. */
function versionedThumbnailUrl(video: Pick<VideoRow, 'slug' | 'thumbnail_version'>): string {
  const url = pathFor(routes.media.thumbnail, { slug: video.slug });
  const version = video.thumbnail_version;
  return version ? `${url}?v=${encodeURIComponent(version)}` : url;
}

function masterUrl(slug: string): string {
  return pathFor(routes.media.master, { slug });
}

/** A video as the studio's library grid shows it. */
export function toVideoSummary(video: VideoRow): VideoSummary {
  return {
    id: video.id,
    slug: video.slug,
    title: video.title,
    description: video.description,
    status: video.status,
    error_message: video.error_message,
    duration: video.duration,
    source_width: video.source_width,
    source_height: video.source_height,
    thumbnail_url: thumbnailUrl(video),
    created_at: video.created_at.toISOString(),
    published_at: iso(video.published_at),
    streaming_format: video.streaming_format,
    primary_codec: video.primary_codec,
    category_id: video.category_id,
    is_featured: video.is_featured,
    qualities: video.qualities,
  };
}

/** A video as the studio's detail view shows it. */
export function toVideoDetail(
  video: VideoRow,
  extras: { categoryName: string | null; tags: VideoDetail['tags'] },
): VideoDetail {
  return {
    ...toVideoSummary(video),
    category_name: extras.categoryName,
    deleted_at: iso(video.deleted_at),
    tags: extras.tags,
    master_url: video.status === 'ready' ? masterUrl(video.slug) : null,
  };
}

/** A job's progress as the studio's progress view shows it. */
export function toVideoProgress(progress: VideoProgressRow): VideoProgress {
  const renditionStatuses = ['pending', 'in_progress', 'completed', 'failed', 'skipped'] as const;
  type RenditionStatus = (typeof renditionStatuses)[number];
  const asStatus = (value: string): RenditionStatus =>
    (renditionStatuses as readonly string[]).includes(value)
      ? (value as RenditionStatus)
      : 'pending';
  return {
    video_id: progress.videoId,
    status: progress.status,
    current_step: progress.currentStep,
    progress_percent: progress.progressPercent,
    attempt_number: progress.attemptNumber,
    max_attempts: progress.maxAttempts,
    last_error: progress.lastError,
    renditions: progress.renditions.map((r) => ({
      quality: r.quality,
      status: asStatus(r.status),
      progress_percent: r.progressPercent,
    })),
  };
}

/** A category with its count of videos. */
export function toCategory(category: CategoryRow): Category {
  return {
    id: category.id,
    name: category.name,
    slug: category.slug,
    description: category.description,
    video_count: category.videoCount,
  };
}

type CategoryNames = ReadonlyMap<number, { slug: string; name: string }>;

/** A published video as viewers see it in listings. */
export function toPublicVideo(video: VideoRow, categories: CategoryNames): PublicVideo {
  const category = video.category_id === null ? undefined : categories.get(video.category_id);
  return {
    id: video.id,
    slug: video.slug,
    title: video.title,
    description: video.description,
    duration: video.duration,
    source_width: video.source_width,
    source_height: video.source_height,
    thumbnail_url: versionedThumbnailUrl(video),
    published_at: iso(video.published_at),
    category_id: video.category_id,
    category_slug: category?.slug ?? null,
    category_name: category?.name ?? null,
    is_featured: video.is_featured,
    qualities: video.qualities,
  };
}

/** A published video as its watch page needs it. */
export function toPublicVideoDetail(video: VideoRow, categories: CategoryNames): PublicVideoDetail {
  return {
    ...toPublicVideo(video, categories),
    master_url: masterUrl(video.slug),
    streaming_format: video.streaming_format,
    primary_codec: video.primary_codec,
    chapters: [],
    captions: null,
    sprites: null,
  };
}
