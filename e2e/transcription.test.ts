import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixturePath } from '../tests/support/fixtures';
import { writeTinyWhisperModel } from '../tests/support/whisper-model';
import { uploadVideo, waitUntilReady } from './support/api';
import { launchChromium } from './support/browser';
import { startStudio, type RunningStudio } from './support/studio';

const password = 'e2e-transcription-password';

let studio: RunningStudio;
let browser: Browser;
let modelDir: string;
let friday: { id: number; slug: string };

beforeAll(async () => {
  modelDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-e2e-model-'));
  const model = path.join(modelDir, 'ggml-tiny-test.bin');
  await writeTinyWhisperModel(model);
  studio = await startStudio({ VLOG_ADMIN_PASSWORD: password, VLOG_WHISPER_MODEL: model });
  browser = await launchChromium();
  friday = await uploadVideo(studio.studioUrl, password, fixturePath('friday.mp4'), 'Friday');
  await waitUntilReady(studio.studioUrl, password, friday.id);
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
  if (modelDir) await rm(modelDir, { recursive: true, force: true });
});

test('the Transcribe button turns friday.mp4 speech into captions in the studio', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(studio.studioUrl);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('sign-in').click();
  const card = page.getByTestId('video-card').filter({ hasText: 'Friday' });
  await card.getByTestId('preview-button').click();

  await page.getByTestId('transcribe-button').click();
  const message = page.getByTestId('transcribe-message');
  await message.waitFor({ state: 'visible', timeout: 90_000 });
  expect(await message.textContent()).toBe('Captions made from speech.');
  await expect
    .poll(async () => page.getByTestId('caption-status').textContent(), { timeout: 10_000 })
    .toBe('completed');
  await page.close();
});
