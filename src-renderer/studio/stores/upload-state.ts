/** One file on its way into the library. */
export interface UploadItem {
  key: string;
  name: string;
  size: number;
  loaded: number;
  state: 'uploading' | 'done' | 'failed';
  error: string | null;
  videoId: number | null;
}

/** Adds a new upload at the top of the list. */
export function withUploadStarted(items: UploadItem[], key: string, file: FileLike): UploadItem[] {
  const item: UploadItem = {
    key,
    name: file.name,
    size: file.size,
    loaded: 0,
    state: 'uploading',
    error: null,
    videoId: null,
  };
  return [item, ...items];
}

/** Records bytes sent; progress never goes backwards and never passes the file size. */
export function withUploadProgress(items: UploadItem[], key: string, loaded: number) {
  return update(items, key, (item) => ({
    loaded: Math.min(item.size || loaded, Math.max(item.loaded, loaded)),
  }));
}

export function withUploadDone(items: UploadItem[], key: string, videoId: number) {
  return update(items, key, (item) => ({ state: 'done', loaded: item.size, videoId }));
}

export function withUploadFailed(items: UploadItem[], key: string, error: string) {
  return update(items, key, () => ({ state: 'failed', error }));
}

/** Percentage of the file sent so far. */
export function uploadPercent(item: UploadItem): number {
  if (item.size <= 0) return item.state === 'done' ? 100 : 0;
  return Math.round((item.loaded / item.size) * 100);
}

export interface FileLike {
  name: string;
  size: number;
}

function update(
  items: UploadItem[],
  key: string,
  change: (item: UploadItem) => Partial<UploadItem>,
): UploadItem[] {
  return items.map((item) => (item.key === key ? { ...item, ...change(item) } : item));
}
