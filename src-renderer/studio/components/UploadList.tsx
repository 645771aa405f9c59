import { CloseButton, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { formatBytes } from '../../shared/format';
import { uploadPercent } from '../stores/upload-state';
import type { UploadItem } from '../stores/upload-state';
import { useUploads } from '../stores/uploads';

/** Files on their way into the library, each with the share already sent. */
export function UploadList() {
  const items = useUploads((state) => state.items);
  if (items.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="upload-list">
      {items.map((item) => (
        <UploadRow key={item.key} item={item} />
      ))}
    </Stack>
  );
}

function UploadRow({ item }: { item: UploadItem }) {
  const dismiss = useUploads((state) => state.dismiss);
  const percent = uploadPercent(item);
  const failed = item.state === 'failed';

  return (
    <Paper withBorder p="sm" data-testid="upload-item" data-state={item.state}>
      <Group justify="space-between" wrap="nowrap" mb={6}>
        <Text fz="sm" fw={600} truncate>
          {item.name}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Text fz="xs" c={failed ? 'red' : 'dimmed'}>
            {describe(item, percent)}
          </Text>
          {item.state !== 'uploading' && (
            <CloseButton size="sm" aria-label="Dismiss" onClick={() => dismiss(item.key)} />
          )}
        </Group>
      </Group>
      <Progress
        value={failed ? 100 : percent}
        color={failed ? 'red' : item.state === 'done' ? 'teal' : undefined}
        animated={item.state === 'uploading'}
        size="sm"
        data-testid="upload-progress"
      />
      {failed && item.error && (
        <Text fz="xs" c="red" mt={6}>
          {item.error}
        </Text>
      )}
    </Paper>
  );
}

function describe(item: UploadItem, percent: number): string {
  if (item.state === 'failed') return 'Not added';
  if (item.state === 'done') return 'Added to the library';
  if (item.size === 0) return 'Copying…';
  return `${percent}% of ${formatBytes(item.size)}`;
}
