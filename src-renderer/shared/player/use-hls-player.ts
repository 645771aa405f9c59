import { useCallback, useEffect, useRef, useState } from 'react';
import type Hls from 'hls.js';
import type { PlayerLevel } from './quality';

export interface HlsPlayerState {
  videoRef: React.RefObject<HTMLVideoElement | null>;
  levels: PlayerLevel[];
  /** 'auto' or the index of the rendition chosen by hand. */
  selected: 'auto' | number;
  /** The rendition being played now, once known. */
  playing: PlayerLevel | undefined;
  error: string | null;
  select(choice: 'auto' | number): void;
}

/**
 * Plays an HLS master playlist in the returned video element: through hls.js where Media Source
 * Extensions exist, natively where the browser plays HLS itself (Safari, iOS).
 */
export function useHlsPlayer(src: string | null): HlsPlayerState {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const hlsRef = useRef<Hls | null>(null);
  const [levels, setLevels] = useState<PlayerLevel[]>([]);
  const [selected, setSelected] = useState<'auto' | number>('auto');
  const [playingIndex, setPlayingIndex] = useState<number>(-1);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const video = videoRef.current;
    if (!src || !video) return;
    let cancelled = false;
    setLevels([]);
    setSelected('auto');
    setError(null);

    void import('hls.js').then(({ default: HlsClass }) => {
      if (cancelled) return;
      if (!HlsClass.isSupported()) {
        if (video.canPlayType('application/vnd.apple.mpegurl')) video.src = src;
        else setError('This browser cannot play HLS video.');
        return;
      }
      const hls = new HlsClass({ capLevelToPlayerSize: false });
      hlsRef.current = hls;
      hls.on(HlsClass.Events.MANIFEST_PARSED, (_event, data) => {
        setLevels(data.levels.map((l, index) => ({ index, height: l.height, bitrate: l.bitrate })));
      });
      hls.on(HlsClass.Events.LEVEL_SWITCHED, (_event, data) => setPlayingIndex(data.level));
      hls.on(HlsClass.Events.ERROR, (_event, data) => {
        if (data.fatal) setError(`Playback stopped: ${data.details}. Reload the page to retry.`);
      });
      hls.loadSource(src);
      hls.attachMedia(video);
    });

    return () => {
      cancelled = true;
      hlsRef.current?.destroy();
      hlsRef.current = null;
      video.removeAttribute('src');
    };
  }, [src]);

  const select = useCallback((choice: 'auto' | number) => {
    setSelected(choice);
    const hls = hlsRef.current;
    // -1 hands the choice back to hls.js's bandwidth estimate.
    if (hls) hls.currentLevel = choice === 'auto' ? -1 : choice;
  }, []);

  const playing = levels.find((level) => level.index === playingIndex);
  return { videoRef, levels, selected, playing, error, select };
}
