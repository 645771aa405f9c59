import { AspectRatio, Center, Image, Loader, Stack, Text, UnstyledButton } from '@mantine/core';
import type { VideoSummary } from '../../../src-main/server/contract';

/** The card's poster: the thumbnail once ready, otherwise what is happening to the video. */
export function CardThumbnail(props: { video: VideoSummary; onPreview(): void }) {
  const { video } = props;
  // The poster is published with the renditions, so before 'ready' its URL answers 404.
  if (video.status === 'ready' && video.thumbnail_url) {
    return (
      <UnstyledButton
        onClick={props.onPreview}
        display="block"
        w="100%"
        aria-label={`Preview ${video.title}`}
      >
        <AspectRatio ratio={16 / 9}>
          <Image src={video.thumbnail_url} alt="" data-testid="video-thumbnail" />
        </AspectRatio>
      </UnstyledButton>
    );
  }
  return (
    <AspectRatio ratio={16 / 9}>
      <Center className="card-placeholder" data-testid="thumbnail-placeholder">
        {video.status === 'failed' ? (
          <Text c="red.4" fz="sm" fw={600}>
            No preview
          </Text>
        ) : (
          <Stack align="center" gap={6}>
            <Loader size="sm" color="grape" type="dots" />
            <Text c="dimmed" fz="xs">
              {video.status === 'pending' ? 'Queued' : 'Processing'}
            </Text>
          </Stack>
        )}
      </Center>
    </AspectRatio>
  );
}
