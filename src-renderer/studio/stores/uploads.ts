import { create } from 'zustand';
import { desktopBridge } from '../../shared/desktop';
import { adminClient } from '../client';
import { messageOf } from '../../shared/errors';
import {
  withUploadDone,
  withUploadFailed,
  withUploadProgress,
  withUploadStarted,
} from './upload-state';
import type { UploadItem } from './upload-state';
import { useVideos } from './videos';

/** How long a finished upload stays listed before its video card takes over. */
const finishedUploadLingerMs = 4000;

interface UploadsStore {
  items: UploadItem[];
  /** Sends each file into the library: by local path in the desktop app, else by upload. */
  addFiles(files: File[]): void;
  dismiss(key: string): void;
}

let nextKey = 1;

/** Uploads in flight, with the bytes sent so far. */
export const useUploads = create<UploadsStore>()((set) => {
  const change = (fn: (items: UploadItem[]) => UploadItem[]) =>
    set((s) => ({ items: fn(s.items) }));

  async function track(key: string, send: () => Promise<{ id: number }>): Promise<void> {
    try {
      const created = await send();
      change((items) => withUploadDone(items, key, created.id));
      await useVideos
        .getState()
        .refreshVideo(created.id)
        .catch(() => {});
      setTimeout(
        () => change((items) => items.filter((item) => item.key !== key)),
        finishedUploadLingerMs,
      );
    } catch (error) {
      change((items) => withUploadFailed(items, key, messageOf(error)));
    }
  }

  function importPath(path: string, name: string, size: number): void {
    const key = `upload-${nextKey++}`;
    change((items) => withUploadStarted(items, key, { name, size }));
    void track(key, () => adminClient.importLocal({ path }));
  }

  return {
    items: [],

    addFiles(files) {
      const bridge = desktopBridge();
      for (const file of files) {
        const localPath = bridge?.pathForFile(file);
        if (localPath) {
          importPath(localPath, file.name, file.size);
          continue;
        }
        const key = `upload-${nextKey++}`;
        change((items) => withUploadStarted(items, key, file));
        const onProgress = ({ loaded }: { loaded: number }) =>
          change((items) => withUploadProgress(items, key, loaded));
        void track(key, () => adminClient.uploadVideo({ file, onProgress }));
      }
    },

    dismiss(key) {
      change((items) => items.filter((item) => item.key !== key));
    },
  };
});
