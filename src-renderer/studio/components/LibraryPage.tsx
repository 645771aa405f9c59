import { useEffect } from 'react';
import { AppShell, Container, Stack } from '@mantine/core';
import { useLiveEvents } from '../live-events';
import { useSystem } from '../stores/system';
import { useVideos } from '../stores/videos';
import { DropZone } from './DropZone';
import { StudioHeader } from './StudioHeader';
import { UploadList } from './UploadList';
import { VideoGrid } from './VideoGrid';

/** The signed-in studio: drop videos in, watch them being processed, preview the ready ones. */
export function LibraryPage() {
  const loadVideos = useVideos((state) => state.load);
  const loadSystem = useSystem((state) => state.load);
  useLiveEvents();

  useEffect(() => {
    void loadVideos();
    void loadSystem();
  }, [loadVideos, loadSystem]);

  return (
    <AppShell header={{ height: 60 }} padding="lg">
      <AppShell.Header>
        <StudioHeader />
      </AppShell.Header>
      <AppShell.Main>
        <Container size="xl">
          <Stack gap="lg">
            <DropZone />
            <UploadList />
            <VideoGrid />
          </Stack>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
