import { routes } from '../../../src-main/server/contract';
import type {
  CsrfToken,
  StudioSprites,
  ThumbnailFrames,
  ThumbnailState,
} from '../../../src-main/server/contract';
import { apiErrorFromBody, fillPath, networkError } from '../../shared/http';

const r = routes.studio;
let csrf: Promise<string> | null = null;

async function send<T>(method: 'GET' | 'POST', path: string, body?: BodyInit, json = true) {
  const headers: Record<string, string> = {};
  if (method !== 'GET') {
    csrf ??= fetch(r.auth.csrfToken)
      .then((response) => response.json() as Promise<CsrfToken>)
      .then((token) => token.csrf_token);
    csrf.catch(() => (csrf = null));
    headers['x-csrf-token'] = await csrf;
    if (json) headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body }) });
  } catch (error) {
    throw networkError(path, error);
  }
  const text = await response.text();
  if (!response.ok) {
    // A new sign-in gives a new session, and with it a new token.
    if (response.status === 403) csrf = null;
    throw apiErrorFromBody(response.status, text, path);
  }
  return JSON.parse(text) as T;
}

/** The studio's calls for the thumbnail panel and sprite status. */
export const thumbnailClient = {
  candidateFrames: (id: number) =>
    send<ThumbnailFrames>('POST', fillPath(r.thumbnailFrames, { id }), '{}'),
  selectFrame: (id: number, timestamp: number) =>
    send<ThumbnailState>(
      'POST',
      fillPath(r.thumbnailSelect, { id }),
      JSON.stringify({ timestamp }),
    ),
  /** Sends a JPEG, PNG or WebP picture; the server checks its bytes and makes a 640 px JPEG. */
  upload(id: number, file: File) {
    const form = new FormData();
    form.append('file', file, file.name);
    return send<ThumbnailState>('POST', fillPath(r.thumbnailUpload, { id }), form, false);
  },
  revert: (id: number) => send<ThumbnailState>('POST', fillPath(r.thumbnailRevert, { id }), '{}'),
  sprites: (id: number) => send<StudioSprites>('GET', fillPath(r.sprites, { id })),
  generateSprites: (id: number) =>
    send<StudioSprites>('POST', fillPath(r.spritesGenerate, { id }), '{}'),
};
