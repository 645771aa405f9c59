/** Reasons a job stops that are not ffmpeg's: the job runner decides on these codes. */
export type JobErrorCode = 'SOURCE_MISSING' | 'LEASE_LOST' | 'PUBLISH_FAILED' | 'UNEXPECTED';

/** A job failure with a machine-readable code and a message a person can act on. */
export class JobError extends Error {
  override name = 'JobError';
  readonly code: JobErrorCode;
  readonly retryable: boolean;
  readonly context: Record<string, unknown>;

  constructor(
    code: JobErrorCode,
    message: string,
    options: { retryable: boolean; context?: Record<string, unknown>; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable;
    this.context = options.context ?? {};
  }
}

/** How a failed attempt is recorded: its code, the message stored for people, and retry. */
export interface FailureSummary {
  code: string;
  message: string;
  retryable: boolean;
}

function hasCodeAndRetryable(
  error: unknown,
): error is Error & { code: string; retryable: boolean } {
  if (!(error instanceof Error)) return false;
  const candidate = error as Error & { code?: unknown; retryable?: unknown };
  return typeof candidate.code === 'string' && typeof candidate.retryable === 'boolean';
}

/**
 * Reads any thrown value as a failure summary. Media and job errors keep their code and
 * retry rule; anything else is unexpected and retried, since it may be passing (a lost
 * database connection, a busy disk).
 */
export function summarizeFailure(error: unknown): FailureSummary {
  if (hasCodeAndRetryable(error)) {
    return { code: error.code, message: error.message, retryable: error.retryable };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return {
    code: 'UNEXPECTED',
    message: `Processing failed unexpectedly (${reason}). Retry; if it fails again, check the log.`,
    retryable: true,
  };
}
