import { describe, expect, it } from 'vitest';
import { matchPath } from './router';

describe('matchPath', () => {
  it('extracts and decodes parameters', () => {
    expect(matchPath('/watch/:slug', '/watch/my-first-video')).toEqual({ slug: 'my-first-video' });
    expect(matchPath('/watch/:slug', '/watch/caf%C3%A9')).toEqual({ slug: 'café' });
  });

  it('ignores a trailing slash and rejects other shapes', () => {
    expect(matchPath('/watch/:slug', '/watch/a/')).toEqual({ slug: 'a' });
    expect(matchPath('/watch/:slug', '/watch')).toBeNull();
    expect(matchPath('/watch/:slug', '/watch/a/b')).toBeNull();
    expect(matchPath('/category/:slug', '/watch/a')).toBeNull();
    expect(matchPath('/', '/')).toEqual({});
  });
});
