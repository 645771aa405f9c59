import { useEffect, useState } from 'react';
import type { PreviewFrame } from './timeline';
import { parseThumbnailTrack } from './timeline';

/** What the controls show about the video element: time, length and whether it plays. */
export interface PlaybackState {
  currentTime: number;
  duration: number;
  paused: boolean;
}

/** Follows a video element's time, duration and play state. */
export function usePlayback(
  videoRef: React.RefObject<HTMLVideoElement | null>,
  fallbackDuration: number,
): PlaybackState {
  const [state, setState] = useState<PlaybackState>({
    currentTime: 0,
    duration: fallbackDuration,
    paused: true,
  });
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const update = () =>
      setState({
        currentTime: video.currentTime,
        duration:
          Number.isFinite(video.duration) && video.duration > 0 ? video.duration : fallbackDuration,
        paused: video.paused,
      });
    const events = ['timeupdate', 'durationchange', 'play', 'pause', 'seeked', 'loadedmetadata'];
    for (const name of events) video.addEventListener(name, update);
    update();
    return () => {
      for (const name of events) video.removeEventListener(name, update);
    };
  }, [videoRef, fallbackDuration]);
  return state;
}

/** Loads a thumbnails track (sprite previews); an empty list while loading or on failure. */
export function useThumbnailTrack(url: string | null | undefined): PreviewFrame[] {
  const [frames, setFrames] = useState<PreviewFrame[]>([]);
  useEffect(() => {
    if (!url) return;
    let cancelled = false;
    fetch(url)
      .then((response) => (response.ok ? response.text() : ''))
      .then((text) => {
        if (!cancelled) setFrames(parseThumbnailTrack(text, url));
      })
      .catch(() => {
        // Previews are a nicety: the seek bar works without them.
      });
    return () => {
      cancelled = true;
    };
  }, [url]);
  return url ? frames : [];
}
