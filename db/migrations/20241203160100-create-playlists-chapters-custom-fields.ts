import { type Kysely, sql } from 'kysely';

// How a creator arranges the library: playlists (the user's lists, not HLS files), chapters
// within a video, and custom metadata fields.

/** Creates playlists, playlist_items, chapters, custom_field_definitions, video_custom_fields. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createPlaylists(db);
  await createPlaylistItems(db);
  await createChapters(db);
  await createCustomFieldDefinitions(db);
  await createVideoCustomFields(db);
}

/** Drops this migration's tables, dependants first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'video_custom_fields',
    'custom_field_definitions',
    'chapters',
    'playlist_items',
    'playlists',
  ];
  for (const table of tables) {
    await db.schema.dropTable(table).execute();
  }
}

async function createPlaylists(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('playlists')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('title', 'varchar(255)', (c) => c.notNull())
    .addColumn('slug', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('thumbnail_path', 'varchar(500)')
    .addColumn('visibility', 'varchar(20)', (c) => c.defaultTo('public'))
    .addColumn('playlist_type', 'varchar(20)', (c) => c.defaultTo('playlist'))
    .addColumn('is_featured', 'boolean', (c) => c.defaultTo(false))
    .addColumn('user_id', 'varchar(100)')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .addCheckConstraint(
      'ck_playlists_visibility',
      sql`visibility IN ('public', 'private', 'unlisted')`,
    )
    .addCheckConstraint(
      'ck_playlists_playlist_type',
      sql`playlist_type IN ('playlist', 'collection', 'series', 'course')`,
    )
    .execute();

  const indexed = ['slug', 'visibility', 'is_featured', 'deleted_at', 'playlist_type'];
  for (const column of indexed) {
    await db.schema.createIndex(`ix_playlists_${column}`).on('playlists').column(column).execute();
  }
}

async function createPlaylistItems(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('playlist_items')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('playlist_id', 'integer', (c) => c.references('playlists.id').onDelete('cascade'))
    .addColumn('video_id', 'integer', (c) => c.references('videos.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.defaultTo(0))
    .addColumn('added_at', 'timestamptz')
    .addUniqueConstraint('uq_playlist_video', ['playlist_id', 'video_id'])
    .execute();

  for (const column of ['playlist_id', 'video_id', 'position']) {
    await db.schema
      .createIndex(`ix_playlist_items_${column}`)
      .on('playlist_items')
      .column(column)
      .execute();
  }
  await db.schema
    .createIndex('ix_playlist_items_playlist_position')
    .on('playlist_items')
    .columns(['playlist_id', 'position'])
    .execute();
}

async function createChapters(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chapters')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('video_id', 'integer', (c) => c.references('videos.id').onDelete('cascade'))
    .addColumn('title', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('start_time', 'double precision', (c) => c.notNull())
    .addColumn('end_time', 'double precision')
    .addColumn('position', 'integer', (c) => c.defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz')
    .addCheckConstraint('ck_chapters_start_time_positive', sql`start_time >= 0`)
    .addCheckConstraint(
      'ck_chapters_end_time_valid',
      sql`end_time IS NULL OR end_time > start_time`,
    )
    .addUniqueConstraint('uq_chapter_video_position', ['video_id', 'position'])
    .execute();

  for (const column of ['video_id', 'position']) {
    await db.schema.createIndex(`ix_chapters_${column}`).on('chapters').column(column).execute();
  }
  await db.schema
    .createIndex('ix_chapters_video_position')
    .on('chapters')
    .columns(['video_id', 'position'])
    .execute();
}

async function createCustomFieldDefinitions(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('custom_field_definitions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('slug', 'varchar(100)', (c) => c.notNull())
    .addColumn('field_type', 'varchar(20)', (c) => c.notNull())
    .addColumn('options', 'text')
    .addColumn('required', 'boolean', (c) => c.defaultTo(false))
    .addColumn('category_id', 'integer', (c) => c.references('categories.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.defaultTo(0))
    .addColumn('constraints', 'text')
    .addColumn('description', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .addCheckConstraint(
      'ck_custom_field_definitions_field_type',
      sql`field_type IN ('text', 'number', 'date', 'select', 'multi_select', 'url')`,
    )
    .addUniqueConstraint('uq_custom_field_slug_category', ['slug', 'category_id'])
    .execute();

  for (const column of ['category_id', 'position']) {
    await db.schema
      .createIndex(`ix_custom_field_definitions_${column}`)
      .on('custom_field_definitions')
      .column(column)
      .execute();
  }
}

async function createVideoCustomFields(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('video_custom_fields')
    .addColumn('video_id', 'integer', (c) =>
      c.notNull().references('videos.id').onDelete('cascade'),
    )
    .addColumn('field_id', 'integer', (c) =>
      c.notNull().references('custom_field_definitions.id').onDelete('cascade'),
    )
    .addColumn('value', 'text')
    .addPrimaryKeyConstraint('video_custom_fields_pkey', ['video_id', 'field_id'])
    .execute();

  for (const column of ['video_id', 'field_id']) {
    await db.schema
      .createIndex(`ix_video_custom_fields_${column}`)
      .on('video_custom_fields')
      .column(column)
      .execute();
  }
}
