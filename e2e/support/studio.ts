import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A studio started from the built output, as `npm run serve` would, with a data folder of its own. */
export interface RunningStudio {
  studioUrl: string;
  viewerUrl: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`studio exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`studio did not become healthy at ${url} within ${timeoutMs} ms`);
}

/** Starts `node out/main/serve.js` with a fresh data folder and free ports. */
export async function startStudio(
  env: Record<string, string | undefined> = {},
): Promise<RunningStudio> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-e2e-'));
  const [publicPort, adminPort] = [await freePort(), await freePort()];
  let output = '';
  const child = spawn(process.execPath, ['out/main/serve.js'], {
    env: {
      ...process.env,
      VLOG_DATA_DIR: dataDir,
      VLOG_PUBLIC_HOST: '127.0.0.1',
      VLOG_PUBLIC_PORT: String(publicPort),
      VLOG_ADMIN_PORT: String(adminPort),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const studioUrl = `http://127.0.0.1:${adminPort}`;
  const viewerUrl = `http://127.0.0.1:${publicPort}`;
  try {
    await waitForHealth(studioUrl, child, 120_000);
    await waitForHealth(viewerUrl, child, 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- studio output ---\n${output}`);
  }
  return {
    studioUrl,
    viewerUrl,
    dataDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
