import { create } from 'zustand';
import type { JobProgressEvent, VideoStatusEvent } from '../../../src-main/server/contract';
import { adminClient } from '../client';
import { messageOf } from '../../shared/errors';
import {
  emptyVideoState,
  withJobProgress,
  withProgressSnapshot,
  withVideo,
  withVideoStatus,
  withVideos,
} from './video-state';
import type { VideoState } from './video-state';

interface VideosStore extends VideoState {
  loaded: boolean;
  loadError: string | null;
  /** Loads the library and the progress of jobs already running. */
  load(): Promise<void>;
  /** Fetches one video again, e.g. once it is ready and has a thumbnail and a duration. */
  refreshVideo(id: number): Promise<void>;
  applyJobProgress(event: JobProgressEvent): void;
  applyVideoStatus(event: VideoStatusEvent): void;
  retry(id: number): Promise<void>;
}

/** The studio's library, with live progress merged from server-sent events. */
export const useVideos = create<VideosStore>()((set, get) => ({
  ...emptyVideoState,
  loaded: false,
  loadError: null,

  async load() {
    try {
      const list = await adminClient.listVideos({ page_size: 200 });
      set((state) => ({ ...withVideos(state, list.videos), loaded: true, loadError: null }));
      const busy = list.videos.filter((v) => v.status === 'processing' || v.status === 'pending');
      await Promise.all(busy.map((video) => loadProgress(video.id)));
    } catch (error) {
      set({ loaded: true, loadError: messageOf(error) });
    }
  },

  async refreshVideo(id) {
    const video = await adminClient.getVideo(id);
    set((state) => withVideo(state, video));
  },

  applyJobProgress(event) {
    set((state) => withJobProgress(state, event));
    if (!get().byId[event.videoId])
      void get()
        .refreshVideo(event.videoId)
        .catch(() => {});
  },

  applyVideoStatus(event) {
    set((state) => withVideoStatus(state, event));
    // Ready and failed videos gain a thumbnail, duration and qualities only the server knows.
    if (event.status === 'ready' || event.status === 'failed' || !get().byId[event.videoId]) {
      void get()
        .refreshVideo(event.videoId)
        .catch(() => {});
    }
  },

  async retry(id) {
    await adminClient.retryVideo(id);
    await get().refreshVideo(id);
  },
}));

async function loadProgress(id: number): Promise<void> {
  try {
    const snapshot = await adminClient.getProgress(id);
    useVideos.setState((state) => withProgressSnapshot(state, snapshot));
  } catch {
    // The card still shows its status; the next progress event fills in the bars.
  }
}
