import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A column the database fills in when an insert leaves it out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type VideoStatus = 'pending' | 'processing' | 'ready' | 'failed';
export type StreamingFormat = 'hls_ts' | 'cmaf';
export type PrimaryCodec = 'h264' | 'hevc' | 'av1';
export type QualityStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'skipped';

export interface CategoriesTable {
  id: Generated<number>;
  name: string;
  slug: string;
  description: Defaulted<string | null>;
  created_at: DefaultedTimestamp | null;
}

export interface VideosTable {
  id: Generated<number>;
  title: string;
  slug: string;
  description: Defaulted<string | null>;
  category_id: number | null;
  duration: Defaulted<number | null>;
  source_width: Defaulted<number | null>;
  source_height: Defaulted<number | null>;
  status: Defaulted<string | null>;
  error_message: string | null;
  thumbnail_source: Defaulted<string | null>;
  thumbnail_timestamp: number | null;
  is_featured: Defaulted<boolean | null>;
  has_chapters: Defaulted<boolean | null>;
  streaming_format: Defaulted<string>;
  primary_codec: Defaulted<string>;
  featured_at: Timestamp | null;
  sprite_sheet_status: string | null;
  sprite_sheet_error: string | null;
  sprite_sheet_count: Defaulted<number | null>;
  sprite_sheet_interval: number | null;
  sprite_sheet_tile_size: number | null;
  sprite_sheet_frame_width: number | null;
  sprite_sheet_frame_height: number | null;
  created_at: DefaultedTimestamp | null;
  published_at: Timestamp | null;
  deleted_at: Timestamp | null;
}

export interface VideoQualitiesTable {
  id: Generated<number>;
  video_id: number | null;
  quality: string | null;
  width: number | null;
  height: number | null;
  bitrate: number | null;
}

export interface ViewersTable {
  id: Generated<number>;
  session_id: string;
  first_seen: DefaultedTimestamp | null;
  last_seen: DefaultedTimestamp | null;
}

export interface PlaybackSessionsTable {
  id: Generated<number>;
  video_id: number | null;
  viewer_id: number | null;
  session_token: string;
  started_at: DefaultedTimestamp | null;
  ended_at: Timestamp | null;
  duration_watched: Defaulted<number | null>;
  max_position: Defaulted<number | null>;
  quality_used: string | null;
  completed: Defaulted<boolean | null>;
}

export interface TranscodingJobsTable {
  id: Generated<number>;
  video_id: number | null;
  worker_id: string | null;
  current_step: string | null;
  progress_percent: Defaulted<number | null>;
  started_at: Timestamp | null;
  last_checkpoint: Timestamp | null;
  completed_at: Timestamp | null;
  claimed_at: Timestamp | null;
  claim_expires_at: Timestamp | null;
  attempt_number: Defaulted<number | null>;
  max_attempts: Defaulted<number | null>;
  last_error: string | null;
  processed_by_worker_id: string | null;
  processed_by_worker_name: string | null;
  retranscode_metadata: string | null;
}

export interface QualityProgressTable {
  id: Generated<number>;
  job_id: number | null;
  quality: string;
  status: Defaulted<string>;
  segments_total: number | null;
  segments_completed: Defaulted<number | null>;
  progress_percent: Defaulted<number | null>;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  error_message: string | null;
}

export interface TranscriptionsTable {
  id: Generated<number>;
  video_id: number | null;
  status: Defaulted<string>;
  language: Defaulted<string | null>;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  duration_seconds: number | null;
  transcript_text: string | null;
  vtt_path: string | null;
  word_count: number | null;
  error_message: string | null;
}

export interface WorkersTable {
  id: Generated<number>;
  worker_id: string;
  worker_name: string | null;
  worker_type: Defaulted<string | null>;
  status: Defaulted<string | null>;
  registered_at: Timestamp;
  last_heartbeat: Timestamp | null;
  current_job_id: number | null;
  capabilities: string | null;
  metadata: string | null;
}

