import { useEffect, useState } from 'react';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { clockLabel } from '../../shared/player/timeline';
import { usePlayback } from '../../shared/player/use-playback';
import { editingClient } from '../editing-client';
import { ChapterRow } from './ChapterRow';
import { ChapterTimeline } from './ChapterTimeline';
import { useChapters } from './use-chapters';

interface ChapterEditorProps {
  videoId: number;
  duration: number;
  videoRef: React.RefObject<HTMLVideoElement | null>;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

/**
 * The chapter editor under the studio's preview. Keys (outside text fields): C adds a chapter
 * at the playhead, Delete removes the selected one, [ and ] nudge its start by half a second.
 */
export function ChapterEditor({ videoId, duration, videoRef }: ChapterEditorProps) {
  const { chapters, error, notice, run } = useChapters(videoId);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const playback = usePlayback(videoRef, duration);
  const selected = chapters.find((c) => c.id === selectedId);

  const addAtPlayhead = () =>
    run(async () => {
      const start = Math.round(playback.currentTime * 10) / 10;
      const title = `Chapter ${chapters.length + 1}`;
      const created = await editingClient.addChapter(videoId, { title, start_time: start });
      setSelectedId(created.id);
    });
  const remove = (id: number) => run(() => editingClient.deleteChapter(videoId, id));
  const moveStart = (id: number, start: number) =>
    run(() => editingClient.updateChapter(videoId, id, { start_time: Math.max(0, start) }));
  const reorder = (index: number, offset: -1 | 1) => {
    const ids = chapters.map((c) => c.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + offset, 0, moved!);
    return run(() => editingClient.reorderChapters(videoId, ids));
  };
  const seek = (time: number) => {
    if (videoRef.current) videoRef.current.currentTime = time;
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 'c') void addAtPlayhead();
      else if ((key === 'delete' || key === 'backspace') && selected) void remove(selected.id);
      else if ((key === '[' || key === ']') && selected) {
        const step = (key === '[' ? -0.5 : 0.5) * (event.shiftKey ? 10 : 1);
        void moveStart(selected.id, Math.round((selected.start_time + step) * 10) / 10);
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <Stack gap="xs" data-testid="chapter-editor">
      <Group justify="space-between">
        <Text fw={600} fz="sm">
          Chapters
        </Text>
        <Group gap="xs">
          <Text fz="xs" c="dimmed">
            C add · Del remove · [ ] nudge
          </Text>
          <Button
            size="xs"
            variant="default"
            onClick={() =>
              void run(
                () => editingClient.detectChapters(videoId, chapters.length > 0),
                'Chapters detected.',
              )
            }
            data-testid="chapter-detect"
          >
            Detect
          </Button>
          <Button size="xs" onClick={() => void addAtPlayhead()} data-testid="chapter-add">
            Add at {clockLabel(playback.currentTime)}
          </Button>
        </Group>
      </Group>
      <ChapterTimeline
        chapters={chapters}
        duration={playback.duration}
        playhead={playback.currentTime}
        selectedId={selectedId}
        onSelect={setSelectedId}
        onMoveStart={(id, start) => void moveStart(id, start)}
        onSeek={seek}
      />
      {error && (
        <Alert color="red" variant="light" p="xs" data-testid="chapter-error">
          {error}
        </Alert>
      )}
      {notice && !error && (
        <Text fz="xs" c="teal">
          {notice}
        </Text>
      )}
      {chapters.map((chapter, index) => (
        <ChapterRow
          key={`${chapter.id}:${chapter.updated_at ?? chapter.created_at}`}
          chapter={chapter}
          selected={chapter.id === selectedId}
          first={index === 0}
          last={index === chapters.length - 1}
          onSelect={() => setSelectedId(chapter.id)}
          onChange={(changes) =>
            void run(() => editingClient.updateChapter(videoId, chapter.id, changes))
          }
          onMove={(offset) => void reorder(index, offset)}
          onDelete={() => void remove(chapter.id)}
        />
      ))}
    </Stack>
  );
}
