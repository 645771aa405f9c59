import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Box, Stack, Text, Title } from '@mantine/core';
import type { PublicVideoDetail } from '../../../src-main/server/contract';
import { formatDuration } from '../../shared/format';
import { useHlsPlayer } from '../../shared/player/use-hls-player';
import { chapterSpans } from '../../shared/player/timeline';
import { usePlayback, useThumbnailTrack } from '../../shared/player/use-playback';
import { languageName } from './CaptionsMenu';
import { PlayerControls } from './PlayerControls';

/**
 * The player of the watch page (hls.js with controls of our own, so chapters, captions, sprite
 * previews and quality share one bar), with the video's title, facts and description under it.
 */
export function WatchPlayer({ video }: { video: PublicVideoDetail }) {
  const hls = useHlsPlayer(video.master_url);
  const { videoRef } = hls;
  const frameRef = useRef<HTMLDivElement | null>(null);
  const playback = usePlayback(videoRef, video.duration);
  const chapters = useMemo(
    () => chapterSpans(video.chapters, playback.duration),
    [video.chapters, playback.duration],
  );
  const frames = useThumbnailTrack(video.sprites?.vtt_url);
  const captions = useCaptionsTrack(videoRef, video.captions !== null);
  const published = video.published_at ? new Date(video.published_at) : null;
  useDocumentTitle(`${video.title} · VLog`);

  const seek = useCallback(
    (time: number) => {
      const element = videoRef.current;
      if (element) element.currentTime = time;
    },
    [videoRef],
  );
  const togglePlay = useCallback(() => {
    const element = videoRef.current;
    if (!element) return;
    if (element.paused) void element.play().catch(() => undefined);
    else element.pause();
  }, [videoRef]);
  const fullscreen = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void frameRef.current?.requestFullscreen?.();
  }, []);

  return (
    <Stack gap="md">
      <Box className="player-frame" ref={frameRef}>
        <video
          ref={videoRef}
          data-testid="video-player"
          playsInline
          crossOrigin="anonymous"
          poster={video.thumbnail_url}
          className="player-video"
          onClick={togglePlay}
        >
          {video.captions && (
            <track
              kind="subtitles"
              src={video.captions.url}
              srcLang={video.captions.language}
              label={languageName(video.captions.language)}
            />
          )}
        </video>
        <PlayerControls
          playback={playback}
          chapters={chapters}
          frames={frames}
          quality={hls}
          captions={
            video.captions && {
              language: video.captions.language,
              showing: captions.showing,
              onChange: captions.show,
            }
          }
          onTogglePlay={togglePlay}
          onSeek={seek}
          onFullscreen={fullscreen}
        />
      </Box>
      {hls.error && <Alert color="red">{hls.error}</Alert>}
      <Stack gap={4}>
        <Title order={2} fz={24} lh={1.25}>
          {video.title}
        </Title>
        <Text c="dimmed" fz="sm">
          {[
            published?.toLocaleDateString(undefined, { dateStyle: 'medium' }),
            formatDuration(video.duration),
            video.category_name,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      </Stack>
      {video.description && (
        <Box className="description-box">
          <Text fz="sm" style={{ whiteSpace: 'pre-line' }}>
            {video.description}
          </Text>
        </Box>
      )}
    </Stack>
  );
}

/**
 * The captions track of the video element: loaded at once ('hidden' loads cues without drawing
 * them) so switching on is instant; 'showing' while the viewer wants them.
 */
function useCaptionsTrack(
  videoRef: React.RefObject<HTMLVideoElement | null>,
  present: boolean,
): { showing: boolean; show(on: boolean): void } {
  const [showing, setShowing] = useState(false);
  useEffect(() => {
    const tracks = videoRef.current?.textTracks;
    if (!present || !tracks) return;
    const apply = () => {
      for (const track of Array.from(tracks)) {
        if (track.kind === 'subtitles' || track.kind === 'captions') {
          track.mode = showing ? 'showing' : 'hidden';
        }
      }
    };
    apply();
    tracks.addEventListener('addtrack', apply);
    return () => tracks.removeEventListener('addtrack', apply);
  }, [videoRef, present, showing]);
  return { showing, show: setShowing };
}

function useDocumentTitle(title: string): void {
  useEffect(() => {
    const previous = document.title;
    document.title = title;
    return () => {
      document.title = previous;
    };
  }, [title]);
}
