import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import type { VideoSummary } from '../../../src-main/server/contract';
import { messageOf } from '../../shared/errors';
import { formatDuration } from '../../shared/format';
import type { LiveProgress } from '../stores/video-state';
import { useVideos } from '../stores/videos';
import { CardProgress } from './CardProgress';
import { CardThumbnail } from './CardThumbnail';
import { ReplaceSourceButton } from './ReplaceSourceButton';

const statusColors: Record<VideoSummary['status'], string> = {
  pending: 'yellow',
  processing: 'blue',
  ready: 'teal',
  failed: 'red',
};

interface VideoCardProps {
  video: VideoSummary;
  progress: LiveProgress | undefined;
  onPreview(): void;
}

/** One video of the library: poster, title, status, and its job's progress while it runs. */
export function VideoCard({ video, progress, onPreview }: VideoCardProps) {
  const busy = video.status === 'pending' || video.status === 'processing';
  return (
    <Card withBorder padding="md" data-testid="video-card" data-status={video.status}>
      <Card.Section>
        <CardThumbnail video={video} onPreview={onPreview} />
      </Card.Section>
      <Stack gap={6} mt="sm">
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text fw={600} truncate title={video.title}>
            {video.title}
          </Text>
          <Badge color={statusColors[video.status]} variant="light" data-testid="video-status">
            {video.status}
          </Badge>
        </Group>
        <Text fz="xs" c="dimmed" mih={18}>
          {facts(video)}
        </Text>
        {busy && <CardProgress status={video.status} progress={progress} />}
        {video.status === 'failed' && <FailedNotice video={video} />}
        {video.status === 'ready' && (
          <Button variant="light" size="xs" onClick={onPreview} data-testid="preview-button">
            Preview
          </Button>
        )}
        {!busy && <ReplaceSourceButton video={video} />}
      </Stack>
    </Card>
  );
}

function facts(video: VideoSummary): string {
  const parts = [video.duration > 0 ? formatDuration(video.duration) : null];
  if (video.source_height > 0) parts.push(`${video.source_width}×${video.source_height}`);
  const renditions = video.qualities.length;
  if (renditions > 0) parts.push(renditions === 1 ? '1 rendition' : `${renditions} renditions`);
  const known = parts.filter(Boolean);
  if (known.length > 0) return known.join(' · ');
  return video.status === 'failed' ? '' : 'Details appear once the source is read';
}

function FailedNotice({ video }: { video: VideoSummary }) {
  const retry = useVideos((state) => state.retry);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onRetry = async () => {
    setBusy(true);
    setError(null);
    await retry(video.id).catch((cause: unknown) => setError(messageOf(cause)));
    setBusy(false);
  };

  return (
    <Alert color="red" variant="light" p="xs" data-testid="video-error">
      <Stack gap={6}>
        <Text fz="xs">{video.error_message ?? 'Processing failed.'}</Text>
        {error && (
          <Text fz="xs" c="red">
            {error}
          </Text>
        )}
        <Button size="compact-xs" color="red" variant="outline" loading={busy} onClick={onRetry}>
          Retry
        </Button>
      </Stack>
    </Alert>
  );
}
