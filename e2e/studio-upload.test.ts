import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from './support/browser';
import { startStudio, type RunningStudio } from './support/studio';
import { fixturePath } from '../tests/support/fixtures';

const flower = fixturePath('flower.mp4');
const screenshots = path.resolve('.test-output/screenshots');
const password = 'e2e-studio-password';

let studio: RunningStudio;
let browser: Browser;

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  studio = await startStudio({ VLOG_ADMIN_PASSWORD: password });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

test('a creator signs in, drops flower.mp4, and a viewer plays it over HLS', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(studio.studioUrl);

  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('sign-in').click();
  const dropzone = page.getByTestId('library-dropzone');
  await dropzone.waitFor({ state: 'visible' });

  const bytes = (await readFile(flower)).toString('base64');
  const dataTransfer = await page.evaluateHandle((base64) => {
    const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([raw], 'flower.mp4', { type: 'video/mp4' }));
    return transfer;
  }, bytes);
  await dropzone.dispatchEvent('dragenter', { dataTransfer });
  await dropzone.dispatchEvent('dragover', { dataTransfer });
  await dropzone.dispatchEvent('drop', { dataTransfer });

  const card = page.getByTestId('video-card').first();
  await card.waitFor({ state: 'visible', timeout: 30_000 });
  await expect
    .poll(async () => card.getAttribute('data-status'), { timeout: 240_000, interval: 500 })
    .toBe('ready');
  await page.screenshot({ path: path.join(screenshots, 'studio-library.png') });

  const listing = await fetch(`${studio.viewerUrl}/api/videos`).then((r) => r.json());
  const video = listing.videos.find((v: { title: string }) => /flower/i.test(v.title));
  expect(video, 'the ready video is in the public API').toBeTruthy();

  const viewer = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await viewer.goto(`${studio.viewerUrl}/watch/${video.slug}`);
  const player = viewer.getByTestId('video-player');
  await player.waitFor({ state: 'visible' });
  await player.evaluate((el: HTMLVideoElement) => {
    el.muted = true;
    return el.play();
  });
  await expect
    .poll(async () => player.evaluate((el: HTMLVideoElement) => el.currentTime), {
      timeout: 60_000,
      interval: 250,
    })
    .toBeGreaterThan(2);
  const decoded = await player.evaluate((el: HTMLVideoElement) => ({
    width: el.videoWidth,
    frames: el.getVideoPlaybackQuality().totalVideoFrames,
  }));
  expect(decoded.width).toBeGreaterThan(0);
  expect(decoded.frames).toBeGreaterThan(10);
  await viewer.screenshot({ path: path.join(screenshots, 'viewer-watch.png') });
});
