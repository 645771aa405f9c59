import { AspectRatio, Box, Group, Image, Stack, Text } from '@mantine/core';
import { routes } from '../../../src-main/server/contract';
import { formatDuration } from '../../shared/format';
import { fillPath } from '../../shared/http';
import { publicClient } from '../client';
import { useRemote } from '../use-remote';
import { Link } from './Link';

/** Other shared videos beside the player, so the viewer can keep watching. */
export function UpNext({ currentSlug }: { currentSlug: string }) {
  const remote = useRemote('videos:', () => publicClient.listVideos());
  if (remote.state !== 'loaded') return null;
  const others = remote.data.videos.filter((video) => video.slug !== currentSlug).slice(0, 8);
  if (others.length === 0) return null;

  return (
    <Stack gap="sm">
      <Text fw={600} c="dimmed" tt="uppercase" fz="xs" lts={0.6}>
        More videos
      </Text>
      {others.map((video) => (
        <Link
          key={video.id}
          to={fillPath(routes.public.pages.watch, { slug: video.slug })}
          className="up-next-item"
        >
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <Box w={150} style={{ flexShrink: 0 }} pos="relative">
              <AspectRatio ratio={16 / 9}>
                <Image src={video.thumbnail_url} alt="" radius="sm" loading="lazy" />
              </AspectRatio>
              <Text className="duration-badge" fz={10} fw={600}>
                {formatDuration(video.duration)}
              </Text>
            </Box>
            <Text fz="sm" fw={600} lineClamp={2} lh={1.3}>
              {video.title}
            </Text>
          </Group>
        </Link>
      ))}
    </Stack>
  );
}