export interface WorkerApiKeysTable {
  id: Generated<number>;
  worker_id: number | null;
  key_hash: string;
  key_prefix: string;
  hash_version: Defaulted<number>;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface AdminSessionsTable {
  id: Generated<number>;
  session_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_used_at: Timestamp | null;
  ip_address: string | null;
  user_agent: string | null;
}

export interface SettingsTable {
  id: Generated<number>;
  key: string;
  value: string;
  category: string;
  description: string | null;
  value_type: string;
  constraints: string | null;
  updated_at: DefaultedTimestamp | null;
  updated_by: string | null;
}

export interface TagsTable {
  id: Generated<number>;
  name: string;
  slug: string;
  created_at: DefaultedTimestamp | null;
}

export interface VideoTagsTable {
  video_id: number;
  tag_id: number;
}

export interface PlaylistsTable {
  id: Generated<number>;
  title: string;
  slug: string;
  description: string | null;
  thumbnail_path: string | null;
  visibility: Defaulted<string | null>;
  playlist_type: Defaulted<string | null>;
  is_featured: Defaulted<boolean | null>;
  user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp | null;
  deleted_at: Timestamp | null;
}

export interface PlaylistItemsTable {
  id: Generated<number>;
  playlist_id: number | null;
  video_id: number | null;
  position: Defaulted<number | null>;
  added_at: Timestamp | null;
}

export interface ChaptersTable {
  id: Generated<number>;
  video_id: number | null;
  title: string;
  description: string | null;
  start_time: number;
  end_time: number | null;
  position: Defaulted<number | null>;
  created_at: Timestamp;
  updated_at: Timestamp | null;
}

export interface SpriteQueueTable {
  id: Generated<number>;
  video_id: number | null;
  priority: Defaulted<string | null>;
  status: Defaulted<string | null>;
  error_message: string | null;
  created_at: DefaultedTimestamp | null;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  processed_by_worker_id: number | null;
}

export interface CustomFieldDefinitionsTable {
  id: Generated<number>;
  name: string;
  slug: string;
  field_type: string;
  options: string | null;
  required: Defaulted<boolean | null>;
  category_id: number | null;
  position: Defaulted<number | null>;
  constraints: string | null;
  description: string | null;
  created_at: DefaultedTimestamp | null;
}

export interface VideoCustomFieldsTable {
  video_id: number;
  field_id: number;
  value: string | null;
}

export interface WebhooksTable {
  id: Generated<number>;
  name: string;
  url: string;
  events: string;
  secret: string | null;
  active: Defaulted<boolean | null>;
  headers: string | null;
  created_at: DefaultedTimestamp | null;
  updated_at: Timestamp | null;
  last_triggered_at: Timestamp | null;
  total_deliveries: Defaulted<number | null>;
  successful_deliveries: Defaulted<number | null>;
  failed_deliveries: Defaulted<number | null>;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number | null;
  event_type: string;
  event_data: string;
  request_body: string | null;
  response_status: number | null;
  response_body: string | null;
  error_message: string | null;
  attempt_number: Defaulted<number | null>;
  status: Defaulted<string | null>;
  created_at: DefaultedTimestamp | null;
  next_retry_at: Timestamp | null;
  delivered_at: Timestamp | null;
  duration_ms: number | null;
}

export interface ReencodeQueueTable {
  id: Generated<number>;
  video_id: number | null;
  target_format: Defaulted<string | null>;
  target_codec: Defaulted<string | null>;
  priority: Defaulted<string | null>;
  status: Defaulted<string | null>;
  created_at: DefaultedTimestamp | null;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  error_message: string | null;
  retry_count: Defaulted<number | null>;
  processed_by_worker_id: number | null;
}

export interface DeploymentEventsTable {
  id: Generated<number>;
  worker_id: string;
  worker_name: string | null;
  event_type: string;
  old_version: string | null;
  new_version: string | null;
  status: Defaulted<string | null>;
  triggered_by: string | null;
  details: string | null;
  created_at: Timestamp;
  completed_at: Timestamp | null;
}

/** The library database: VLog's 24 tables. */
export interface Database {
  categories: CategoriesTable;
  videos: VideosTable;
  video_qualities: VideoQualitiesTable;
  viewers: ViewersTable;
  playback_sessions: PlaybackSessionsTable;
  transcoding_jobs: TranscodingJobsTable;
  quality_progress: QualityProgressTable;
  transcriptions: TranscriptionsTable;
  workers: WorkersTable;
  worker_api_keys: WorkerApiKeysTable;
  admin_sessions: AdminSessionsTable;
  settings: SettingsTable;
  tags: TagsTable;
  video_tags: VideoTagsTable;
  playlists: PlaylistsTable;
  playlist_items: PlaylistItemsTable;
  chapters: ChaptersTable;
  sprite_queue: SpriteQueueTable;
  custom_field_definitions: CustomFieldDefinitionsTable;
  video_custom_fields: VideoCustomFieldsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  reencode_queue: ReencodeQueueTable;
  deployment_events: DeploymentEventsTable;
}

export type Video = Selectable<VideosTable>;
export type NewVideo = Insertable<VideosTable>;
export type VideoUpdate = Updateable<VideosTable>;
export type TranscodingJob = Selectable<TranscodingJobsTable>;
export type VideoQuality = Selectable<VideoQualitiesTable>;
export type QualityProgress = Selectable<QualityProgressTable>;
