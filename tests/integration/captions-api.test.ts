import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../support/fixtures';
import { startTestStudio, testPassword, type TestStudio } from './server-harness';
import { addReadyVideo, studioApi } from './chapters-support';

type Cue = { start: number; end: number; text: string };
type TranscriptJson = {
  status: string;
  word_count: number | null;
  transcript_text: string | null;
  vtt_url: string | null;
  cues: Cue[];
  detected_encoding?: string;
  source_format?: string;
};

const srtText = [
  '1',
  '00:00:00,500 --> 00:00:02,000',
  'Café crème, s’il vous plaît.',
  '',
  '2',
  '00:00:02,000 --> 00:00:04,250',
  'Das kostet 5 € – für Jürgen.',
  '<i>Naïve</i> «quotes»',
  '',
].join('\r\n');

/** Encodes text in Windows-1252; every character used here exists in it. */
function windows1252(text: string): Buffer {
  const special: Record<string, number> = { '€': 0x80, '’': 0x92, '–': 0x96 };
  return Buffer.from(
    [...text].map((ch) => {
      const code = special[ch] ?? ch.charCodeAt(0);
      if (code > 0xff) throw new Error(`not in Windows-1252: ${ch}`);
      return code;
    }),
  );
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]);
}

describe('captions API', () => {
  let studio: TestStudio;
  let api: ReturnType<typeof studioApi>;

  beforeAll(async () => {
    studio = await startTestStudio();
    api = studioApi(studio);
  });
  afterAll(() => studio.stop());

  async function upload(videoId: number, name: string, bytes: Uint8Array) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const response = await fetch(
      `${studio.servers.studioUrl}/api/videos/${videoId}/transcript/upload`,
      { method: 'POST', headers: { 'x-admin-secret': testPassword }, body: form },
    );
    return { status: response.status, body: (await response.json()) as TranscriptJson };
  }

  const storedFile = (slug: string) =>
    fs.readFile(path.join(studio.ctx.paths.videos, slug, 'captions.vtt'));

  async function transcriptionRow(videoId: number) {
    return studio.database.db
      .selectFrom('transcriptions')
      .selectAll()
      .where('video_id', '=', videoId)
      .executeTakeFirst();
  }

  it('takes friday.vtt as the captions and offers them to viewers', async () => {
    const id = await addReadyVideo(studio, { slug: 'friday', duration: 6.1 });
    const bytes = await fs.readFile(fixturePath('friday.vtt'));
    const uploaded = await upload(id, 'friday.vtt', bytes);
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    expect(uploaded.body.source_format).toBe('vtt');
    expect(uploaded.body.detected_encoding).toBe('utf-8');
    expect(uploaded.body.cues).toHaveLength(5);
    expect(uploaded.body.cues[0]).toEqual({
      start: 0,
      end: 0.999,
      text: 'Hildy!',
      settings: 'line:80%',
    });

    const row = await transcriptionRow(id);
    expect(row).toMatchObject({
      status: 'completed',
      vtt_path: 'videos/friday/captions.vtt',
      transcript_text: expect.stringMatching(/^Hildy! How are you\? Tell me/),
    });
    expect(row?.word_count).toBe(26);

    const viewer = studio.servers.publicUrl;
    const detail = await fetch(`${viewer}/api/videos/friday`).then((r) => r.json());
    expect(detail.captions).toEqual({ url: '/videos/friday/captions.vtt', language: 'en' });
    const served = await fetch(viewer + detail.captions.url);
    expect(served.headers.get('content-type')).toMatch(/^text\/vtt/);
    const text = await served.text();
    expect(text.startsWith('WEBVTT')).toBe(true);
    expect(text).toContain('00:00:04.300 --> 00:00:06.000 line:80%\nSomebody must');
  });

  const cases: [string, string, (text: string) => Uint8Array][] = [
    [
      'utf-16le',
      'with a BOM',
      (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
    ],
    ['utf-16le', 'without a BOM', (t) => Buffer.from(t, 'utf16le')],
    ['utf-16be', 'with a BOM', utf16be],
    ['windows-1252', 'as Windows saves it', windows1252],
    [
      'utf-8',
      'with a BOM',
      (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]),
    ],
  ];
  it.each(cases)(
    'reads an SRT file in %s %s and stores it as UTF-8 WebVTT',
    async (enc, how, encode) => {
      const slug = `srt-${enc}-${how.replace(/\W+/g, '-')}`;
      const id = await addReadyVideo(studio, { slug, duration: 10 });
      const uploaded = await upload(id, 'subtitles.SRT', encode(srtText));
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
      expect(uploaded.body.detected_encoding).toBe(enc);
      expect(uploaded.body.source_format).toBe('srt');
      expect(uploaded.body.cues.map((c) => c.text)).toEqual([
        'Café crème, s’il vous plaît.',
        'Das kostet 5 € – für Jürgen.\n<i>Naïve</i> «quotes»',
      ]);
      const stored = await storedFile(slug);
      expect(stored[0]).toBe(0x57); // "W" of WEBVTT: no BOM, no UTF-16
      const text = new TextDecoder('utf-8', { fatal: true }).decode(stored);
      expect(text).toContain('00:00:02.000 --> 00:00:04.250\nDas kostet 5 € – für Jürgen.');
      expect(uploaded.body.transcript_text).toBe(
        'Café crème, s’il vous plaît. Das kostet 5 € – für Jürgen. Naïve «quotes»',
      );
    },
  );

  it('refuses files that are not captions with a clear 400 or 415', async () => {
    const id = await addReadyVideo(studio, { slug: 'bad-files', duration: 10 });
    const notCaptions = await upload(id, 'notes.srt', Buffer.from('just some notes\nno times'));
    expect(notCaptions.status).toBe(400);
    expect((notCaptions.body as unknown as { message: string }).message).toMatch(/neither/);

    const badTiming = await upload(
      id,
      'bad.vtt',
      Buffer.from('WEBVTT\n\n00:00:01.000 --> soon\nHi\n'),
    );
    expect(badTiming.status).toBe(400);
    expect((badTiming.body as unknown as { message: string }).message).toMatch(/Line 3/);

    const backwards = await upload(
      id,
      'backwards.vtt',
      Buffer.from('WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nHi\n'),
    );
    expect(backwards.status).toBe(400);
    expect((backwards.body as unknown as { message: string }).message).toMatch(/Cue 1 ends/);

    const empty = await upload(id, 'empty.vtt', Buffer.alloc(0));
    expect(empty.status).toBe(400);

    const wrongType = await upload(id, 'movie.mp4', Buffer.from('WEBVTT\n'));
    expect(wrongType.status).toBe(415);
    expect(await transcriptionRow(id)).toBeUndefined();
  });

  it('saves edited cues, then deletes the captions', async () => {
    const id = await addReadyVideo(studio, { slug: 'edited', duration: 20 });
    const none = await api('GET', `/api/videos/${id}/transcript`);
    expect(none.body).toMatchObject({ status: 'none', cues: [], vtt_url: null });

    const cues = [
      { start: 5, end: 7.5, text: 'Second line' },
      { start: 1, end: 3, text: 'First line\n\nwith a gap --> and an arrow' },
    ];
    const saved = await api('PUT', `/api/videos/${id}/transcript`, cues);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const body = saved.body as unknown as TranscriptJson;
    expect(body.status).toBe('completed');
    expect(body.vtt_url).toBe('/videos/edited/captions.vtt');
    expect(body.cues).toEqual([
      { start: 1, end: 3, text: 'First line\nwith a gap → and an arrow' },
      { start: 5, end: 7.5, text: 'Second line' },
    ]);
    expect(body.word_count).toBe(10);

    const reread = await api('GET', `/api/videos/${id}/transcript`);
    expect((reread.body as unknown as TranscriptJson).cues).toHaveLength(2);

    const invalid = await api('PUT', `/api/videos/${id}/transcript`, {
      cues: [{ start: 4, end: 2, text: 'backwards' }],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/Cue 1 ends/);
    const negative = await api('PUT', `/api/videos/${id}/transcript`, [
      { start: -1, end: 2, text: 'x' },
    ]);
    expect(negative.status).toBe(400);
    expect((await transcriptionRow(id))?.word_count).toBe(10);

    const deleted = await api('DELETE', `/api/videos/${id}/transcript`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ status: 'none', cues: [] });
    expect(await transcriptionRow(id)).toBeUndefined();
    await expect(storedFile('edited')).rejects.toThrow(/ENOENT/);
    const detail = await fetch(`${studio.servers.publicUrl}/api/videos/edited`).then((r) =>
      r.json(),
    );
    expect(detail.captions).toBeNull();
  });
});
