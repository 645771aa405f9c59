import { ActionIcon, Group, Text } from '@mantine/core';
import type { PlayerLevel } from '../../shared/player/quality';
import type { PlayerChapter, PreviewFrame } from '../../shared/player/timeline';
import { clockLabel } from '../../shared/player/timeline';
import type { PlaybackState } from '../../shared/player/use-playback';
import { CaptionsMenu } from './CaptionsMenu';
import { ChapterMenu } from './ChapterMenu';
import { QualityMenu } from './QualityMenu';
import { SeekBar } from './SeekBar';

export interface PlayerControlsProps {
  playback: PlaybackState;
  chapters: PlayerChapter[];
  frames: PreviewFrame[];
  quality: {
    levels: PlayerLevel[];
    selected: 'auto' | number;
    playing: PlayerLevel | undefined;
    select(choice: 'auto' | number): void;
  };
  captions: { language: string; showing: boolean; onChange(on: boolean): void } | null;
  onTogglePlay(): void;
  onSeek(time: number): void;
  onFullscreen(): void;
}

/** The bar under the picture: play, time, seek bar, chapters, captions, quality, full screen. */
export function PlayerControls(props: PlayerControlsProps) {
  const { playback, quality } = props;
  return (
    <div className="player-controls">
      <SeekBar
        currentTime={playback.currentTime}
        duration={playback.duration}
        chapters={props.chapters}
        frames={props.frames}
        onSeek={props.onSeek}
      />
      <Group justify="space-between" gap="xs" wrap="nowrap" px="xs" pb={6}>
        <Group gap="xs" wrap="nowrap">
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={props.onTogglePlay}
            data-testid="play-toggle"
            aria-label={playback.paused ? 'Play' : 'Pause'}
          >
            {playback.paused ? '▶' : '❚❚'}
          </ActionIcon>
          <Text fz="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {clockLabel(playback.currentTime)} / {clockLabel(playback.duration)}
          </Text>
        </Group>
        <Group gap={4} wrap="nowrap">
          <ChapterMenu
            chapters={props.chapters}
            currentTime={playback.currentTime}
            onSeek={props.onSeek}
          />
          {props.captions && <CaptionsMenu {...props.captions} />}
          <QualityMenu
            levels={quality.levels}
            selected={quality.selected}
            playing={quality.playing}
            onSelect={quality.select}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={props.onFullscreen}
            aria-label="Full screen"
          >
            <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
              <path
                d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.6"
              />
            </svg>
          </ActionIcon>
        </Group>
      </Group>
    </div>
  );
}
