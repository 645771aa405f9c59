import { Alert, AspectRatio, Grid, Skeleton, Stack } from '@mantine/core';
import { publicClient } from '../client';
import { useRemote } from '../use-remote';
import { NotFound } from './NotFound';
import { UpNext } from './UpNext';
import { WatchPlayer } from './WatchPlayer';

/** One video: the player with its quality menu, title and description, and more to watch. */
export function WatchPage({ slug }: { slug: string }) {
  const remote = useRemote(`video:${slug}`, () => publicClient.getVideo(slug));

  if (remote.state === 'failed' && remote.code?.endsWith('NOT_FOUND')) {
    return <NotFound message="This video is not shared, or it was removed." />;
  }
  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, md: 8 }}>
        {remote.state === 'loading' && (
          <Stack>
            <AspectRatio ratio={16 / 9}>
              <Skeleton radius="md" />
            </AspectRatio>
            <Skeleton height={24} width="60%" />
          </Stack>
        )}
        {remote.state === 'failed' && (
          <Alert color="red" title="The video could not be loaded">
            {remote.error}
          </Alert>
        )}
        {remote.state === 'loaded' && <WatchPlayer video={remote.data} />}
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <UpNext currentSlug={slug} />
      </Grid.Col>
    </Grid>
  );
}
