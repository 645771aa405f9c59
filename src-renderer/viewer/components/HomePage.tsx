import { Alert, AspectRatio, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { PublicVideo } from '../../../src-main/server/contract';
import { publicClient } from '../client';
import { useRemote } from '../use-remote';
import { VideoTile } from './VideoTile';

const grid = { base: 1, xs: 2, md: 3, lg: 4 };

/** Narrows the home page to one category or one tag, by slug. */
export interface VideoFilter {
  category?: string;
  tag?: string;
}

/** The library's shared videos, newest first; optionally those of one category or tag. */
export function HomePage({ filter = {} }: { filter?: VideoFilter }) {
  const key = `videos:${filter.category ?? ''}:${filter.tag ?? ''}`;
  const remote = useRemote(key, () => publicClient.listVideos(filter));
  const heading = headingFor(filter, remote.state === 'loaded' ? remote.data.videos : []);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="baseline">
        <Title order={2}>{heading}</Title>
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

function headingFor(filter: VideoFilter, videos: PublicVideo[]): string {
  if (filter.category) return videos[0]?.category_name ?? `Category “${filter.category}”`;
  if (filter.tag) return `Tagged “${filter.tag}”`;
  return 'Latest videos';
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
