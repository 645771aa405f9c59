import { useEffect } from 'react';
import { Alert, Box, Group, Stack, Text, Title } from '@mantine/core';
import type { PublicVideoDetail } from '../../../src-main/server/contract';
import { formatDuration } from '../../shared/format';
import { useHlsPlayer } from '../../shared/player/use-hls-player';
import { QualityMenu } from './QualityMenu';

/** The player of the watch page, with the video's title, facts and description under it. */
export function WatchPlayer({ video }: { video: PublicVideoDetail }) {
  const { videoRef, levels, selected, playing, error, select } = useHlsPlayer(video.master_url);
  const published = video.published_at ? new Date(video.published_at) : null;
  useDocumentTitle(`${video.title} · VLog`);

  return (
    <Stack gap="md">
      <Box className="player-frame">
        <video
          ref={videoRef}
          data-testid="video-player"
          controls
          playsInline
          poster={video.thumbnail_url}
          className="player-video"
        />
      </Box>
      {error && <Alert color="red">{error}</Alert>}
      <Group justify="space-between" align="flex-start" wrap="nowrap">
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
        <QualityMenu levels={levels} selected={selected} playing={playing} onSelect={select} />
      </Group>
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

function useDocumentTitle(title: string): void {
  useEffect(() => {
    const previous = document.title;
    document.title = title;
    return () => {
      document.title = previous;
    };
  }, [title]);
}
