import { routes } from '../../src-main/server/contract';
import type {
  AuthCheck,
  CategoryList,
  CsrfToken,
  ImportLocalRequest,
  Ok,
  PublicCategoryList,
  PublicVideoDetail,
  PublicVideoList,
  SystemInfo,
  VideoCreated,
  VideoDetail,
  VideoList,
  VideoStatus,
  VideoProgress,
  VideoUpdateRequest,
} from '../../src-main/server/contract';
import { ApiError, fillPath, queryString, sendJson } from './http';
import { uploadWithProgress } from './upload';
import type { UploadRequest } from './upload';
import type { JsonRequest } from './http';

export { ApiError } from './http';
export type { UploadProgress, UploadRequest } from './upload';

export interface ClientOptions {
  /** Origin of the listener; empty means the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

const studio = routes.studio;

/** Filters and paging for the studio's video list. */
export interface StudioVideoQuery {
  status?: VideoStatus;
  category?: string;
  tag?: string;
  q?: string;
  page?: number;
  page_size?: number;
}

/** The typed client for the studio's admin API, signed in by cookie with a CSRF token. */
export function createAdminClient(options: ClientOptions = {}) {
  const baseUrl = options.baseUrl ?? '';
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  let csrfToken: Promise<string> | null = null;
  let onSessionEnded: (() => void) | null = null;

  /** Sends a request of a signed-in page; a 401 means the session ended under it. */
  async function send<T>(request: JsonRequest): Promise<T> {
    try {
      return await sendJson<T>(fetchImpl, baseUrl, request);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        csrfToken = null;
        onSessionEnded?.();
      }
      throw error;
    }
  }

  const get = <T>(path: string) => send<T>({ method: 'GET', path });

  function csrf(): Promise<string> {
    csrfToken ??= get<CsrfToken>(studio.auth.csrfToken).then((body) => body.csrf_token);
    // A failed fetch must not be cached, or every later mutation would fail the same way.
    csrfToken.catch(() => (csrfToken = null));
    return csrfToken;
  }

  async function mutate<T>(request: JsonRequest): Promise<T> {
    const attempt = async () => send<T>({ ...request, headers: { 'x-csrf-token': await csrf() } });
    try {
      return await attempt();
    } catch (error) {
      // The session behind the token may have changed (new sign-in): fetch a fresh one once.
      if (!(error instanceof ApiError) || error.code !== 'CSRF_MISSING') throw error;
      csrfToken = null;
      return attempt();
    }
  }

  const post = <T>(path: string, body?: unknown) => mutate<T>({ method: 'POST', path, body });

  return {
    /** Registers what to do when a request finds the session gone (expired or signed out). */
    onSessionEnded(handler: () => void) {
      onSessionEnded = handler;
    },
    checkAuth: () =>
      sendJson<AuthCheck>(fetchImpl, baseUrl, { method: 'GET', path: studio.auth.check }),
    async login(password: string): Promise<Ok> {
      csrfToken = null;
      return sendJson<Ok>(fetchImpl, baseUrl, {
        method: 'POST',
        path: studio.auth.login,
        body: { password },
      });
    },
    async setup(token: string, password: string): Promise<Ok> {
      csrfToken = null;
      return sendJson<Ok>(fetchImpl, baseUrl, {
        method: 'POST',
        path: studio.auth.setup,
        body: { token, password },
      });
    },
    async logout(): Promise<Ok> {
      const result = await post<Ok>(studio.auth.logout);
      csrfToken = null;
      return result;
    },
    listVideos: (query: StudioVideoQuery = {}) =>
      get<VideoList>(studio.videos + queryString({ ...query })),
    getVideo: (id: number) => get<VideoDetail>(fillPath(studio.video, { id })),
    getProgress: (id: number) => get<VideoProgress>(fillPath(studio.progress, { id })),
    updateVideo: (id: number, changes: VideoUpdateRequest) =>
      mutate<VideoDetail>({ method: 'PUT', path: fillPath(studio.video, { id }), body: changes }),
    archiveVideo: (id: number) =>
      mutate<unknown>({ method: 'DELETE', path: fillPath(studio.video, { id }) }),
    retryVideo: (id: number) => post<unknown>(fillPath(studio.retry, { id })),
    retranscodeVideo: (id: number) => post<unknown>(fillPath(studio.retranscode, { id })),
    importLocal: (request: ImportLocalRequest) => post<VideoCreated>(studio.importLocal, request),
    listCategories: () => get<CategoryList>(studio.categories),
    getSystem: () => get<SystemInfo>(studio.system),
    /** Uploads a file as multipart form data, streamed by the browser with progress. */
    async uploadVideo(request: UploadRequest): Promise<VideoCreated> {
      try {
        return await uploadWithProgress(baseUrl + studio.videos, await csrf(), request);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) onSessionEnded?.();
        throw error;
      }
    },
    /** Replaces a video's source with a new file (streamed like an upload); it transcodes again. */
    async replaceSource(id: number, request: UploadRequest): Promise<unknown> {
      const url = baseUrl + fillPath(studio.replaceSource, { id });
      try {
        return await uploadWithProgress(url, await csrf(), request);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) onSessionEnded?.();
        throw error;
      }
    },
    eventsUrl: () => baseUrl + studio.events,
    /** Any admin route as JSON: GET as is, other methods with the session's CSRF token. */
    request: <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      method === 'GET' ? get<T>(path) : mutate<T>({ method, path, body }),
    /** The CSRF token for a request this client does not send itself (a multipart upload). */
    csrfToken: () => csrf(),
  };
}

export type AdminClient = ReturnType<typeof createAdminClient>;

/** The client for the viewer site's public API (published videos only). */
export function createPublicClient(options: ClientOptions = {}) {
  const baseUrl = options.baseUrl ?? '';
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const get = <T>(path: string) => sendJson<T>(fetchImpl, baseUrl, { method: 'GET', path });
  const api = routes.public;

  return {
    listVideos: (query: { category?: string; tag?: string; q?: string } = {}) =>
      get<PublicVideoList>(api.videos + queryString(query)),
    getVideo: (slug: string) => get<PublicVideoDetail>(fillPath(api.video, { slug })),
    listCategories: () => get<PublicCategoryList>(api.categories),
  };
}

export type PublicClient = ReturnType<typeof createPublicClient>;
