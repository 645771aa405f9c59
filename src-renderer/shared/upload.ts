import type { VideoCreated } from '../../src-main/server/contract';
import { ApiError, apiErrorFromBody, networkError } from './http';

/** What an upload reports while the browser streams the file. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadRequest {
  file: Blob & { name: string };
  title?: string;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/**
 * Posts the file with XMLHttpRequest: unlike fetch, it reports upload progress, and with FormData
 * the browser streams the file from disk instead of reading it into memory.
 */
export function uploadWithProgress(
  url: string,
  csrfToken: string,
  request: UploadRequest,
): Promise<VideoCreated> {
  const path = new URL(url, 'http://studio.invalid').pathname;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) =>
      request.onProgress?.({ loaded: event.loaded, total: event.total || request.file.size });
    xhr.onerror = () => reject(networkError(path, new Error('upload failed')));
    xhr.onabort = () => reject(new ApiError('UPLOAD_CANCELLED', 'Upload cancelled.', 0, path));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText));
      else reject(apiErrorFromBody(xhr.status, xhr.responseText, path));
    };
    request.signal?.addEventListener('abort', () => xhr.abort());

    const form = new FormData();
    // Text fields first: the server reads them before it streams the file part to disk.
    if (request.title) form.append('title', request.title);
    form.append('file', request.file, request.file.name);
    xhr.send(form);
  });
}
