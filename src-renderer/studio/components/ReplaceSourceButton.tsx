import { useRef, useState } from 'react';
import { Button, Stack, Text } from '@mantine/core';
import type { VideoSummary } from '../../../src-main/server/contract';
import { messageOf } from '../../shared/errors';
import { adminClient } from '../client';
import { useVideos } from '../stores/videos';

/** Picks a new source file for a video; the viewer site keeps the old output until it is redone. */
export function ReplaceSourceButton({ video }: { video: VideoSummary }) {
  const input = useRef<HTMLInputElement>(null);
  const refreshVideo = useVideos((state) => state.refreshVideo);
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setPercent(0);
    try {
      await adminClient.replaceSource(video.id, {
        file,
        onProgress: ({ loaded, total }) => setPercent(total > 0 ? (loaded / total) * 100 : 0),
      });
      await refreshVideo(video.id);
    } catch (cause) {
      setError(messageOf(cause));
    } finally {
      setPercent(null);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <Stack gap={4}>
      <input
        ref={input}
        type="file"
        accept="video/*,audio/*"
        hidden
        data-testid="replace-source-input"
        onChange={(event) => void onFile(event.currentTarget.files?.[0])}
      />
      <Button
        variant="subtle"
        size="xs"
        loading={percent !== null}
        onClick={() => input.current?.click()}
        data-testid="replace-source-button"
      >
        Replace source
      </Button>
      {percent !== null && (
        <Text fz="xs" c="dimmed">
          Uploading {Math.round(percent)}%
        </Text>
      )}
      {error && (
        <Text fz="xs" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}
