import { useState } from 'react';
import { Alert, Group, SimpleGrid, Skeleton, Text, Title } from '@mantine/core';
import { listVideos } from '../stores/video-state';
import { useVideos } from '../stores/videos';
import { PreviewModal } from './PreviewModal';
import { VideoCard } from './VideoCard';

const columns = { base: 1, sm: 2, md: 3, lg: 4 };

/** One card per video in the library, newest first. */
export function VideoGrid() {
  const state = useVideos();
  const [previewId, setPreviewId] = useState<number | null>(null);
  const videos = listVideos(state);
  const preview = previewId === null ? undefined : state.byId[previewId];

  return (
    <>
      <Group justify="space-between" align="baseline" mt="sm">
        <Title order={3}>Library</Title>
        {state.loaded && (
          <Text c="dimmed" fz="sm">
            {videos.length === 1 ? '1 video' : `${videos.length} videos`}
          </Text>
        )}
      </Group>
      {state.loadError && (
        <Alert color="red" title="The library could not be loaded">
          {state.loadError}
        </Alert>
      )}
      {!state.loaded && <Skeleton h={220} />}
      {state.loaded && videos.length === 0 && !state.loadError && (
        <Text c="dimmed" ta="center" py="xl">
          Your library is empty. Drop a video above to add the first one.
        </Text>
      )}
      <SimpleGrid cols={columns} spacing="lg" data-testid="video-grid">
        {videos.map((video) => (
          <VideoCard
            key={video.id}
            video={video}
            progress={state.progress[video.id]}
            onPreview={() => setPreviewId(video.id)}
          />
        ))}
      </SimpleGrid>
      <PreviewModal video={preview} onClose={() => setPreviewId(null)} />
    </>
  );
}
