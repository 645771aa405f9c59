import { Alert, AspectRatio, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { publicClient } from '../client';
import { useRemote } from '../use-remote';
import { VideoTile } from './VideoTile';

const grid = { base: 1, xs: 2, md: 3, lg: 4 };

/** The library's ready videos, newest first; optionally those of one category. */
export function HomePage({ category }: { category?: string }) {
  const remote = useRemote(`videos:${category ?? ''}`, () => publicClient.listVideos({ category }));

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="baseline">
        <Title order={2}>{category ? `Category: ${category}` : 'Latest videos'}</Title>
        {remote.state === 'loaded' && (
          <Text c="dimmed" fz="sm">
            {remote.data.videos.length === 1 ? '1 video' : `${remote.data.videos.length} videos`}
          </Text>
        )}
      </Group>
      {remote.state === 'failed' && (
        <Alert color="red" title="The videos could not be loaded">
          {remote.error}
        </Alert>
      )}
      {remote.state === 'loading' && <TileSkeletons />}
      {remote.state === 'loaded' && remote.data.videos.length === 0 && (
        <Text c="dimmed" py={60} ta="center">
          No videos are shared yet. Videos appear here once the studio has published them.
        </Text>
      )}
      {remote.state === 'loaded' && (
        <SimpleGrid cols={grid} spacing="lg" verticalSpacing="xl">
          {remote.data.videos.map((video) => (
            <VideoTile key={video.id} video={video} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function TileSkeletons() {
  return (
    <SimpleGrid cols={grid} spacing="lg">
      {Array.from({ length: 8 }, (_, index) => (
        <Stack key={index} gap={8}>
          <AspectRatio ratio={16 / 9}>
            <Skeleton radius="md" />
          </AspectRatio>
          <Skeleton height={14} width="70%" />
        </Stack>
      ))}
    </SimpleGrid>
  );
}
