import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database';

const requirePackage = createRequire(import.meta.url);

/** Electron's executable when its binary was downloaded; undefined on machines that cannot. */
function electronBinary(): string | undefined {
  const packageDir = path.dirname(requirePackage.resolve('electron/package.json'));
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
const built = existsSync('out/main/index.js') && existsSync('out/preload/index.mjs');
const display = Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
const reason = !binary
  ? "Electron's binary is not installed here"
  : !built
    ? 'the app is not built (run npx electron-vite build)'
    : !display
      ? 'no display to open a window on'
      : undefined;

if (reason) console.info(`Electron shell test skipped: ${reason}.`);

describe('the desktop app', () => {
  it.skipIf(reason !== undefined)('starts the studio core and quits cleanly', async () => {
    const database = await createTestDatabase('jobs_electron');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-electron-'));
    const adminPort = 19_000 + Math.floor(Math.random() * 500);
    const child = spawn(binary!, ['.', '--no-sandbox'], {
      env: {
        ...process.env,
        VLOG_DATA_DIR: dataDir,
        VLOG_DATABASE_URL: database.url,
        VLOG_PUBLIC_HOST: '127.0.0.1',
        VLOG_PUBLIC_PORT: '0',
        VLOG_ADMIN_PORT: String(adminPort),
        VLOG_ADMIN_PASSWORD: 'electron-test-password',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const deadline = Date.now() + 60_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && child.exitCode === null) {
        healthy = await fetch(`http://127.0.0.1:${adminPort}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (!healthy) await new Promise((r) => setTimeout(r, 250));
      }
      expect(healthy, output).toBe(true);
      expect(output).toContain(`Studio (this machine only): http://127.0.0.1:${adminPort}`);

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
