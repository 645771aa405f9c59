import { type Kysely, sql } from 'kysely';

// Everything that turns a source into published output: transcoding jobs and their per-rendition
// progress, transcriptions, workers and their keys, the sprite and re-encode queues.

/** Creates the job, worker and queue tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTranscodingJobs(db);
  await createQualityProgress(db);
  await createTranscriptions(db);
  await createWorkers(db);
  await createWorkerApiKeys(db);
  await createSpriteQueue(db);
  await createReencodeQueue(db);
  await createDeploymentEvents(db);
}

/** Drops this migration's tables, dependants first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'deployment_events',
    'reencode_queue',
    'sprite_queue',
    'worker_api_keys',
    'workers',
    'transcriptions',
    'quality_progress',
    'transcoding_jobs',
  ];
  for (const table of tables) {
    await db.schema.dropTable(table).execute();
  }
}

async function createIndexes(db: Kysely<unknown>, table: string, columns: string[]) {
  for (const column of columns) {
    await db.schema.createIndex(`ix_${table}_${column}`).on(table).column(column).execute();
  }
}

async function createTranscodingJobs(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('transcoding_jobs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('video_id', 'integer', (c) => c.unique().references('videos.id').onDelete('cascade'))
    .addColumn('worker_id', 'varchar(36)')
    .addColumn('current_step', 'varchar(50)')
    .addColumn('progress_percent', 'integer', (c) => c.defaultTo(0))
    .addColumn('started_at', 'timestamp')
    .addColumn('last_checkpoint', 'timestamp')
    .addColumn('completed_at', 'timestamp')
    .addColumn('claimed_at', 'timestamp')
    .addColumn('claim_expires_at', 'timestamp')
    .addColumn('attempt_number', 'integer', (c) => c.defaultTo(1))
    .addColumn('max_attempts', 'integer', (c) => c.defaultTo(3))
    .addColumn('last_error', 'text')
    .addColumn('processed_by_worker_id', 'varchar(36)')
    .addColumn('processed_by_worker_name', 'varchar(100)')
    .addColumn('retranscode_metadata', 'text')
    .execute();

  await createIndexes(db, 'transcoding_jobs', ['video_id']);
  await db.schema
    .createIndex('ix_transcoding_jobs_claim_expires')
    .on('transcoding_jobs')
    .column('claim_expires_at')
    .execute();
}

async function createQualityProgress(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('quality_progress')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('job_id', 'integer', (c) => c.references('transcoding_jobs.id').onDelete('cascade'))
    .addColumn('quality', 'varchar(10)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('pending'))
    .addColumn('segments_total', 'integer')
    .addColumn('segments_completed', 'integer', (c) => c.defaultTo(0))
    .addColumn('progress_percent', 'integer', (c) => c.defaultTo(0))
    .addColumn('started_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('error_message', 'text')
    .addUniqueConstraint('uq_job_quality', ['job_id', 'quality'])
    .execute();

  await createIndexes(db, 'quality_progress', ['job_id']);
}

async function createTranscriptions(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('transcriptions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('video_id', 'integer', (c) => c.unique().references('videos.id').onDelete('cascade'))
    .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('pending'))
    .addColumn('language', 'varchar(10)', (c) => c.defaultTo('en'))
    .addColumn('started_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('duration_seconds', 'double precision')
    .addColumn('transcript_text', 'text')
    .addColumn('vtt_path', 'varchar(255)')
    .addColumn('word_count', 'integer')
    .addColumn('error_message', 'text')
    .execute();
}

async function createWorkers(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workers')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('worker_id', 'varchar(36)', (c) => c.notNull().unique())
    .addColumn('worker_name', 'varchar(100)')
    .addColumn('worker_type', 'varchar(20)', (c) => c.defaultTo('remote'))
    .addColumn('status', 'varchar(20)', (c) => c.defaultTo('active'))
    .addColumn('registered_at', 'timestamp', (c) => c.notNull())
    .addColumn('last_heartbeat', 'timestamp')
    // A finished or deleted job simply leaves the worker without a current job.
    .addColumn('current_job_id', 'integer', (c) =>
      c.references('transcoding_jobs.id').onDelete('set null'),
    )
    .addColumn('capabilities', 'text')
    .addColumn('metadata', 'text')
    .execute();

  await createIndexes(db, 'workers', ['worker_id', 'status', 'last_heartbeat']);
}

async function createWorkerApiKeys(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('worker_api_keys')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('worker_id', 'integer', (c) => c.references('workers.id').onDelete('cascade'))
    .addColumn('key_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('key_prefix', 'varchar(8)', (c) => c.notNull())
    .addColumn('hash_version', 'integer', (c) => c.notNull().defaultTo(2))
    .addColumn('created_at', 'timestamp', (c) => c.notNull())
    .addColumn('expires_at', 'timestamp')
    .addColumn('revoked_at', 'timestamp')
    .addColumn('last_used_at', 'timestamp')
    .execute();

  await createIndexes(db, 'worker_api_keys', ['key_prefix', 'worker_id']);
}

async function createSpriteQueue(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sprite_queue')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('video_id', 'integer', (c) => c.references('videos.id').onDelete('cascade'))
    .addColumn('priority', 'varchar(10)', (c) => c.defaultTo('normal'))
    .addColumn('status', 'varchar(20)', (c) => c.defaultTo('pending'))
    .addColumn('error_message', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('processed_by_worker_id', 'integer')
    .addCheckConstraint('ck_sprite_queue_priority', sql`priority IN ('high', 'normal', 'low')`)
    .addCheckConstraint(
      'ck_sprite_queue_status',
      sql`status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')`,
    )
    .execute();

  await createIndexes(db, 'sprite_queue', ['status', 'video_id']);
  await db.schema
    .createIndex('ix_sprite_queue_priority_created')
    .on('sprite_queue')
    .columns(['priority', 'created_at'])
    .execute();
  // Only pending entries are ever picked by priority, so only they are indexed.
  await db.schema
    .createIndex('ix_sprite_queue_pending_priority')
    .on('sprite_queue')
    .columns(['priority', 'created_at'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
}

async function createReencodeQueue(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reencode_queue')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('video_id', 'integer', (c) => c.references('videos.id').onDelete('cascade'))
    .addColumn('target_format', 'varchar(20)', (c) => c.defaultTo('cmaf'))
    .addColumn('target_codec', 'varchar(10)', (c) => c.defaultTo('hevc'))
    .addColumn('priority', 'varchar(10)', (c) => c.defaultTo('normal'))
    .addColumn('status', 'varchar(20)', (c) => c.defaultTo('pending'))
    .addColumn('created_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('error_message', 'text')
    .addColumn('retry_count', 'integer', (c) => c.defaultTo(0))
    .addColumn('processed_by_worker_id', 'integer')
    .execute();

  await createIndexes(db, 'reencode_queue', ['status', 'video_id']);
  await db.schema
    .createIndex('ix_reencode_queue_priority_created')
    .on('reencode_queue')
    .columns(['priority', 'created_at'])
    .execute();
}

async function createDeploymentEvents(db: Kysely<unknown>): Promise<void> {
  // worker_id holds a worker's UUID with no foreign key: events outlive the worker's row.
  await db.schema
    .createTable('deployment_events')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('worker_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('worker_name', 'varchar(100)')
    .addColumn('event_type', 'varchar(20)', (c) => c.notNull())
    .addColumn('old_version', 'varchar(64)')
    .addColumn('new_version', 'varchar(64)')
    .addColumn('status', 'varchar(20)', (c) => c.defaultTo('pending'))
    .addColumn('triggered_by', 'varchar(100)')
    .addColumn('details', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    .execute();

  await createIndexes(db, 'deployment_events', ['worker_id', 'created_at']);
}
