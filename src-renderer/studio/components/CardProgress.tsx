import { Group, Progress, Stack, Text } from '@mantine/core';
import type { VideoSummary } from '../../../src-main/server/contract';
import type { LiveProgress } from '../stores/video-state';

const stepNames: Record<string, string> = {
  probe: 'Reading the source',
  thumbnail: 'Making the thumbnail',
  transcode: 'Transcoding',
  master_playlist: 'Writing the master playlist',
  finalize: 'Publishing',
};

interface CardProgressProps {
  status: VideoSummary['status'];
  progress: LiveProgress | undefined;
}

/** The running job's step and one bar per rendition, fed by server-sent events. */
export function CardProgress({ status, progress }: CardProgressProps) {
  if (!progress) {
    return (
      <Text fz="xs" c="dimmed" data-testid="job-step">
        {status === 'pending' ? 'Waiting for a worker…' : 'Starting…'}
      </Text>
    );
  }
  const step = progress.step ? (stepNames[progress.step] ?? progress.step) : 'Starting';

  return (
    <Stack gap={6}>
      <Group justify="space-between">
        <Text fz="xs" fw={600} data-testid="job-step">
          {step}
        </Text>
        <Text fz="xs" c="dimmed">
          {progress.percent}%
        </Text>
      </Group>
      {progress.renditions.map((rendition) => (
        <Group key={rendition.quality} gap="xs" wrap="nowrap">
          <Text fz="xs" w={44} c="dimmed">
            {rendition.quality}
          </Text>
          <Progress
            flex={1}
            size="sm"
            value={rendition.progress_percent}
            color={rendition.status === 'completed' ? 'teal' : undefined}
            animated={rendition.status === 'in_progress'}
            data-testid="rendition-progress"
            data-quality={rendition.quality}
            aria-label={`${rendition.quality} ${rendition.progress_percent}%`}
          />
        </Group>
      ))}
    </Stack>
  );
}
