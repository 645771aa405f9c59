import { AspectRatio, Center, Image, Loader, Text, UnstyledButton } from '@mantine/core';
import type { VideoSummary } from '../../../src-main/server/contract';

/** The card's poster: the thumbnail once ready, otherwise what is happening to the video. */
export function CardThumbnail(props: { video: VideoSummary; onPreview(): void }) {
  const { video } = props;
  // The poster is published with the renditions, so before 'ready' its URL answers 404.
  if (video.status === 'ready' && video.thumbnail_url) {
    return (
      <UnstyledButton onClick={props.onPreview} w="100%" aria-label={`Preview ${video.title}`}>
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
          <Loader size="sm" color="gray" type="dots" />
        )}
      </Center>
    </AspectRatio>
  );
}
