import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PublicVideoList, StudioSprites } from '../src-main/server/contract';
import { fixturePath } from '../tests/support/fixtures';
import { uploadVideo, waitUntilReady } from './support/api';
import { launchChromium } from './support/browser';
import { startStudio, type RunningStudio } from './support/studio';

const screenshots = path.resolve('.test-output/screenshots');
const password = 'e2e-thumbnails-password';

let studio: RunningStudio;
let browser: Browser;
let flower: { id: number; slug: string };

async function publicThumbnailUrl(): Promise<string | undefined> {
  const response = await fetch(`${studio.viewerUrl}/api/videos`);
  const { videos } = (await response.json()) as PublicVideoList;
  return videos.find((v) => v.slug === flower.slug)?.thumbnail_url;
}

async function spriteStatus(): Promise<string | null> {
  const response = await fetch(`${studio.studioUrl}/api/videos/${flower.id}/sprites`, {
    headers: { 'X-Admin-Secret': password },
  });
  return ((await response.json()) as StudioSprites).status;
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  studio = await startStudio({ VLOG_ADMIN_PASSWORD: password });
  browser = await launchChromium();
  flower = await uploadVideo(studio.studioUrl, password, fixturePath('flower.mp4'), 'Flower');
  await waitUntilReady(studio.studioUrl, password, flower.id);
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

test('a frame chosen in the studio becomes the poster on the viewer home page', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(studio.studioUrl);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('sign-in').click();
  const card = page.getByTestId('video-card').filter({ hasText: 'Flower' });
  await card.getByTestId('preview-button').click();
  const panel = page.getByTestId('thumbnail-panel');
  await panel.waitFor({ state: 'visible' });
  const before = await publicThumbnailUrl();

  await panel.getByRole('button', { name: 'Suggest frames' }).click();
  const candidates = panel.getByTestId('thumbnail-candidate');
  await expect.poll(() => candidates.count(), { timeout: 60_000 }).toBe(5);
  await page.screenshot({ path: path.join(screenshots, 'studio-thumbnail-candidates.png') });
  await candidates.nth(4).click();
  await expect.poll(publicThumbnailUrl, { timeout: 60_000 }).not.toBe(before);
  const chosen = await publicThumbnailUrl();
  expect(chosen).toMatch(/\/thumbnail\.jpg\?v=\w+$/);
  await expect.poll(() => panel.getByTestId('thumbnail-current').getAttribute('src')).toBe(chosen);

  // Sprite sheets are made after the transcode; the studio can also make them again on demand.
  const sprites = page.getByTestId('sprite-panel');
  const spriteStatus = sprites.getByTestId('sprite-status');
  await expect.poll(() => spriteStatus.textContent(), { timeout: 60_000 }).toBe('completed');
  await sprites.getByRole('button', { name: 'Make again' }).click();
  await expect.poll(() => spriteStatus.textContent(), { timeout: 60_000 }).toBe('completed');
  await expect(sprites.getByText(/\d+ sheet\(s\), a frame every [\d.]+ s/).count()).resolves.toBe(
    1,
  );

  const viewer = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await viewer.goto(studio.viewerUrl);
  const poster = viewer.getByTestId('video-tile').filter({ hasText: 'Flower' }).locator('img');
  await expect.poll(() => poster.getAttribute('src'), { timeout: 20_000 }).toBe(chosen);
  await expect
    .poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(640);
  await viewer.screenshot({ path: path.join(screenshots, 'viewer-home-chosen-poster.png') });
});

test('hovering the viewer seek bar shows a frame from the sprite sheet', async () => {
  // Sheets are made by the local worker after the transcode.
  await expect.poll(spriteStatus, { timeout: 120_000, interval: 500 }).toBe('ready');
  const viewer = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await viewer.goto(`${studio.viewerUrl}/watch/${flower.slug}`);
  const bar = viewer.getByTestId('seek-bar');
  await bar.waitFor({ state: 'visible', timeout: 30_000 });
  const box = await bar.boundingBox();
  if (!box) throw new Error('the seek bar has no box');
  await viewer.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  const image = viewer.getByTestId('seek-preview-image');
  await image.waitFor({ state: 'visible', timeout: 20_000 });
  const style = await image.evaluate((el: HTMLElement) => ({
    background: el.style.backgroundImage,
    width: el.getBoundingClientRect().width,
  }));
  expect(style.background).toContain(`/videos/${flower.slug}/sprites/sprite-001.jpg`);
  expect(style.width).toBe(160);
  await viewer.screenshot({ path: path.join(screenshots, 'viewer-seek-preview.png') });
});
