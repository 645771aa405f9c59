import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { routes, type TranscriptionProgressEvent } from '../../../src-main/server/contract';
import { ApiError, fillPath } from '../../shared/http';
import { adminClient } from '../client';

const phaseLabels: Record<TranscriptionProgressEvent['phase'], string> = {
  extracting: 'Extracting the audio',
  model_download: 'Downloading the speech model (first use)',
  transcribing: 'Transcribing speech',
  finished: 'Finished',
};

const finalLabels: Record<string, string> = {
  completed: 'Captions made from speech.',
  no_audio: 'This video has no audio track: nothing to transcribe.',
  no_speech: 'No speech was heard in this video.',
};

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function downloadText(event: TranscriptionProgressEvent): string | null {
  const download = event.modelDownload;
  if (!download) return null;
  const total = download.totalBytes ? ` of ${megabytes(download.totalBytes)}` : '';
  return `${download.model}: ${megabytes(download.receivedBytes)}${total}`;
}

/** Follows one video's transcription over the studio's event stream while mounted. */
function useTranscriptionEvents(
  videoId: number,
  onEvent: (event: TranscriptionProgressEvent) => void,
): void {
  useEffect(() => {
    const source = new EventSource(adminClient.eventsUrl(), { withCredentials: true });
    source.addEventListener('transcription.progress', (message) => {
      try {
        const event = JSON.parse((message as MessageEvent<string>).data) as
          TranscriptionProgressEvent | undefined;
        if (event?.videoId === videoId) onEvent(event);
      } catch {
        // A malformed event is skipped; the next one carries the whole state again.
      }
    });
    return () => source.close();
  }, [videoId, onEvent]);
}

/**
 * The Transcribe button of a ready video: starts speech-to-text, shows the progress (and the
 * model download on first use), and tells the caption editor when new captions exist.
 */
export function TranscribeControl({
  videoId,
  status,
  onFinished,
}: {
  videoId: number;
  /** The transcription row's status as last loaded ('none' when there is none). */
  status: string | undefined;
  onFinished: () => void;
}) {
  const [progress, setProgress] = useState<TranscriptionProgressEvent | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const running =
    status === 'pending' ||
    status === 'processing' ||
    (progress !== null && progress.phase !== 'finished');

  const finished = useRef(onFinished);
  useEffect(() => {
    finished.current = onFinished;
  }, [onFinished]);
  const onEvent = useCallback((event: TranscriptionProgressEvent) => {
    setProgress(event);
    if (event.phase !== 'finished') return;
    const ok = event.status !== 'failed';
    setMessage({
      ok,
      text: ok
        ? (finalLabels[event.status] ?? 'Done.')
        : `Transcription failed: ${event.errorMessage ?? ''}`,
    });
    finished.current();
  }, []);
  useTranscriptionEvents(videoId, onEvent);

  const start = async () => {
    setMessage(null);
    try {
      await adminClient.request('POST', fillPath(routes.studio.transcribe, { id: videoId }));
      setProgress({
        videoId,
        status: 'pending',
        phase: 'extracting',
        percent: 0,
        modelDownload: null,
      });
    } catch (error) {
      setMessage({ ok: false, text: error instanceof ApiError ? error.message : String(error) });
    }
  };

  const download = progress ? downloadText(progress) : null;
  return (
    <Stack gap={4} data-testid="transcribe-control">
      <Group gap="xs">
        <Button
          size="xs"
          variant="light"
          loading={running}
          onClick={() => void start()}
          data-testid="transcribe-button"
        >
          Transcribe speech
        </Button>
        {message && (
          <Text fz="xs" c={message.ok ? 'teal' : 'red'} data-testid="transcribe-message">
            {message.text}
          </Text>
        )}
      </Group>
      {running && progress && (
        <Stack gap={2}>
          <Text fz="xs" c="dimmed">
            {phaseLabels[progress.phase]} {download ? `(${download})` : ''}
          </Text>
          <Progress
            value={progress.modelDownload?.percent ?? progress.percent}
            size="sm"
            animated
            data-testid="transcribe-progress"
          />
        </Stack>
      )}
    </Stack>
  );
}
