import { useRef, useState } from 'react';
import type { Chapter } from '../../../src-main/server/contract-editing';
import { clockLabel } from '../../shared/player/timeline';

interface ChapterTimelineProps {
  chapters: Chapter[];
  duration: number;
  playhead: number;
  selectedId: number | null;
  onSelect(id: number): void;
  /** A chapter's start was dragged to a new time (sent once, when the drag ends). */
  onMoveStart(id: number, start: number): void;
  onSeek(time: number): void;
}

/** The chapters on a timeline under the preview: click to seek, drag a mark to move a start. */
export function ChapterTimeline(props: ChapterTimelineProps) {
  const barRef = useRef<HTMLDivElement | null>(null);
  const [drag, setDrag] = useState<{ id: number; start: number } | null>(null);
  const length = props.duration > 0 ? props.duration : 1;

  const timeAt = (clientX: number) => {
    const rect = barRef.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return 0;
    const ratio = Math.min(Math.max((clientX - rect.left) / rect.width, 0), 1);
    return Math.round(ratio * length * 10) / 10;
  };
  const pct = (t: number) => `${Math.min(100, (t / length) * 100)}%`;

  return (
    <div
      ref={barRef}
      className="chapter-timeline"
      data-testid="chapter-timeline"
      onPointerDown={(e) => props.onSeek(timeAt(e.clientX))}
      onPointerMove={(e) => drag && setDrag({ id: drag.id, start: timeAt(e.clientX) })}
      onPointerUp={() => {
        if (drag) props.onMoveStart(drag.id, drag.start);
        setDrag(null);
      }}
    >
      <div className="chapter-timeline-playhead" style={{ left: pct(props.playhead) }} />
      {props.chapters.map((chapter) => {
        const start = drag?.id === chapter.id ? drag.start : chapter.start_time;
        return (
          <div
            key={chapter.id}
            className="chapter-timeline-mark"
            data-testid="chapter-timeline-mark"
            data-selected={chapter.id === props.selectedId || undefined}
            style={{ left: pct(start) }}
            title={`${chapter.title} · ${clockLabel(start)}`}
            onPointerDown={(e) => {
              e.stopPropagation();
              e.currentTarget.parentElement?.setPointerCapture?.(e.pointerId);
              props.onSelect(chapter.id);
              setDrag({ id: chapter.id, start: chapter.start_time });
            }}
          >
            <span className="chapter-timeline-label">{chapter.title}</span>
          </div>
        );
      })}
    </div>
  );
}
