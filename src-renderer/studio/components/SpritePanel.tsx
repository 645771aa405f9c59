import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import type { StudioSprites } from '../../../src-main/server/contract';
import { messageOf } from '../../shared/errors';
import { thumbnailClient } from './thumbnail-client';

const POLL_MS = 2000;

/** Where the seek-preview sprite sheets stand, and a button to make them (again) now. */
export function SpritePanel({ videoId }: { videoId: number }) {
  const [state, setState] = useState<StudioSprites | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const working = state?.job?.status === 'pending' || state?.job?.status === 'processing';

  useEffect(() => {
    let stopped = false;
    const load = () =>
      thumbnailClient.sprites(videoId).then(
        (next) => !stopped && setState(next),
        (cause: unknown) => !stopped && setError(messageOf(cause)),
      );
    void load();
    // While a sheet job waits or runs, its state is read again until it ends.
    const timer = working ? setInterval(() => void load(), POLL_MS) : undefined;
    return () => {
      stopped = true;
      if (timer) clearInterval(timer);
    };
  }, [videoId, working]);

  async function generate() {
    setBusy(true);
    setError(null);
    try {
      setState(await thumbnailClient.generateSprites(videoId));
    } catch (cause) {
      setError(messageOf(cause));
    } finally {
      setBusy(false);
    }
  }

  const sheets = state?.sprites;
  return (
    <Stack gap="xs" data-testid="sprite-panel">
      <Group justify="space-between">
        <Text fw={600}>Seek previews</Text>
        <Badge variant="light" data-testid="sprite-status">
          {state?.job?.status ?? state?.status ?? 'none'}
        </Badge>
      </Group>
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          {sheets
            ? `${sheets.count} sheet(s), a frame every ${sheets.interval} s`
            : 'No sprite sheets yet.'}
        </Text>
        <Button size="xs" variant="light" loading={busy || working} onClick={generate}>
          {sheets ? 'Make again' : 'Make now'}
        </Button>
      </Group>
      {(error ?? state?.error ?? state?.job?.error_message) && (
        <Alert color="red" variant="light">
          {error ?? state?.error ?? state?.job?.error_message}
        </Alert>
      )}
    </Stack>
  );
}
