import { AspectRatio, Box, Image, Stack, Text } from '@mantine/core';
import type { PublicVideo } from '../../../src-main/server/contract';
import { routes } from '../../../src-main/server/contract';
import { formatDuration } from '../../shared/format';
import { fillPath } from '../../shared/http';
import { Link } from './Link';

/** A video on the home page: poster with its duration, then its title. */
export function VideoTile({ video }: { video: PublicVideo }) {
  return (
    <Box
      component={Link}
      to={fillPath(routes.public.pages.watch, { slug: video.slug })}
      className="video-tile"
      data-testid="video-tile"
    >
      <Box pos="relative" className="video-tile-poster">
        <AspectRatio ratio={16 / 9}>
          <Image src={video.thumbnail_url} alt="" loading="lazy" fallbackSrc={placeholder} />
        </AspectRatio>
        <Text className="duration-badge" fz="xs" fw={600}>
          {formatDuration(video.duration)}
        </Text>
      </Box>
      <Stack gap={2} mt={10}>
        <Text fw={600} lineClamp={2} lh={1.3}>
          {video.title}
        </Text>
        <Text fz="sm" c="dimmed">
          {[video.category_name, publishedOn(video.published_at)].filter(Boolean).join(' · ')}
        </Text>
      </Stack>
    </Box>
  );
}

function publishedOn(publishedAt: string | null): string | null {
  if (!publishedAt) return null;
  return new Date(publishedAt).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

const placeholder =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 9"><rect width="16" height="9" fill="#25262b"/></svg>',
  );
