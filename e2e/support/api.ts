import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/** Uploads a file through the admin API as a script would, with X-Admin-Secret. */
export async function uploadVideo(
  studioUrl: string,
  secret: string,
  file: string,
  title?: string,
): Promise<{ id: number; slug: string; status: string }> {
  const form = new FormData();
  if (title) form.append('title', title);
  form.append('file', await openAsBlob(file), path.basename(file));
  const response = await fetch(`${studioUrl}/api/videos`, {
    method: 'POST',
    headers: { 'X-Admin-Secret': secret },
    body: form,
  });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body;
}

/** Waits until the video is ready, failing early with its error message if it fails. */
export async function waitUntilReady(
  studioUrl: string,
  secret: string,
  id: number,
  timeoutMs = 300_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${studioUrl}/api/videos/${id}`, {
      headers: { 'X-Admin-Secret': secret },
    });
    const video = await response.json();
    if (video.status === 'ready') return;
    if (video.status === 'failed') throw new Error(`video ${id} failed: ${video.error_message}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`video ${id} not ready after ${timeoutMs} ms`);
}

/** Lists the variant URIs of a master playlist. */
export function variantUris(master: string): string[] {
  const lines = master.split('\n').map((l) => l.trim());
  return lines.filter(
    (line, i) => line && !line.startsWith('#') && lines[i - 1]?.startsWith('#EXT-X-STREAM-INF'),
  );
}

/** Checks what a viewer gets for one video: master, every variant ends, first segment served. */
export async function expectPlayableHls(viewerUrl: string, slug: string): Promise<number> {
  const base = `${viewerUrl}/videos/${slug}/`;
  const masterResponse = await fetch(`${base}master.m3u8`);
  expect(masterResponse.status).toBe(200);
  expect(masterResponse.headers.get('content-type')).toMatch(/mpegurl/i);
  const master = await masterResponse.text();
  expect(master).toMatch(/BANDWIDTH=\d+/);
  expect(master).toMatch(/RESOLUTION=\d+x\d+/);
  expect(master).toMatch(/CODECS="/);
  const variants = variantUris(master);
  expect(variants.length).toBeGreaterThanOrEqual(2);
  for (const variant of variants) {
    const playlistUrl = new URL(variant, base);
    const playlist = await fetch(playlistUrl).then((r) => r.text());
    expect(playlist.trim().endsWith('#EXT-X-ENDLIST'), `${variant} ends with ENDLIST`).toBe(true);
    const firstSegment = playlist.split('\n').find((l) => l.trim() && !l.startsWith('#'));
    expect(firstSegment, `${variant} lists segments`).toBeTruthy();
    const segment = await fetch(new URL(firstSegment!.trim(), playlistUrl));
    expect(segment.status).toBe(200);
    expect((await segment.arrayBuffer()).byteLength).toBeGreaterThan(0);
  }
  return variants.length;
}
