/** What went wrong in a library operation, as a code the HTTP layer maps to a status. */
export type LibraryErrorCode =
  | 'VIDEO_NOT_FOUND'
  | 'CATEGORY_NOT_FOUND'
  | 'INVALID_STATE'
  | 'CONFLICT'
  | 'SOURCE_NOT_FOUND'
  | 'UNSUPPORTED_MEDIA'
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND';

/** A library rule was broken; the message tells a person what to do about it. */
export class LibraryError extends Error {
  override name = 'LibraryError';

  constructor(
    readonly code: LibraryErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The video does not exist (or is archived when the caller wants a live one). */
export function videoNotFound(videoId: number | string): LibraryError {
  return new LibraryError('VIDEO_NOT_FOUND', `No video with id ${videoId} exists.`, { videoId });
}
