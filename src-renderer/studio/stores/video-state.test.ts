import { describe, expect, it } from 'vitest';
import type { VideoSummary } from '../../../src-main/server/contract';
import {
  emptyVideoState,
  listVideos,
  withJobProgress,
  withProgressSnapshot,
  withVideo,
  withVideoStatus,
  withVideos,
} from './video-state';

function video(id: number, status: VideoSummary['status']): VideoSummary {
  return {
    id,
    slug: `video-${id}`,
    title: `Video ${id}`,
    description: '',
    status,
    error_message: null,
    duration: 0,
    source_width: 0,
    source_height: 0,
    thumbnail_url: null,
    created_at: '2025-01-01T00:00:00Z',
    published_at: null,
    streaming_format: 'hls_ts',
    primary_codec: 'h264',
    category_id: null,
    is_featured: false,
    qualities: [],
  };
}

const progressEvent = (videoId: number, percent: number, renditions: [string, number][]) => ({
  videoId,
  jobId: 1,
  step: 'transcode',
  percent,
  renditions: renditions.map(([quality, value]) => ({
    quality,
    status: value >= 100 ? ('completed' as const) : ('in_progress' as const),
    progress_percent: value,
  })),
});

describe('video state', () => {
  const loaded = withVideos(emptyVideoState, [video(2, 'processing'), video(1, 'ready')]);

  it('keeps the server order and puts a new video first', () => {
    expect(listVideos(loaded).map((v) => v.id)).toEqual([2, 1]);
    const added = withVideo(loaded, video(3, 'pending'));
    expect(listVideos(added).map((v) => v.id)).toEqual([3, 2, 1]);
    expect(listVideos(withVideo(added, video(2, 'ready'))).map((v) => v.id)).toEqual([3, 2, 1]);
  });

  it('merges renditions by quality, keeping those the event does not mention', () => {
    let state = withJobProgress(
      loaded,
      progressEvent(2, 10, [
        ['360p', 20],
        ['540p', 5],
      ]),
    );
    state = withJobProgress(state, progressEvent(2, 40, [['540p', 60]]));
    expect(state.progress[2]).toEqual({
      step: 'transcode',
      percent: 40,
      renditions: [
        { quality: '540p', status: 'in_progress', progress_percent: 60 },
        { quality: '360p', status: 'in_progress', progress_percent: 20 },
      ],
    });
  });

  it('clamps percentages coming from the server', () => {
    const state = withJobProgress(loaded, progressEvent(2, 130.4, [['360p', -5]]));
    expect(state.progress[2]?.percent).toBe(100);
    expect(state.progress[2]?.renditions[0]?.progress_percent).toBe(0);
  });

  it('marks a pending video as processing once progress arrives', () => {
    const pending = withVideos(emptyVideoState, [video(5, 'pending')]);
    const state = withJobProgress(pending, progressEvent(5, 3, []));
    expect(state.byId[5]?.status).toBe('processing');
  });

  it('does not touch other videos or the input state', () => {
    const state = withJobProgress(loaded, progressEvent(2, 50, [['360p', 50]]));
    expect(state.byId[1]).toBe(loaded.byId[1]);
    expect(loaded.progress).toEqual({});
  });

  it('drops live progress when a video becomes ready or fails, with its message', () => {
    const busy = withJobProgress(loaded, progressEvent(2, 50, [['360p', 50]]));
    const failed = withVideoStatus(busy, {
      videoId: 2,
      status: 'failed',
      errorMessage: 'The source has no video stream.',
    });
    expect(failed.progress[2]).toBeUndefined();
    expect(failed.byId[2]).toMatchObject({
      status: 'failed',
      error_message: 'The source has no video stream.',
    });
  });

  it('records progress for a video the list does not know yet', () => {
    const state = withJobProgress(emptyVideoState, progressEvent(9, 12, [['360p', 12]]));
    expect(state.progress[9]?.percent).toBe(12);
    expect(listVideos(state)).toEqual([]);
  });

  it('keeps live progress across a reload only for busy videos', () => {
    const busy = withJobProgress(loaded, progressEvent(2, 50, [['360p', 50]]));
    expect(withVideos(busy, [video(2, 'processing')]).progress[2]?.percent).toBe(50);
    expect(withVideos(busy, [video(2, 'ready')]).progress[2]).toBeUndefined();
  });

  it('seeds progress from a snapshot of a running job only', () => {
    const snapshot = {
      video_id: 2,
      status: 'processing' as const,
      current_step: 'transcode',
      progress_percent: 30,
      attempt_number: 1,
      max_attempts: 3,
      last_error: null,
      renditions: [{ quality: '360p', status: 'completed' as const, progress_percent: 100 }],
    };
    expect(withProgressSnapshot(loaded, snapshot).progress[2]?.renditions).toHaveLength(1);
    expect(withProgressSnapshot(loaded, { ...snapshot, status: 'ready' })).toBe(loaded);
  });
});
