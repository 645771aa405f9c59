#!/usr/bin/env node
// `npm start`: builds the studio, then opens the desktop app, or runs the same studio headless
// (as `npm run serve` does) where Electron's binary is not installed. Electron 45 fetches its
// binary on first launch, which fails on a machine without internet access, so that case is
// found here first and said plainly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The Electron executable, or undefined when its binary was never downloaded. */
function electronBinary() {
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist');
  const binary = path.join(distDir, relative);
  return existsSync(binary) ? binary : undefined;
}

function build() {
  const result = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('The build failed (see above); nothing was started.');
    process.exit(result.status ?? 1);
  }
}

/** Runs the app in a child and passes it one stop signal; exits with the child's code. */
function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit' });
  let forwarded = false;
  const forward = (signal) => {
    if (forwarded) return;
    forwarded = true;
    child.kill(signal);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const binary = electronBinary();
if (!binary) {
  console.log("Electron's binary is not installed here; serving the studio headless instead");
  build();
  run(process.execPath, ['out/main/serve.js']);
} else {
  build();
  run(binary, ['.']);
}
