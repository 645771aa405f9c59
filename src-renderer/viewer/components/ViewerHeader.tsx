import { Anchor, Box, Container, Group, Text } from '@mantine/core';
import { routes } from '../../../src-main/server/contract';
import { Link } from './Link';

/** The site bar: the VLog mark linking home. */
export function ViewerHeader() {
  return (
    <Box component="header" className="viewer-header">
      <Container size="xl" h={60}>
        <Group h="100%" justify="space-between">
          <Anchor component={Link} to={routes.public.pages.home} underline="never" c="white">
            <Group gap={10}>
              <Box className="viewer-logo" aria-hidden>
                ▶
              </Box>
              <Text fw={700} fz="lg" lts={-0.3}>
                VLog
              </Text>
            </Group>
          </Anchor>
          <Text c="dimmed" fz="sm">
            Videos shared on your network
          </Text>
        </Group>
      </Container>
    </Box>
  );
}
