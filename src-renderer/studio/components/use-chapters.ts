import { useCallback, useEffect, useState } from 'react';
import type { Chapter } from '../../../src-main/server/contract-editing';
import { ApiError } from '../../shared/http';
import { editingClient } from '../editing-client';

/** A video's chapters as the editor holds them, with the last message from the API. */
export function useChapters(videoId: number) {
  const [chapters, setChapters] = useState<Chapter[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = useCallback(async () => {
    const list = await editingClient.listChapters(videoId);
    setChapters(list.chapters);
  }, [videoId]);

  useEffect(() => {
    let cancelled = false;
    editingClient.listChapters(videoId).then(
      (list) => !cancelled && setChapters(list.chapters),
      (e: unknown) => !cancelled && setError(messageOf(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [videoId]);

  /** Runs a change; the list is fetched again after it, and a refusal is shown as it came. */
  const run = useCallback(
    async (change: () => Promise<unknown>, done?: string) => {
      setError(null);
      setNotice(null);
      try {
        await change();
        if (done) setNotice(done);
      } catch (e) {
        setError(messageOf(e));
      }
      await reload().catch(() => undefined);
    },
    [reload],
  );
  return { chapters, setChapters, error, notice, run };
}

function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
