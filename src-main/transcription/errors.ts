/** What went wrong while transcribing, as a code the studio shows with the message. */
export type TranscriptionErrorCode =
  | 'MODEL_NOT_FOUND'
  | 'MODEL_DOWNLOAD_FAILED'
  | 'MODEL_CHECKSUM_MISMATCH'
  | 'MODEL_LOAD_FAILED'
  | 'ENGINE_UNAVAILABLE'
  | 'ENGINE_FAILED'
  | 'ENGINE_STALLED'
  | 'SOURCE_NOT_FOUND';

/** A transcription could not be made; the message tells a person what to do about it. */
export class TranscriptionError extends Error {
  override name = 'TranscriptionError';

  constructor(
    readonly code: TranscriptionErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

/** True for a TranscriptionError, optionally of one code. */
export function isTranscriptionError(
  error: unknown,
  code?: TranscriptionErrorCode,
): error is TranscriptionError {
  return error instanceof TranscriptionError && (code === undefined || error.code === code);
}
