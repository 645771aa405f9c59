/** Machine-readable reasons a media operation fails; the UI and the job runner decide on these. */
export type MediaErrorCode =
  | 'NO_VIDEO_STREAM'
  | 'CORRUPT_SOURCE'
  | 'NO_SPACE'
  | 'FFMPEG_FAILED'
  | 'OUTPUT_INVALID'
  | 'TOOLS_MISSING'
  | 'CANCELLED';

/** What a person (or a log reader) needs to reproduce and understand a failed ffmpeg run. */
export interface MediaErrorDetail {
  command?: string;
  stderrTail?: string;
  exitCode?: number | null;
  signal?: string | null;
  [key: string]: unknown;
}

/** Codes that will fail the same way however often they are retried. */
const FINAL_CODES: ReadonlySet<MediaErrorCode> = new Set([
  'NO_VIDEO_STREAM',
  'CORRUPT_SOURCE',
  'NO_SPACE',
  'TOOLS_MISSING',
  'CANCELLED',
]);

/** A failure of ffmpeg/ffprobe or of their output, with a message a person can act on. */
export class MediaError extends Error {
  override name = 'MediaError';
  readonly code: MediaErrorCode;
  readonly retryable: boolean;
  readonly detail: MediaErrorDetail | undefined;

  constructor(
    code: MediaErrorCode,
    message: string,
    options: { retryable?: boolean; detail?: MediaErrorDetail; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? !FINAL_CODES.has(code);
    this.detail = options.detail;
  }
}

/** True when `error` is a MediaError, optionally with the given code. */
export function isMediaError(error: unknown, code?: MediaErrorCode): error is MediaError {
  return error instanceof MediaError && (code === undefined || error.code === code);
}

/** Quotes an argument list the way a POSIX shell would read it, for logs and error details only. */
export function quoteCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map(quoteArg).join(' ');
}

function quoteArg(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The last `lines` non-empty lines of ffmpeg's stderr: where the reason for a failure is. */
export function stderrTail(stderr: string, lines = 20): string {
  return stderr
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(-lines)
    .join('\n');
}
