import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../src-main/server/contract';
import { fixturePath } from '../support/fixtures';
import {
  errorBody,
  signIn,
  startTestStudio,
  type SignedInClient,
  type TestStudio,
} from './server-harness';

const r = routes.studio;

describe('streaming format and codec at upload and in the settings', () => {
  let studio: TestStudio;
  let url: string;
  let client: SignedInClient;

  beforeAll(async () => {
    studio = await startTestStudio();
    url = studio.servers.studioUrl;
    client = await signIn(url);
  });
  afterAll(() => studio.stop());

  async function upload(fields: Record<string, string> = {}) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const blob = await fs.openAsBlob(fixturePath('flower.mp4'), { type: 'video/mp4' });
    form.append('file', blob, 'flower.mp4');
    return fetch(url + r.videos, {
      method: 'POST',
      headers: { cookie: client.cookie, 'x-csrf-token': client.csrf },
      body: form,
    });
  }

  async function stored(id: number) {
    return studio.database.db
      .selectFrom('videos')
      .select(['streaming_format', 'primary_codec'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  const putSettings = (body: unknown) =>
    fetch(url + r.settings, {
      method: 'PUT',
      headers: client.mutating(),
      body: JSON.stringify(body),
    });

  it('stores the format and codec chosen in the upload form', async () => {
    const response = await upload({ streaming_format: 'cmaf', primary_codec: 'av1' });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: number };
    expect(await stored(id)).toEqual({ streaming_format: 'cmaf', primary_codec: 'av1' });
  });

  it('refuses HEVC or AV1 in MPEG-TS and unknown values with a 400, keeping no file', async () => {
    const before = fs.readdirSync(studio.ctx.paths.uploads).length;
    const ts = await upload({ streaming_format: 'hls_ts', primary_codec: 'hevc' });
    expect(ts.status).toBe(400);
    expect((await errorBody(ts)).message).toContain('choose streaming_format "cmaf"');
    const unknown = await upload({ primary_codec: 'vp9' });
    expect(unknown.status).toBe(400);
    expect((await errorBody(unknown)).error).toBe('VALIDATION_FAILED');
    expect(fs.readdirSync(studio.ctx.paths.uploads).length).toBe(before);
  });

  it('uses the settings defaults, making HEVC/AV1 CMAF even when the default is hls_ts', async () => {
    const initial = await fetch(url + r.settings, { headers: { cookie: client.cookie } });
    expect(await initial.json()).toEqual({
      settings: { 'streaming.default_format': 'hls_ts', 'streaming.default_codec': 'h264' },
    });
    const plain = (await (await upload()).json()) as { id: number };
    expect(await stored(plain.id)).toEqual({ streaming_format: 'hls_ts', primary_codec: 'h264' });

    const changed = await putSettings({ 'streaming.default_codec': 'hevc' });
    expect(changed.status).toBe(200);
    const hevc = (await (await upload()).json()) as { id: number };
    expect(await stored(hevc.id)).toEqual({ streaming_format: 'cmaf', primary_codec: 'hevc' });

    await putSettings({ 'streaming.default_format': 'cmaf', 'streaming.default_codec': 'h264' });
    const cmaf = (await (await upload()).json()) as { id: number };
    expect(await stored(cmaf.id)).toEqual({ streaming_format: 'cmaf', primary_codec: 'h264' });

    const bad = await putSettings({ 'streaming.default_codec': 'mpeg2' });
    expect(bad.status).toBe(400);
  });
});
