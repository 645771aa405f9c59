import { useRef, useState } from 'react';
import { Box, Text } from '@mantine/core';
import type { PlayerChapter, PreviewFrame } from '../../shared/player/timeline';
import { chapterAt, clockLabel, frameAt } from '../../shared/player/timeline';

interface SeekBarProps {
  currentTime: number;
  duration: number;
  chapters: PlayerChapter[];
  frames: PreviewFrame[];
  onSeek(time: number): void;
}

/** The timeline: progress, a mark where each chapter starts, and a preview while pointing. */
export function SeekBar({ currentTime, duration, chapters, frames, onSeek }: SeekBarProps) {
  const barRef = useRef<HTMLDivElement | null>(null);
  const [hover, setHover] = useState<{ time: number; x: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const length = duration > 0 ? duration : 1;

  function pointAt(clientX: number) {
    const rect = barRef.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return null;
    const x = Math.min(Math.max(clientX - rect.left, 0), rect.width);
    return { time: (x / rect.width) * length, x, width: rect.width };
  }

  function onPointerMove(event: React.PointerEvent<HTMLDivElement>) {
    const point = pointAt(event.clientX);
    if (!point) return;
    setHover({ time: point.time, x: point.x });
    if (dragging) onSeek(point.time);
  }

  function onPointerDown(event: React.PointerEvent<HTMLDivElement>) {
    const point = pointAt(event.clientX);
    if (!point) return;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    setDragging(true);
    onSeek(point.time);
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>) {
    const step = event.shiftKey ? 10 : 5;
    if (event.key === 'ArrowRight') onSeek(Math.min(length, currentTime + step));
    else if (event.key === 'ArrowLeft') onSeek(Math.max(0, currentTime - step));
    else return;
    event.preventDefault();
  }

  const progress = Math.min(100, (currentTime / length) * 100);
  return (
    <div
      ref={barRef}
      className="seek-bar"
      data-testid="seek-bar"
      role="slider"
      tabIndex={0}
      aria-label="Seek"
      aria-valuemin={0}
      aria-valuemax={Math.round(length)}
      aria-valuenow={Math.round(currentTime)}
      aria-valuetext={clockLabel(currentTime)}
      onPointerMove={onPointerMove}
      onPointerDown={onPointerDown}
      onPointerUp={() => setDragging(false)}
      onPointerLeave={() => !dragging && setHover(null)}
      onKeyDown={onKeyDown}
    >
      <div className="seek-track">
        <div className="seek-progress" style={{ width: `${progress}%` }} />
      </div>
      {chapters.map((chapter) => (
        <span
          key={`${chapter.start}-${chapter.title}`}
          className="chapter-marker"
          data-testid="chapter-marker"
          data-start={chapter.start}
          title={chapter.title}
          style={{ left: `${(chapter.start / length) * 100}%` }}
        />
      ))}
      {hover && (
        <SeekPreview
          time={hover.time}
          x={hover.x}
          chapter={chapterAt(chapters, hover.time)?.title}
          frame={frameAt(frames, hover.time)}
        />
      )}
    </div>
  );
}

function SeekPreview(props: {
  time: number;
  x: number;
  chapter: string | undefined;
  frame: PreviewFrame | undefined;
}) {
  const { frame } = props;
  return (
    <Box className="seek-preview" data-testid="seek-preview" style={{ left: props.x }}>
      {frame && (
        <div
          className="seek-preview-image"
          data-testid="seek-preview-image"
          style={{
            width: frame.w,
            height: frame.h,
            backgroundImage: `url("${frame.url}")`,
            backgroundPosition: `-${frame.x}px -${frame.y}px`,
          }}
        />
      )}
      {props.chapter && (
        <Text fz="xs" fw={600} lineClamp={1} maw={200}>
          {props.chapter}
        </Text>
      )}
      <Text fz="xs" c="dimmed">
        {clockLabel(props.time)}
      </Text>
    </Box>
  );
}
