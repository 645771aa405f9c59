import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRange, resolveInside } from './file-sender';
import { mediaCacheControl } from './media-routes';

describe('resolveInside', () => {
  const root = '/data/videos/clip';

  it('resolves plain relative names inside the root', () => {
    expect(resolveInside(root, 'master.m3u8')).toBe(path.join(root, 'master.m3u8'));
    expect(resolveInside(root, '360p/segment-00001.ts')).toBe(
      path.join(root, '360p', 'segment-00001.ts'),
    );
  });

  it('refuses anything that could leave the root', () => {
    const attempts = ['..', '../x', 'a/../../x', '.hidden', '', 'a//b', 'a\\..\\b', '/etc/passwd'];
    for (const attempt of [...attempts, 'x\0.ts', '%2e%2e/x', 'a/./b']) {
      expect(resolveInside(root, attempt), attempt).toBeUndefined();
    }
  });
});

describe('parseRange', () => {
  it('reads single byte ranges', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ start: 990, end: 999 });
  });

  it('tells unsatisfiable ranges from absent or unsupported ones', () => {
    expect(parseRange(undefined, 1000)).toBeUndefined();
    expect(parseRange('bytes=0-1,5-6', 1000)).toBeUndefined();
    expect(parseRange('items=0-1', 1000)).toBeUndefined();
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-1', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-', 1000)).toBe('unsatisfiable');
  });
});

describe('mediaCacheControl', () => {
  it('caches segments for good, playlists for a day and revalidates posters', () => {
    expect(mediaCacheControl('segment-00000.ts', 'public')).toMatch(/immutable/);
    expect(mediaCacheControl('master.m3u8', 'public')).toBe('public, max-age=86400');
    expect(mediaCacheControl('thumbnail.jpg', 'public')).toBe('public, no-cache');
    expect(mediaCacheControl('segment-00000.ts', 'studio')).toBe('private, no-cache');
  });
});
