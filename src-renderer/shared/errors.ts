import { ApiError } from './api-client';

/** The sentence to show a person for an error from the API or the browser. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Try again.';
}
