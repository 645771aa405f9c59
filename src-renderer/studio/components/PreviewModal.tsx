import { Alert, Divider, Group, Modal, Text } from '@mantine/core';
import type { VideoSummary } from '../../../src-main/server/contract';
import { routes } from '../../../src-main/server/contract';
import { formatDuration } from '../../shared/format';
import { fillPath } from '../../shared/http';
import { useHlsPlayer } from '../../shared/player/use-hls-player';
import { CaptionEditor } from './CaptionEditor';
import { ChapterEditor } from './ChapterEditor';
import { SpritePanel } from './SpritePanel';
import { ThumbnailPanel } from './ThumbnailPanel';

/** Plays a ready video from the studio listener's own copy of its HLS output. */
export function PreviewModal(props: { video: VideoSummary | undefined; onClose(): void }) {
  const { video } = props;
  return (
    <Modal
      opened={video !== undefined}
      onClose={props.onClose}
      size="xl"
      title={video?.title}
      centered
    >
      {video && <PreviewPlayer video={video} />}
    </Modal>
  );
}

function PreviewPlayer({ video }: { video: VideoSummary }) {
  const { videoRef, error, playing } = useHlsPlayer(
    fillPath(routes.media.master, { slug: video.slug }),
  );
  return (
    <>
      <video
        ref={videoRef}
        controls
        autoPlay
        muted
        playsInline
        poster={video.thumbnail_url ?? undefined}
        className="preview-video"
        data-testid="preview-player"
      />
      {error && <Alert color="red">{error}</Alert>}
      <Group justify="space-between" mt="xs">
        <Text fz="sm" c="dimmed">
          {formatDuration(video.duration)}
        </Text>
        <Text fz="sm" c="dimmed">
          {playing ? `Playing ${playing.height}p` : 'Loading…'}
        </Text>
      </Group>
      <Divider my="sm" />
      <ThumbnailPanel video={video} videoRef={videoRef} />
      <Divider my="sm" />
      <SpritePanel videoId={video.id} />
      <Divider my="sm" />
      <ChapterEditor videoId={video.id} duration={video.duration} videoRef={videoRef} />
      <Divider my="sm" />
      <CaptionEditor videoId={video.id} />
    </>
  );
}
