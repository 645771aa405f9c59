import { Button, Stack, Text, Title } from '@mantine/core';
import { routes } from '../../../src-main/server/contract';
import { Link } from './Link';

/** Shown for an unknown address or a video that is not (or no longer) shared. */
export function NotFound({ message }: { message?: string }) {
  return (
    <Stack align="center" py={80} gap="sm">
      <Title order={2}>Nothing here</Title>
      <Text c="dimmed">{message ?? 'This page does not exist.'}</Text>
      <Button component={Link} to={routes.public.pages.home} variant="light" mt="md">
        Back to all videos
      </Button>
    </Stack>
  );
}
