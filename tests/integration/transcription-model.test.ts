import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/log';
import { isTranscriptionError } from '../../src-main/transcription/errors';
import {
  downloadModel,
  type KnownModel,
  type ModelDownloadProgress,
} from '../../src-main/transcription/model';
import { buildTinyWhisperModel, tinyWhisperConfig } from '../support/whisper-model';

const log = createLogger('test.transcription-model');
let server: Server;
let baseUrl: string;
let folder: string;
const modelBytes = buildTinyWhisperModel(tinyWhisperConfig);
const sha256 = createHash('sha256').update(modelBytes).digest('hex');

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'vlog-models-'));
  server = createServer((request, response) => {
    if (request.url !== '/ggml-tiny-test.bin') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-length': String(modelBytes.length) });
    response.end(modelBytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (folder) await rm(folder, { recursive: true, force: true });
});

function model(url: string, hex: string): KnownModel {
  return {
    name: 'tiny-test',
    fileName: 'ggml-tiny-test.bin',
    url,
    checksum: { algorithm: 'sha256', hex },
  };
}

describe('fetching a speech model on first use', () => {
  it('streams the model to the models folder with progress and a verified checksum', async () => {
    const target = path.join(folder, 'ok', 'ggml-tiny-test.bin');
    const progress: ModelDownloadProgress[] = [];
    await downloadModel(model(`${baseUrl}/ggml-tiny-test.bin`, sha256), target, {
      log,
      onDownloadProgress: (p) => progress.push(p),
    });

    expect((await readFile(target)).equals(modelBytes)).toBe(true);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ receivedBytes: modelBytes.length, percent: 100 });
    expect(await readdir(path.dirname(target))).toEqual(['ggml-tiny-test.bin']);
  });

  it('discards a download whose checksum does not match', async () => {
    const target = path.join(folder, 'bad', 'ggml-tiny-test.bin');
    const wrong = '0'.repeat(64);
    const run = downloadModel(model(`${baseUrl}/ggml-tiny-test.bin`, wrong), target, { log });

    await expect(run).rejects.toSatisfy(
      (error) =>
        isTranscriptionError(error, 'MODEL_CHECKSUM_MISMATCH') &&
        error.message.includes(sha256) &&
        error.message.includes(wrong),
    );
    expect(await readdir(path.dirname(target))).toEqual([]);
  });

  it('explains how to go on when the model cannot be fetched (offline)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const target = path.join(folder, 'offline', 'ggml-tiny-test.bin');
    const run = downloadModel(model(`http://127.0.0.1:${port}/ggml.bin`, sha256), target, { log });

    await expect(run).rejects.toSatisfy(
      (error) =>
        isTranscriptionError(error, 'MODEL_DOWNLOAD_FAILED') &&
        error.message.includes('VLOG_WHISPER_MODEL'),
    );
    expect(await readdir(path.dirname(target))).toEqual([]);
  });

  it('reports a server error as a failed download', async () => {
    const target = path.join(folder, 'missing', 'ggml-tiny-test.bin');
    const run = downloadModel(model(`${baseUrl}/nothing-here.bin`, sha256), target, { log });

    await expect(run).rejects.toSatisfy(
      (error) => isTranscriptionError(error, 'MODEL_DOWNLOAD_FAILED') && /404/.test(error.message),
    );
  });
});
