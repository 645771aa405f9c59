import { useRef } from 'react';
import type { ComponentProps } from 'react';
import { Button, FileButton, Overlay, Paper, Stack, Text, Title } from '@mantine/core';
import { usePageFileDrop } from '../use-page-file-drop';
import { useUploads } from '../stores/uploads';

const acceptedFiles = 'video/*,.mp4,.m4v,.mov,.mkv,.webm,.avi,.mts,.m2ts,.ts,.wmv,.flv';
const inputProps = { 'data-testid': 'upload-input' } as ComponentProps<'input'>;

/**
 * The big target for new videos: drop files anywhere on the page, or pick them. In the desktop
 * app the uploads store turns each file into its local path, so nothing is sent over HTTP.
 */
export function DropZone() {
  const addFiles = useUploads((state) => state.addFiles);
  const dragging = usePageFileDrop(addFiles);
  const resetInput = useRef<() => void>(null);

  const pickFiles = (files: File[]) => {
    addFiles(files);
    // Lets the same file be chosen again, e.g. after a failed upload.
    resetInput.current?.();
  };

  return (
    <>
      {dragging && (
        <Overlay fixed blur={3} color="#000" backgroundOpacity={0.55} zIndex={300} center>
          <Title order={2} c="white">
            Drop to add to your library
          </Title>
        </Overlay>
      )}
      <Paper
        className={dragging ? 'dropzone dropzone-active' : 'dropzone'}
        data-testid="library-dropzone"
        p="lg"
      >
        <Stack align="center" gap="xs">
          <Text className="dropzone-icon" aria-hidden>
            ⇪
          </Text>
          <Title order={3}>Drop videos anywhere on this page</Title>
          <Text c="dimmed" fz="sm" ta="center">
            MP4, MOV, MKV, WebM… Each one is added to your library and prepared for streaming.
          </Text>
          <FileButton
            multiple
            accept={acceptedFiles}
            onChange={pickFiles}
            resetRef={resetInput}
            inputProps={inputProps}
          >
            {(props) => (
              <Button mt="sm" {...props}>
                Choose videos
              </Button>
            )}
          </FileButton>
        </Stack>
      </Paper>
    </>
  );
}
