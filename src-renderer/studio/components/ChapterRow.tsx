import { useState } from 'react';
import { ActionIcon, Group, NumberInput, TextInput } from '@mantine/core';
import type { Chapter, ChapterUpdateRequest } from '../../../src-main/server/contract-editing';

interface ChapterRowProps {
  chapter: Chapter;
  selected: boolean;
  first: boolean;
  last: boolean;
  onSelect(): void;
  onChange(changes: ChapterUpdateRequest): void;
  onMove(offset: -1 | 1): void;
  onDelete(): void;
}

/** One chapter in the editor's list: title, start, optional end, description, order, delete. */
export function ChapterRow(props: ChapterRowProps) {
  const { chapter } = props;
  const [title, setTitle] = useState(chapter.title);
  const [description, setDescription] = useState(chapter.description ?? '');
  const commitText = () => {
    const changes: ChapterUpdateRequest = {};
    if (title.trim() !== chapter.title) changes.title = title;
    if (description.trim() !== (chapter.description ?? '')) changes.description = description;
    if (Object.keys(changes).length > 0) props.onChange(changes);
  };
  return (
    <Group
      gap={6}
      wrap="nowrap"
      className="chapter-row"
      data-testid="chapter-row"
      data-selected={props.selected || undefined}
      onFocusCapture={props.onSelect}
      onClick={props.onSelect}
    >
      <NumberInput
        size="xs"
        w={84}
        aria-label="Start (s)"
        data-testid="chapter-start"
        min={0}
        step={0.5}
        decimalScale={2}
        value={chapter.start_time}
        onBlur={(e) => {
          const value = Number(e.currentTarget.value);
          if (Number.isFinite(value) && value !== chapter.start_time) {
            props.onChange({ start_time: value });
          }
        }}
      />
      <NumberInput
        size="xs"
        w={84}
        aria-label="End (s), optional"
        placeholder="end"
        data-testid="chapter-end"
        min={0}
        step={0.5}
        decimalScale={2}
        value={chapter.end_time ?? ''}
        onBlur={(e) => {
          const text = e.currentTarget.value.trim();
          const value = text === '' ? null : Number(text);
          if (value !== chapter.end_time) props.onChange({ end_time: value });
        }}
      />
      <TextInput
        size="xs"
        style={{ flex: 1 }}
        aria-label="Chapter title"
        data-testid="chapter-title"
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        onBlur={commitText}
        onKeyDown={(e) => e.key === 'Enter' && commitText()}
      />
      <TextInput
        size="xs"
        style={{ flex: 1 }}
        aria-label="Chapter description"
        placeholder="description"
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
        onBlur={commitText}
      />
      <ActionIcon
        size="sm"
        variant="subtle"
        disabled={props.first}
        onClick={() => props.onMove(-1)}
        aria-label="Move up"
      >
        ↑
      </ActionIcon>
      <ActionIcon
        size="sm"
        variant="subtle"
        disabled={props.last}
        onClick={() => props.onMove(1)}
        aria-label="Move down"
      >
        ↓
      </ActionIcon>
      <ActionIcon
        size="sm"
        variant="subtle"
        color="red"
        onClick={props.onDelete}
        aria-label="Delete chapter"
        data-testid="chapter-delete"
      >
        ✕
      </ActionIcon>
    </Group>
  );
}
