import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPortFree, pickFreePort } from './ports';
import { isAlive, isPostmasterOf, readPostmasterLock, stopPostmaster } from './postmaster';

describe('postmaster lock files and processes', () => {
  let clusterDir: string;

  beforeAll(async () => {
    clusterDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vlog-postmaster-'));
  });
  afterAll(async () => {
    await fs.rm(clusterDir, { recursive: true, force: true });
  });

  it('reads pid, data folder and port from postmaster.pid', async () => {
    const lines = ['4242', clusterDir, '1733241600', '54321', '', '127.0.0.1', '  1  2', 'ready'];
    await fs.writeFile(path.join(clusterDir, 'postmaster.pid'), `${lines.join('\n')}\n`);
    expect(await readPostmasterLock(clusterDir)).toEqual({
      pid: 4242,
      dataDir: clusterDir,
      port: 54321,
    });
  });

  it('treats a missing or garbled postmaster.pid as no lock', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'vlog-postmaster-none-'));
    expect(await readPostmasterLock(empty)).toBeUndefined();
    await fs.writeFile(path.join(empty, 'postmaster.pid'), 'not a pid\n');
    expect(await readPostmasterLock(empty)).toBeUndefined();
    await fs.rm(empty, { recursive: true });
  });

  it('tells a live process from an exited one, and a non-postgres process from ours', async () => {
    const sleeper = spawn('sleep', ['30']);
    const pid = sleeper.pid ?? 0;
    expect(await isAlive(pid)).toBe(true);
    expect(await isPostmasterOf(pid, clusterDir)).toBe(false);

    expect(await stopPostmaster(pid, 2_000)).toBe('fast');
    expect(await isAlive(pid)).toBe(false);
    expect(await stopPostmaster(pid)).toBe('not-running');
  });
});

describe('ports', () => {
  it('sees a port in use on 127.0.0.1 and finds a free one', async () => {
    const port = await pickFreePort();
    expect(await isPortFree(port)).toBe(true);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ port, host: '127.0.0.1' }, resolve));
    try {
      expect(await isPortFree(port)).toBe(false);
    } finally {
      server.close();
    }
  });
});
