/** Machine-readable reasons the library database could not be opened, migrated or started. */
export type DatabaseErrorCode =
  | 'MIGRATION_FAILED'
  | 'CLUSTER_VERSION_MISMATCH'
  | 'CLUSTER_INIT_FAILED'
  | 'CLUSTER_START_FAILED'
  | 'CLUSTER_IN_USE'
  | 'CLUSTER_STOP_FAILED'
  | 'CLUSTER_BINARIES_MISSING'
  | 'CLUSTER_UNSUPPORTED_PLATFORM'
  | 'CLUSTER_PERMISSIONS';

/** An error from db/: a code for programs, context for logs, a message a person can act on. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';

  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
