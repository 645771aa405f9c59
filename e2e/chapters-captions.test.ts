import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixturePath } from '../tests/support/fixtures';
import { uploadVideo, waitUntilReady } from './support/api';
import { launchChromium } from './support/browser';
import { startStudio, type RunningStudio } from './support/studio';

const screenshots = path.resolve('.test-output/screenshots');
const password = 'e2e-chapters-password';

let studio: RunningStudio;
let browser: Browser;
let garden: { id: number; slug: string };
let friday: { id: number; slug: string };
let tempDir: string;

/** A 4 s, 192x108 clip: small enough to transcode in a few seconds. */
async function smallClip(): Promise<string> {
  const output = path.join(tempDir, 'garden.mp4');
  const ffmpeg = process.env['VLOG_FFMPEG_PATH'] ?? '/usr/bin/ffmpeg';
  await promisify(execFile)(ffmpeg, [
    ...['-hide_banner', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=192x108:rate=15:d=4'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', output],
  ]);
  return output;
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  studio = await startStudio({ VLOG_ADMIN_PASSWORD: password });
  browser = await launchChromium();
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-e2e-chapters-'));
  garden = await uploadVideo(studio.studioUrl, password, await smallClip(), 'Garden');
  friday = await uploadVideo(studio.studioUrl, password, fixturePath('friday.mp4'), 'Friday');
  await waitUntilReady(studio.studioUrl, password, garden.id);
  await waitUntilReady(studio.studioUrl, password, friday.id);
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

async function openPreview(title: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(studio.studioUrl);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('sign-in').click();
  const card = page.getByTestId('video-card').filter({ hasText: title });
  await card.getByTestId('preview-button').click();
  await page.getByTestId('preview-player').waitFor({ state: 'visible' });
  return page;
}

/** Waits until the preview has loaded its media, then pauses it so the playhead stays put. */
async function pausePreviewWhenLoaded(page: Page): Promise<void> {
  const player = page.getByTestId('preview-player');
  await expect
    .poll(() => player.evaluate((el: HTMLVideoElement) => el.readyState), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(1);
  await player.evaluate((el: HTMLVideoElement) => el.pause());
}

async function seekPreview(page: Page, time: number): Promise<void> {
  await page.getByTestId('preview-player').evaluate(
    (el: HTMLVideoElement, t: number) =>
      new Promise<void>((resolve) => {
        el.addEventListener('seeked', () => resolve(), { once: true });
        el.currentTime = t;
      }),
    time,
  );
}

test('three chapters added on the studio timeline show on the viewer player', async () => {
  const page = await openPreview('Garden');
  await pausePreviewWhenLoaded(page);
  const rows = page.getByTestId('chapter-row');

  await seekPreview(page, 0); // the preview autoplays: go back to the start
  await page.getByTestId('chapter-add').click();
  await expect.poll(() => rows.count()).toBe(1);
  await seekPreview(page, 1.5);
  await expect.poll(() => page.getByTestId('chapter-add').textContent()).toContain('0:01');
  await page.getByTestId('chapter-add').click();
  await expect.poll(() => rows.count()).toBe(2);
  await seekPreview(page, 3.2);
  await page.keyboard.press('c'); // the editor's shortcut: add at the playhead
  await expect.poll(() => rows.count()).toBe(3);
  await expect.poll(() => page.getByTestId('chapter-timeline-mark').count()).toBe(3);

  const title = rows.nth(1).getByTestId('chapter-title');
  await title.fill('The bee arrives');
  await title.press('Enter');
  await page.screenshot({ path: path.join(screenshots, 'studio-chapter-editor.png') });

  await expect
    .poll(async () => {
      const list = await fetch(`${studio.studioUrl}/api/videos/${garden.id}/chapters`, {
        headers: { 'X-Admin-Secret': password },
      }).then((r) => r.json());
      return list.chapters.map((c: { title: string; start_time: number }) => [
        c.title,
        c.start_time,
      ]);
    })
    .toEqual([
      ['Chapter 1', 0],
      ['The bee arrives', 1.5],
      ['Chapter 3', 3.2],
    ]);

  const viewer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await viewer.goto(`${studio.viewerUrl}/watch/${garden.slug}`);
  const markers = viewer.getByTestId('chapter-marker');
  await expect.poll(() => markers.count(), { timeout: 15_000 }).toBe(3);
  const starts = await markers.evaluateAll((els) => els.map((e) => e.getAttribute('data-start')));
  expect(starts).toEqual(['0', '1.5', '3.2']);

  await viewer.getByTestId('chapter-menu').click();
  const items = viewer.getByTestId('chapter-menu-item');
  await expect.poll(() => items.count()).toBe(3);
  const texts = await items.allTextContents();
  expect(texts[0]).toMatch(/^0:00Chapter 1/);
  expect(texts[1]).toMatch(/^0:01The bee arrives/);
  expect(texts[2]).toMatch(/^0:03Chapter 3/);
  await items.nth(2).click();
  const player = viewer.getByTestId('video-player');
  await expect
    .poll(() => player.evaluate((el: HTMLVideoElement) => el.currentTime))
    .toBeCloseTo(3.2, 1);

  await items.first().waitFor({ state: 'hidden' }); // the menu closes over the seek bar
  const bar = viewer.getByTestId('seek-bar');
  const box = (await bar.boundingBox())!;
  await viewer.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await viewer.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 4 });
  const preview = viewer.getByTestId('seek-preview');
  await preview.waitFor({ state: 'visible' });
  expect(await preview.textContent()).toContain('The bee arrives');
  await viewer.screenshot({ path: path.join(screenshots, 'viewer-chapters.png') });
});

test('friday.vtt uploaded as captions in the studio is offered on the watch page', async () => {
  const page = await openPreview('Friday');
  const editor = page.getByTestId('caption-editor');
  await editor.locator('input[type=file]').setInputFiles(fixturePath('friday.vtt'));
  await expect.poll(() => editor.getByTestId('caption-cue').count()).toBe(5);
  expect(await editor.getByTestId('caption-status').textContent()).toBe('completed');

  const viewer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await viewer.goto(`${studio.viewerUrl}/watch/${friday.slug}`);
  await viewer.getByTestId('captions-menu').click();
  await viewer.locator('[data-testid=captions-option][data-language=en]').click();
  const player = viewer.getByTestId('video-player');
  const track = () =>
    player.evaluate((el: HTMLVideoElement) => {
      const found = Array.from(el.textTracks).find((t) => t.kind === 'subtitles');
      return found
        ? { mode: found.mode, cues: found.cues?.length ?? 0, first: found.cues?.[0] }
        : null;
    });
  await expect.poll(async () => (await track())?.cues, { timeout: 15_000 }).toBe(5);
  expect((await track())?.mode).toBe('showing');
  const firstText = await player.evaluate(
    (el: HTMLVideoElement) => (el.textTracks[0]?.cues?.[0] as VTTCue | undefined)?.text,
  );
  expect(firstText).toBe('Hildy!');
  await viewer.screenshot({ path: path.join(screenshots, 'viewer-captions.png') });
});
