import type {
  JobProgressEvent,
  RenditionProgress,
  VideoProgress,
  VideoStatusEvent,
  VideoSummary,
} from '../../../src-main/server/contract';
import { clampPercent, compareQualityDescending } from '../../shared/format';

/** What a card shows while its video is being processed. */
export interface LiveProgress {
  step: string | null;
  percent: number;
  renditions: RenditionProgress[];
}

/** The library as the studio knows it: videos newest first and live job progress by video. */
export interface VideoState {
  order: number[];
  byId: Record<number, VideoSummary>;
  progress: Record<number, LiveProgress>;
}

export const emptyVideoState: VideoState = { order: [], byId: {}, progress: {} };

/** Replaces the list with a fresh page from the server, keeping progress of busy videos. */
export function withVideos(state: VideoState, videos: VideoSummary[]): VideoState {
  const byId: Record<number, VideoSummary> = {};
  for (const video of videos) byId[video.id] = video;
  const progress: Record<number, LiveProgress> = {};
  for (const video of videos) {
    const live = state.progress[video.id];
    if (live && isBusy(video.status)) progress[video.id] = live;
  }
  return { order: videos.map((video) => video.id), byId, progress };
}

/** Adds or refreshes one video; a new one goes first, as the list is newest first. */
export function withVideo(state: VideoState, video: VideoSummary): VideoState {
  const known = video.id in state.byId;
  const order = known ? state.order : [video.id, ...state.order];
  const progress = isBusy(video.status) ? state.progress : without(state.progress, video.id);
  return { order, byId: { ...state.byId, [video.id]: video }, progress };
}

/** Merges a job.progress event: renditions update by quality, the rest keep their last value. */
export function withJobProgress(state: VideoState, event: JobProgressEvent): VideoState {
  const previous = state.progress[event.videoId];
  const renditions = mergeRenditions(previous?.renditions ?? [], event.renditions);
  const live = { step: event.step, percent: clampPercent(event.percent), renditions };
  const video = state.byId[event.videoId];
  // Progress proves the job runs, even if the status event was missed.
  const byId =
    video && video.status === 'pending'
      ? { ...state.byId, [video.id]: { ...video, status: 'processing' as const } }
      : state.byId;
  return { ...state, byId, progress: { ...state.progress, [event.videoId]: live } };
}

/** Applies a video.status event; a finished or failed video drops its live progress. */
export function withVideoStatus(state: VideoState, event: VideoStatusEvent): VideoState {
  const video = state.byId[event.videoId];
  const progress = isBusy(event.status) ? state.progress : without(state.progress, event.videoId);
  if (!video) return { ...state, progress };
  const updated = { ...video, status: event.status, error_message: event.errorMessage };
  return { ...state, byId: { ...state.byId, [video.id]: updated }, progress };
}

/** Seeds live progress from the progress endpoint, for a job that started before the page. */
export function withProgressSnapshot(state: VideoState, snapshot: VideoProgress): VideoState {
  if (!isBusy(snapshot.status)) return state;
  const live: LiveProgress = {
    step: snapshot.current_step,
    percent: clampPercent(snapshot.progress_percent),
    renditions: mergeRenditions([], snapshot.renditions),
  };
  return { ...state, progress: { ...state.progress, [snapshot.video_id]: live } };
}

/** The videos in display order. */
export function listVideos(state: VideoState): VideoSummary[] {
  return state.order.flatMap((id) => state.byId[id] ?? []);
}

function mergeRenditions(
  previous: RenditionProgress[],
  incoming: RenditionProgress[],
): RenditionProgress[] {
  const byQuality = new Map(previous.map((rendition) => [rendition.quality, rendition]));
  for (const rendition of incoming) {
    byQuality.set(rendition.quality, {
      ...rendition,
      progress_percent: clampPercent(rendition.progress_percent),
    });
  }
  return [...byQuality.values()].sort((a, b) => compareQualityDescending(a.quality, b.quality));
}

function isBusy(status: VideoSummary['status']): boolean {
  return status === 'pending' || status === 'processing';
}

function without<T>(record: Record<number, T>, id: number): Record<number, T> {
  if (!(id in record)) return record;
  const copy = { ...record };
  delete copy[id];
  return copy;
}
