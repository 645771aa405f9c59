import type { ReactNode } from 'react';
import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';

/** The centred card that frames the sign-in and setup forms. */
export function AuthLayout(props: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <Center mih="100vh" className="studio-auth-backdrop" p="md">
      <Paper w={400} p="xl" radius="lg" withBorder shadow="xl">
        <Stack gap="lg">
          <Group gap={10}>
            <Box className="studio-logo" aria-hidden>
              ▶
            </Box>
            <Text fw={700} fz="lg">
              VLog Studio
            </Text>
          </Group>
          <Stack gap={4}>
            <Title order={2} fz={22}>
              {props.title}
            </Title>
            <Text c="dimmed" fz="sm">
              {props.subtitle}
            </Text>
          </Stack>
          {props.children}
        </Stack>
      </Paper>
    </Center>
  );
}
