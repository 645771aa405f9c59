/** Why a request was refused by the studio's sign-in rules. */
export type AuthErrorCode =
  | 'UNAUTHENTICATED'
  | 'INVALID_PASSWORD'
  | 'CSRF_MISSING'
  | 'SETUP_TOKEN_INVALID'
  | 'SETUP_NOT_NEEDED'
  | 'TOO_MANY_REQUESTS';

/** A refused sign-in or request; `retryAfterSeconds` is set when the client must wait. */
export class AuthError extends Error {
  override name = 'AuthError';

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
