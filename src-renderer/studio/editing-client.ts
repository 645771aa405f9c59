import { routes } from '../../src-main/server/contract';
import type {
  Chapter,
  ChapterAutoDetectResult,
  ChapterCreateRequest,
  ChapterList,
  ChapterUpdateRequest,
  CaptionCueJson,
  Transcript,
  TranscriptUploadResult,
} from '../../src-main/server/contract-editing';
import { apiErrorFromBody, fillPath, networkError } from '../shared/http';
import { adminClient } from './client';

const r = routes.studio;

/** The studio's calls for the chapter and caption editors. */
export const editingClient = {
  listChapters: (id: number) =>
    adminClient.request<ChapterList>('GET', fillPath(r.chapters, { id })),
  addChapter: (id: number, body: ChapterCreateRequest) =>
    adminClient.request<Chapter>('POST', fillPath(r.chapters, { id }), body),
  updateChapter: (id: number, chapterId: number, changes: ChapterUpdateRequest) =>
    adminClient.request<Chapter>(
      'PUT',
      fillPath(r.chapter, { id, chapter_id: chapterId }),
      changes,
    ),
  deleteChapter: (id: number, chapterId: number) =>
    adminClient.request<ChapterList>('DELETE', fillPath(r.chapter, { id, chapter_id: chapterId })),
  reorderChapters: (id: number, chapterIds: number[]) =>
    adminClient.request<ChapterList>('POST', fillPath(r.chaptersReorder, { id }), {
      chapter_ids: chapterIds,
    }),
  detectChapters: (id: number, replace: boolean) =>
    adminClient.request<ChapterAutoDetectResult>('POST', fillPath(r.chaptersAutoDetect, { id }), {
      replace,
    }),
  getTranscript: (id: number) =>
    adminClient.request<Transcript>('GET', fillPath(r.transcript, { id })),
  saveTranscript: (id: number, cues: CaptionCueJson[]) =>
    adminClient.request<Transcript>('PUT', fillPath(r.transcript, { id }), { cues }),
  deleteTranscript: (id: number) =>
    adminClient.request<Transcript>('DELETE', fillPath(r.transcript, { id })),
  /** Sends a .vtt or .srt file; the server reads its encoding and stores UTF-8 WebVTT. */
  async uploadCaptions(id: number, file: File): Promise<TranscriptUploadResult> {
    const path = fillPath(r.transcriptUpload, { id });
    const form = new FormData();
    form.append('file', file, file.name);
    let response: Response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers: { 'x-csrf-token': await adminClient.csrfToken() },
        body: form,
      });
    } catch (error) {
      throw networkError(path, error);
    }
    const text = await response.text();
    if (!response.ok) throw apiErrorFromBody(response.status, text, path);
    return JSON.parse(text) as TranscriptUploadResult;
  },
};
