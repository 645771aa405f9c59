import { useCallback, useEffect, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  FileButton,
  Group,
  NumberInput,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import type { CaptionCueJson, Transcript } from '../../../src-main/server/contract-editing';
import { ApiError } from '../../shared/http';
import { editingClient } from '../editing-client';
import { TranscribeControl } from './TranscribeControl';

/** The caption editor: the cues with start, end and text, save, delete, or upload a file. */
export function CaptionEditor({ videoId }: { videoId: number }) {
  const [transcript, setTranscript] = useState<Transcript | null>(null);
  const [cues, setCues] = useState<CaptionCueJson[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const show = useCallback((next: Transcript) => {
    setTranscript(next);
    setCues(next.cues);
  }, []);
  const run = async (action: () => Promise<Transcript>, done: string) => {
    setMessage(null);
    try {
      show(await action());
      setMessage({ ok: true, text: done });
    } catch (error) {
      setMessage({ ok: false, text: error instanceof ApiError ? error.message : String(error) });
    }
  };
  const reload = useCallback(() => {
    editingClient.getTranscript(videoId).then(show, () => undefined);
  }, [videoId, show]);
  useEffect(reload, [reload]);

  const edit = (index: number, changes: Partial<CaptionCueJson>) =>
    setCues((list) => list.map((cue, i) => (i === index ? { ...cue, ...changes } : cue)));
  const last = cues[cues.length - 1];

  return (
    <Stack gap="xs" data-testid="caption-editor">
      <Group justify="space-between">
        <Text fw={600} fz="sm">
          Captions{' '}
          <Text span c="dimmed" fz="xs" data-testid="caption-status">
            {transcript?.status === 'none' ? 'none yet' : transcript?.status}
          </Text>
        </Text>
        <Group gap="xs">
          <FileButton
            accept=".vtt,.srt,text/vtt"
            onChange={(file) =>
              file &&
              void run(
                () => editingClient.uploadCaptions(videoId, file),
                `Captions read from ${file.name}.`,
              )
            }
          >
            {(props) => (
              <Button {...props} size="xs" variant="default" data-testid="caption-upload">
                Upload .vtt / .srt
              </Button>
            )}
          </FileButton>
          <Button
            size="xs"
            variant="default"
            color="red"
            disabled={transcript?.status === 'none'}
            onClick={() =>
              void run(() => editingClient.deleteTranscript(videoId), 'Captions deleted.')
            }
            data-testid="caption-delete"
          >
            Delete
          </Button>
          <Button
            size="xs"
            onClick={() =>
              void run(() => editingClient.saveTranscript(videoId, cues), 'Captions saved.')
            }
            data-testid="caption-save"
          >
            Save
          </Button>
        </Group>
      </Group>
      <TranscribeControl videoId={videoId} status={transcript?.status} onFinished={reload} />
      {message && (
        <Alert
          color={message.ok ? 'teal' : 'red'}
          variant="light"
          p="xs"
          data-testid="caption-message"
        >
          {message.text}
        </Alert>
      )}
      <Stack gap={4} mah={260} style={{ overflowY: 'auto' }}>
        {cues.map((cue, index) => (
          <Group key={index} gap={6} wrap="nowrap" align="flex-start" data-testid="caption-cue">
            <NumberInput
              size="xs"
              w={84}
              min={0}
              step={0.1}
              decimalScale={3}
              aria-label="Cue start (s)"
              value={cue.start}
              onChange={(v) => edit(index, { start: Number(v) })}
            />
            <NumberInput
              size="xs"
              w={84}
              min={0}
              step={0.1}
              decimalScale={3}
              aria-label="Cue end (s)"
              value={cue.end}
              onChange={(v) => edit(index, { end: Number(v) })}
            />
            <Textarea
              size="xs"
              autosize
              minRows={1}
              style={{ flex: 1 }}
              aria-label="Cue text"
              value={cue.text}
              onChange={(e) => edit(index, { text: e.currentTarget.value })}
            />
            <ActionIcon
              size="sm"
              variant="subtle"
              color="red"
              aria-label="Remove cue"
              onClick={() => setCues((list) => list.filter((_, i) => i !== index))}
            >
              ✕
            </ActionIcon>
          </Group>
        ))}
      </Stack>
      <Button
        size="xs"
        variant="subtle"
        onClick={() =>
          setCues((list) => [
            ...list,
            { start: last?.end ?? 0, end: (last?.end ?? 0) + 2, text: '' },
          ])
        }
      >
        Add cue
      </Button>
    </Stack>
  );
}
