import { useEffect } from 'react';
import type { JobProgressEvent, VideoStatusEvent } from '../../src-main/server/contract';
import { adminClient } from './client';
import { useVideos } from './stores/videos';

function parse<T>(event: MessageEvent<string>): T | null {
  try {
    return JSON.parse(event.data) as T;
  } catch {
    return null;
  }
}

/**
 * Listens to the studio's server-sent events while mounted and merges them into the library.
 * After a dropped connection the browser reconnects by itself; the library is then reloaded
 * once, because events sent while disconnected are lost.
 */
export function useLiveEvents(): void {
  useEffect(() => {
    const source = new EventSource(adminClient.eventsUrl(), { withCredentials: true });
    let disconnected = false;
    const videos = useVideos.getState();

    source.addEventListener('job.progress', (event) => {
      const payload = parse<JobProgressEvent>(event);
      if (payload) videos.applyJobProgress(payload);
    });
    source.addEventListener('video.status', (event) => {
      const payload = parse<VideoStatusEvent>(event);
      if (payload) videos.applyVideoStatus(payload);
    });
    source.onerror = () => {
      disconnected = true;
    };
    source.onopen = () => {
      if (disconnected) void useVideos.getState().load();
      disconnected = false;
    };
    return () => source.close();
  }, []);
}
