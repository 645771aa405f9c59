import { Button, Menu } from '@mantine/core';
import type { PlayerChapter } from '../../shared/player/timeline';
import { chapterAt, clockLabel } from '../../shared/player/timeline';

/** Lists the chapters; choosing one jumps to its start. */
export function ChapterMenu(props: {
  chapters: PlayerChapter[];
  currentTime: number;
  onSeek(time: number): void;
}) {
  const current = chapterAt(props.chapters, props.currentTime);
  if (props.chapters.length === 0) return null;
  return (
    <Menu position="top-end" shadow="md" width={260}>
      <Menu.Target>
        <Button variant="subtle" color="gray" size="xs" data-testid="chapter-menu" maw={220}>
          {current ? current.title : 'Chapters'}
        </Button>
      </Menu.Target>
      <Menu.Dropdown mah={320} style={{ overflowY: 'auto' }}>
        <Menu.Label>Chapters</Menu.Label>
        {props.chapters.map((chapter) => (
          <Menu.Item
            key={`${chapter.start}-${chapter.title}`}
            data-testid="chapter-menu-item"
            onClick={() => props.onSeek(chapter.start)}
            leftSection={clockLabel(chapter.start)}
            rightSection={chapter === current ? '●' : null}
          >
            {chapter.title}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
