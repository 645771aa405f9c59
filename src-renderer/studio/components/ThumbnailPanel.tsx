import { useState, type RefObject } from 'react';
import {
  Alert,
  AspectRatio,
  Badge,
  Button,
  FileButton,
  Group,
  Image,
  SimpleGrid,
  Slider,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import type {
  ThumbnailFrames,
  ThumbnailState,
  VideoSummary,
} from '../../../src-main/server/contract';
import { messageOf } from '../../shared/errors';
import { formatDuration } from '../../shared/format';
import { useVideos } from '../stores/videos';
import { thumbnailClient } from './thumbnail-client';

type Frame = ThumbnailFrames['frames'][number];

interface PanelProps {
  video: VideoSummary;
  videoRef: RefObject<HTMLVideoElement | null>;
}

/** Choose the poster: a candidate frame, any moment of the preview, an upload, or automatic. */
export function ThumbnailPanel({ video, videoRef }: PanelProps) {
  const refreshVideo = useVideos((s) => s.refreshVideo);
  const [poster, setPoster] = useState<ThumbnailState | null>(null);
  const [frames, setFrames] = useState<Frame[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(label: string, action: () => Promise<ThumbnailState | void>) {
    setBusy(label);
    setError(null);
    try {
      const state = await action();
      if (state) {
        setPoster(state);
        await refreshVideo(video.id);
      }
    } catch (cause) {
      setError(messageOf(cause));
    } finally {
      setBusy(null);
    }
  }

  const loadFrames = () =>
    run('frames', async () => setFrames((await thumbnailClient.candidateFrames(video.id)).frames));
  const select = (timestamp: number) =>
    run('select', () => thumbnailClient.selectFrame(video.id, timestamp));
  const upload = (file: File | null) =>
    file && run('upload', () => thumbnailClient.upload(video.id, file));
  const revert = () => run('revert', () => thumbnailClient.revert(video.id));
  const currentUrl = poster?.thumbnail_url ?? video.thumbnail_url;

  return (
    <Stack gap="xs" data-testid="thumbnail-panel">
      <Group justify="space-between">
        <Text fw={600}>Thumbnail</Text>
        {poster && <Badge variant="light">{sourceLabel(poster)}</Badge>}
      </Group>
      <Group align="flex-start" wrap="nowrap">
        {currentUrl && (
          <Image src={currentUrl} w={160} radius="sm" alt="" data-testid="thumbnail-current" />
        )}
        <Stack gap={6}>
          <Group gap="xs">
            <Button size="xs" variant="light" loading={busy === 'frames'} onClick={loadFrames}>
              Suggest frames
            </Button>
            <FileButton onChange={upload} accept="image/jpeg,image/png,image/webp">
              {(props) => (
                <Button {...props} size="xs" variant="light" loading={busy === 'upload'}>
                  Upload image
                </Button>
              )}
            </FileButton>
            <Button size="xs" variant="subtle" loading={busy === 'revert'} onClick={revert}>
              Revert to automatic
            </Button>
          </Group>
          <Text fz="xs" c="dimmed">
            JPEG, PNG or WebP up to 10 MB; it becomes a 640 px wide JPEG.
          </Text>
        </Stack>
      </Group>
      {frames && <CandidateStrip frames={frames} disabled={busy !== null} onPick={select} />}
      <FrameScrubber
        duration={video.duration}
        videoRef={videoRef}
        busy={busy === 'select'}
        onUse={select}
      />
      {error && (
        <Alert color="red" variant="light" data-testid="thumbnail-error">
          {error}
        </Alert>
      )}
    </Stack>
  );
}

function sourceLabel(state: ThumbnailState): string {
  if (state.thumbnail_source === 'selected' && state.thumbnail_timestamp !== null) {
    return `Frame at ${formatDuration(state.thumbnail_timestamp)}`;
  }
  return state.thumbnail_source === 'custom' ? 'Uploaded image' : 'Automatic';
}

function CandidateStrip(props: { frames: Frame[]; disabled: boolean; onPick(t: number): void }) {
  return (
    <SimpleGrid cols={5} spacing={6}>
      {props.frames.map((frame) => (
        <UnstyledButton
          key={frame.percent}
          disabled={props.disabled}
          onClick={() => props.onPick(frame.timestamp)}
          aria-label={`Use the frame at ${frame.percent} %`}
          data-testid="thumbnail-candidate"
        >
          <AspectRatio ratio={16 / 9}>
            <Image src={frame.url} radius="sm" alt="" />
          </AspectRatio>
          <Text fz="xs" c="dimmed" ta="center">
            {frame.percent} %
          </Text>
        </UnstyledButton>
      ))}
    </SimpleGrid>
  );
}

/** Pauses the preview on a moment, so the frame the slider points at is on screen. */
function showMoment(player: HTMLVideoElement, seconds: number): void {
  player.pause();
  player.currentTime = seconds;
}

/** A slider that moves the preview to any moment, and a button to make it the poster. */
function FrameScrubber(props: {
  duration: number;
  videoRef: RefObject<HTMLVideoElement | null>;
  busy: boolean;
  onUse(t: number): void;
}) {
  const [moment, setMoment] = useState(0);
  const seek = (value: number) => {
    setMoment(value);
    const player = props.videoRef.current;
    if (player) showMoment(player, value);
  };
  const useMoment = () => props.onUse(props.videoRef.current?.currentTime ?? moment);
  return (
    <Group gap="sm" wrap="nowrap">
      <Slider
        flex={1}
        min={0}
        max={Math.max(props.duration, 0.1)}
        step={0.04}
        value={moment}
        onChange={seek}
        label={formatDuration}
        aria-label="Thumbnail moment"
        data-testid="thumbnail-scrubber"
      />
      <Button size="xs" loading={props.busy} onClick={useMoment} data-testid="thumbnail-use-frame">
        Use this frame
      </Button>
    </Group>
  );
}
