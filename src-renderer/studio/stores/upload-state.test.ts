import { describe, expect, it } from 'vitest';
import {
  uploadPercent,
  withUploadDone,
  withUploadFailed,
  withUploadProgress,
  withUploadStarted,
} from './upload-state';

describe('upload state', () => {
  const started = withUploadStarted([], 'a', { name: 'flower.mp4', size: 1000 });

  it('starts at zero and reports the share of bytes sent', () => {
    expect(started[0]).toMatchObject({ name: 'flower.mp4', loaded: 0, state: 'uploading' });
    const halfway = withUploadProgress(started, 'a', 500);
    expect(uploadPercent(halfway[0]!)).toBe(50);
  });

  it('never moves backwards nor past the file size', () => {
    let items = withUploadProgress(started, 'a', 700);
    items = withUploadProgress(items, 'a', 300);
    expect(items[0]?.loaded).toBe(700);
    items = withUploadProgress(items, 'a', 5000);
    expect(items[0]?.loaded).toBe(1000);
  });

  it('records the created video or the error of one upload only', () => {
    const two = withUploadStarted(started, 'b', { name: 'broken.mp4', size: 10 });
    const done = withUploadDone(two, 'a', 42);
    const failed = withUploadFailed(done, 'b', 'That file type is not supported.');
    expect(failed.map((item) => [item.key, item.state])).toEqual([
      ['b', 'failed'],
      ['a', 'done'],
    ]);
    expect(failed[1]).toMatchObject({ videoId: 42, loaded: 1000 });
    expect(failed[0]?.error).toBe('That file type is not supported.');
    expect(uploadPercent(failed[1]!)).toBe(100);
  });

  it('treats a local import of unknown size as 0 % until done', () => {
    const local = withUploadStarted([], 'c', { name: 'clip.mov', size: 0 });
    expect(uploadPercent(local[0]!)).toBe(0);
    expect(uploadPercent(withUploadDone(local, 'c', 1)[0]!)).toBe(100);
  });
});
