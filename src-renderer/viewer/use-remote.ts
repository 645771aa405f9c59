import { useEffect, useState } from 'react';
import { messageOf } from '../shared/errors';

export type Remote<T> =
  | { state: 'loading' }
  | { state: 'failed'; error: string; code: string | null }
  | { state: 'loaded'; data: T };

/** Loads data for a page and reloads when the key changes; stale answers are dropped. */
export function useRemote<T>(key: string, load: () => Promise<T>): Remote<T> {
  const [remote, setRemote] = useState<{ key: string; value: Remote<T> }>({
    key,
    value: { state: 'loading' },
  });

  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setRemote({ key, value: { state: 'loaded', data } }),
      (error: unknown) => {
        const code = (error as { code?: string }).code ?? null;
        if (current) setRemote({ key, value: { state: 'failed', error: messageOf(error), code } });
      },
    );
    return () => {
      current = false;
    };
    // The key names what is loaded; `load` is a new closure on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return remote.key === key ? remote.value : { state: 'loading' };
}
