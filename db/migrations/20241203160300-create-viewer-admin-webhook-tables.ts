import { type Kysely, sql } from 'kysely';

// Viewers and their playback sessions (analytics), admin sessions, runtime settings, and
// outgoing webhooks with their delivery log.

/** Creates the analytics, admin, settings and webhook tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createViewers(db);
  await createPlaybackSessions(db);
  await createAdminSessions(db);
  await createSettings(db);
  await createWebhooks(db);
  await createWebhookDeliveries(db);
}

/** Drops this migration's tables, dependants first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'webhook_deliveries',
    'webhooks',
    'settings',
    'admin_sessions',
    'playback_sessions',
    'viewers',
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

async function createViewers(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('viewers')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('session_id', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('first_seen', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .addColumn('last_seen', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .execute();
}

async function createPlaybackSessions(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('playback_sessions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('video_id', 'integer', (c) => c.references('videos.id').onDelete('cascade'))
    .addColumn('viewer_id', 'integer', (c) => c.references('viewers.id').onDelete('set null'))
    .addColumn('session_token', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('started_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('duration_watched', 'double precision', (c) => c.defaultTo(0))
    .addColumn('max_position', 'double precision', (c) => c.defaultTo(0))
    .addColumn('quality_used', 'varchar(10)')
    .addColumn('completed', 'boolean', (c) => c.defaultTo(false))
    .execute();

  await createIndexes(db, 'playback_sessions', ['video_id', 'viewer_id', 'started_at']);
}

async function createAdminSessions(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('admin_sessions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('session_token', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('ip_address', 'varchar(45)')
    .addColumn('user_agent', 'varchar(512)')
    .execute();

  await createIndexes(db, 'admin_sessions', ['session_token', 'expires_at']);
}

async function createSettings(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('key', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('category', 'varchar(100)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('value_type', 'varchar(50)', (c) => c.notNull())
    .addColumn('constraints', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .addColumn('updated_by', 'varchar(255)')
    .execute();

  await createIndexes(db, 'settings', ['key', 'category']);
}

async function createWebhooks(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('url', 'varchar(500)', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'varchar(64)')
    .addColumn('active', 'boolean', (c) => c.defaultTo(true))
    .addColumn('headers', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz')
    .addColumn('last_triggered_at', 'timestamptz')
    .addColumn('total_deliveries', 'integer', (c) => c.defaultTo(0))
    .addColumn('successful_deliveries', 'integer', (c) => c.defaultTo(0))
    .addColumn('failed_deliveries', 'integer', (c) => c.defaultTo(0))
    .execute();

  await createIndexes(db, 'webhooks', ['active', 'created_at']);
}

async function createWebhookDeliveries(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('webhook_id', 'integer', (c) => c.references('webhooks.id').onDelete('cascade'))
    .addColumn('event_type', 'varchar(50)', (c) => c.notNull())
    .addColumn('event_data', 'text', (c) => c.notNull())
    .addColumn('request_body', 'text')
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('error_message', 'text')
    .addColumn('attempt_number', 'integer', (c) => c.defaultTo(1))
    .addColumn('status', 'varchar(20)', (c) => c.defaultTo('pending'))
    .addColumn('created_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .addColumn('next_retry_at', 'timestamptz')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('duration_ms', 'integer')
    .execute();

  const indexed = ['webhook_id', 'status', 'event_type', 'next_retry_at'];
  await createIndexes(db, 'webhook_deliveries', indexed);
  await db.schema
    .createIndex('ix_webhook_deliveries_status_next_retry')
    .on('webhook_deliveries')
    .columns(['status', 'next_retry_at'])
    .execute();
}
