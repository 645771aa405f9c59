import { type Kysely, sql } from 'kysely';

// The library's content: videos and how they are organised (categories, tags, playlists,
// chapters, custom fields). Column types, defaults and names follow VLog's schema exactly.

/** Creates categories, videos, video_qualities, tags and video_tags. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createCategories(db);
  await createVideos(db);
  await createVideoQualities(db);
  await createTags(db);
  await createVideoTags(db);
}

/** Drops this migration's tables, dependants first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['video_tags', 'tags', 'video_qualities', 'videos', 'categories']) {
    await db.schema.dropTable(table).execute();
  }
}

async function createCategories(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('categories')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('slug', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .execute();
}

async function createVideos(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('videos')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('title', 'varchar(255)', (c) => c.notNull())
    .addColumn('slug', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.defaultTo(''))
    // Deleting a category leaves its videos uncategorised.
    .addColumn('category_id', 'integer', (c) => c.references('categories.id').onDelete('set null'))
    .addColumn('duration', 'double precision', (c) => c.defaultTo(0))
    .addColumn('source_width', 'integer', (c) => c.defaultTo(0))
    .addColumn('source_height', 'integer', (c) => c.defaultTo(0))
    .addColumn('status', 'varchar(20)', (c) => c.defaultTo('pending'))
    .addColumn('error_message', 'text')
    .addColumn('thumbnail_source', 'varchar(20)', (c) => c.defaultTo('auto'))
    .addColumn('thumbnail_timestamp', 'double precision')
    .addColumn('is_featured', 'boolean', (c) => c.defaultTo(false))
    .addColumn('has_chapters', 'boolean', (c) => c.defaultTo(false))
    .addColumn('streaming_format', 'varchar(10)', (c) => c.notNull().defaultTo('hls_ts'))
    .addColumn('primary_codec', 'varchar(10)', (c) => c.notNull().defaultTo('h264'))
    .addColumn('featured_at', 'timestamptz')
    .addColumn('sprite_sheet_status', 'varchar(20)')
    .addColumn('sprite_sheet_error', 'text')
    .addColumn('sprite_sheet_count', 'integer', (c) => c.defaultTo(0))
    .addColumn('sprite_sheet_interval', 'integer')
    .addColumn('sprite_sheet_tile_size', 'integer')
    .addColumn('sprite_sheet_frame_width', 'integer')
    .addColumn('sprite_sheet_frame_height', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .addColumn('published_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .execute();

  for (const column of ['status', 'category_id', 'created_at', 'published_at', 'deleted_at']) {
    await db.schema.createIndex(`ix_videos_${column}`).on('videos').column(column).execute();
  }
}

async function createVideoQualities(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('video_qualities')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('video_id', 'integer', (c) => c.references('videos.id').onDelete('cascade'))
    .addColumn('quality', 'varchar(10)')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('bitrate', 'integer')
    .execute();
}

async function createTags(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tags')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'varchar(50)', (c) => c.notNull().unique())
    .addColumn('slug', 'varchar(50)', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .execute();

  await db.schema.createIndex('ix_tags_slug').on('tags').column('slug').execute();
}

async function createVideoTags(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('video_tags')
    .addColumn('video_id', 'integer', (c) =>
      c.notNull().references('videos.id').onDelete('cascade'),
    )
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('video_tags_pkey', ['video_id', 'tag_id'])
    .execute();

  for (const column of ['video_id', 'tag_id']) {
    await db.schema
      .createIndex(`ix_video_tags_${column}`)
      .on('video_tags')
      .column(column)
      .execute();
  }
}
