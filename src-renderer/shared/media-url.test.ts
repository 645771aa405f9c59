import { describe, expect, it } from 'vitest';
import { mediaUrl } from './media-url';

describe('mediaUrl', () => {
  it('resolves a relative media path against the viewer origin', () => {
    expect(mediaUrl('/videos/a/master.m3u8', 'http://192.168.1.5:9000')).toBe(
      'http://192.168.1.5:9000/videos/a/master.m3u8',
    );
  });

  it('replaces an any-interface host with a reachable one', () => {
    expect(mediaUrl('/videos/a/thumbnail.jpg', 'http://0.0.0.0:9000/')).toBe(
      'http://127.0.0.1:9000/videos/a/thumbnail.jpg',
    );
  });

  it('keeps absolute URLs and relative ones when no origin is known', () => {
    expect(mediaUrl('https://cdn.example/x.m3u8', 'http://0.0.0.0:9000')).toBe(
      'https://cdn.example/x.m3u8',
    );
    expect(mediaUrl('/videos/a/master.m3u8', null)).toBe('/videos/a/master.m3u8');
  });
});
