import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathFor, routes } from '../../src-main/server/contract';
import { fixturePath } from '../support/fixtures';
import { writeTinyWhisperModel } from '../support/whisper-model';
import {
  errorBody,
  signIn,
  startTestStudio,
  type SignedInClient,
  type TestStudio,
} from './server-harness';

let studio: TestStudio;
let client: SignedInClient;
const previousModel = process.env['VLOG_WHISPER_MODEL'];

beforeAll(async () => {
  studio = await startTestStudio();
  const model = path.join(studio.dataDir, 'ggml-tiny-test.bin');
  await writeTinyWhisperModel(model);
  process.env['VLOG_WHISPER_MODEL'] = model;
  client = await signIn(studio.servers.studioUrl);
});

afterAll(async () => {
  if (previousModel === undefined) delete process.env['VLOG_WHISPER_MODEL'];
  else process.env['VLOG_WHISPER_MODEL'] = previousModel;
  await studio?.stop();
});

async function video(status: string) {
  const { db, paths } = studio.ctx;
  const row = await db
    .insertInto('videos')
    .values({ title: 'Friday', slug: `friday-${status}`, status, duration: 6 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await copyFile(fixturePath('friday.mp4'), path.join(paths.uploads, `${row.id}.mp4`));
  await mkdir(path.join(paths.videos, `friday-${status}`), { recursive: true });
  return row.id;
}

function transcribe(id: number | string) {
  return fetch(studio.servers.studioUrl + pathFor(routes.studio.transcribe, { id }), {
    method: 'POST',
    headers: client.mutating(),
  });
}

async function transcriptStatus(id: number): Promise<string> {
  const response = await fetch(
    studio.servers.studioUrl + pathFor(routes.studio.transcript, { id }),
    { headers: { cookie: client.cookie } },
  );
  return ((await response.json()) as { status: string }).status;
}

describe('POST /api/videos/:id/transcribe', () => {
  it('queues a ready video and the studio transcribes it to completed captions', async () => {
    const id = await video('ready');
    const first = await transcribe(id);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ video_id: id, status: 'pending' });

    const again = await transcribe(id);
    expect(again.status).toBe(409);
    expect((await errorBody(again)).error).toBe('CONFLICT');

    const deadline = Date.now() + 60_000;
    let status = await transcriptStatus(id);
    while (['pending', 'processing'].includes(status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = await transcriptStatus(id);
    }
    expect(status).toBe('completed');
  });

  it('refuses a video that is not ready, and an unknown video', async () => {
    const pending = await transcribe(await video('processing'));
    expect(pending.status).toBe(409);
    expect((await errorBody(pending)).error).toBe('INVALID_STATE');

    const unknown = await transcribe(999_999);
    expect(unknown.status).toBe(404);
    expect((await errorBody(unknown)).error).toBe('VIDEO_NOT_FOUND');
  });
});
