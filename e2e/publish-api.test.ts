import { afterEach, expect, test } from 'vitest';
import { fixturePath } from '../tests/support/fixtures';
import { expectPlayableHls, uploadVideo, waitUntilReady } from './support/api';
import { startStudio, type RunningStudio } from './support/studio';
import { externalDatabaseUrl } from './support/external-database';

const secret = 'e2e-admin-secret';
const clips = ['flower.mp4', 'friday.mp4', 'bug_video_640.mp4'];
let studio: RunningStudio | undefined;

afterEach(async () => {
  await studio?.stop();
  studio = undefined;
});

async function publishAllClips(running: RunningStudio): Promise<void> {
  const uploaded = [];
  for (const clip of clips) {
    uploaded.push(await uploadVideo(running.studioUrl, secret, fixturePath(clip)));
  }
  for (const video of uploaded) await waitUntilReady(running.studioUrl, secret, video.id);

  const listing = await fetch(`${running.viewerUrl}/api/videos`).then((r) => r.json());
  const slugs = listing.videos.map((v: { slug: string }) => v.slug);
  for (const video of uploaded) {
    expect(slugs).toContain(video.slug);
    await expectPlayableHls(running.viewerUrl, video.slug);
  }
}

test('with the bundled ffmpeg and the embedded PostgreSQL, three real clips publish', async () => {
  studio = await startStudio({
    VLOG_ADMIN_PASSWORD: secret,
    VLOG_FFMPEG_PATH: undefined,
    VLOG_FFPROBE_PATH: undefined,
  });
  await publishAllClips(studio);
});

test('with VLOG_DATABASE_URL, the studio uses that server and starts none', async () => {
  const external = await externalDatabaseUrl();
  try {
    studio = await startStudio({ VLOG_ADMIN_PASSWORD: secret, VLOG_DATABASE_URL: external.url });
    await publishAllClips(studio);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(studio.dataDir)).not.toContain('postgres');
  } finally {
    await studio?.stop();
    studio = undefined;
    await external.release();
  }
});
