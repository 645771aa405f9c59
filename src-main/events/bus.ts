import { EventEmitter } from 'node:events';

/** Progress of one rendition inside a transcoding job. */
export interface RenditionProgress {
  quality: string;
  status: 'pending' | 'in_progress' | 'completed' | 'failed' | 'skipped';
  progress_percent: number;
}

/** Everything the studio UI hears about over server-sent events. */
export interface StudioEvents {
  'job.progress': {
    videoId: number;
    jobId: number;
    step: string | null;
    percent: number;
    renditions: RenditionProgress[];
  };
  'video.status': {
    videoId: number;
    status: 'pending' | 'processing' | 'ready' | 'failed';
    errorMessage: string | null;
  };
  'worker.status': { workerId: string; status: string };
  'transcription.progress': {
    videoId: number;
    /** 'processing' while running; the row's final status once phase is 'finished'. */
    status: string;
    phase: 'extracting' | 'model_download' | 'transcribing' | 'finished';
    percent: number;
    /** Set while the speech model is being fetched on first use. */
    modelDownload: {
      model: string;
      receivedBytes: number;
      totalBytes: number | null;
      percent: number | null;
    } | null;
    errorMessage?: string | null;
  };
}

export type StudioEventName = keyof StudioEvents;

/** A typed in-process event bus: the job code emits, the SSE route listens. */
export class StudioEventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit<K extends StudioEventName>(name: K, payload: StudioEvents[K]): void {
    this.emitter.emit(name, payload);
  }

  on<K extends StudioEventName>(name: K, listener: (payload: StudioEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
