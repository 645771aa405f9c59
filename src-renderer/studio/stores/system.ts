import { create } from 'zustand';
import type { SystemInfo } from '../../../src-main/server/contract';
import { adminClient } from '../client';

interface SystemStore {
  info: SystemInfo | null;
  /** Loads the ffmpeg version, its origin and the listeners' addresses for the header. */
  load(): Promise<void>;
}

/** What the studio knows about its machine: ffmpeg and where the viewer site listens. */
export const useSystem = create<SystemStore>()((set) => ({
  info: null,
  async load() {
    try {
      set({ info: await adminClient.getSystem() });
    } catch {
      // The header then shows no ffmpeg badge; nothing else depends on it.
    }
  },
}));
