import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../src-main/main';
import type { SystemInfo } from '../../src-main/server/contract';
import { createTestDatabase, type TestDatabase } from '../support/database';

const password = 'correct horse battery staple';
let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase('system_encoder');
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-encoder-'));
});

afterAll(async () => {
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the video encoder chosen at start', () => {
  it('is reported by GET /api/system: libx264 on this GPU-less machine, with the reason', async () => {
    const studio = await startStudio({
      env: {
        VLOG_DATA_DIR: dataDir,
        VLOG_DATABASE_URL: database.url,
        VLOG_PUBLIC_HOST: '127.0.0.1',
        VLOG_PUBLIC_PORT: '0',
        VLOG_ADMIN_PORT: '0',
        VLOG_ADMIN_PASSWORD: password,
        VLOG_FFMPEG_PATH: process.env['VLOG_FFMPEG_PATH'] ?? '',
        VLOG_FFPROBE_PATH: process.env['VLOG_FFPROBE_PATH'] ?? '',
        VLOG_LOG_LEVEL: 'error',
      },
      quiet: true,
    });
    try {
      const response = await fetch(`${studio.addresses.studioUrl}/api/system`, {
        headers: { 'X-Admin-Secret': password },
      });
      expect(response.status).toBe(200);
      const system = (await response.json()) as SystemInfo;
      expect(system.video_encoder.name).toBe('libx264');
      expect(system.video_encoder.hardware).toBe(false);
      // Either this ffmpeg lists no GPU encoder, or it lists some and none answered a probe.
      expect(system.video_encoder.reason).toMatch(
        /no hardware encoder for h264|no hardware encoder answered \(h264_/,
      );
      expect(studio.ctx.videoEncoder?.family).toBe('cpu');
    } finally {
      await studio.stop();
    }
  }, 60_000);
});
