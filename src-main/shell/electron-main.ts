import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, shell, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { DESKTOP_CHANNELS } from '../../src-preload/contract';
import { createLogger } from '../log';
import { startStudio, type RunningStudio } from '../main';
import { describeStartupError } from '../startup-errors';

const log = createLogger('shell');

/** Extensions offered in the open dialog; the probe decides what a file really holds. */
const VIDEO_EXTENSIONS = ['mp4', 'mov', 'm4v', 'mkv', 'webm', 'avi', 'mpg', 'mpeg', 'ts', 'mts'];

const revealInput = z
  .string()
  .min(1)
  .refine((value) => path.isAbsolute(value), 'must be an absolute path');

/** Only the studio page loaded in our own window may use the desktop API. */
function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow, studioUrl: string) {
  if (event.sender !== window.webContents) return false;
  const frameUrl = event.senderFrame?.url;
  if (!frameUrl) return false;
  return new URL(frameUrl).origin === new URL(studioUrl).origin;
}

function setupIpc(window: BrowserWindow, studioUrl: string): void {
  const guard = (event: IpcMainInvokeEvent, channel: string) => {
    if (isTrustedSender(event, window, studioUrl)) return;
    log.warn(
      { channel, url: event.senderFrame?.url },
      'desktop call from an unknown sender refused',
    );
    throw new Error('This page may not use the desktop API.');
  };

  ipcMain.handle(DESKTOP_CHANNELS.pickVideoFiles, async (event) => {
    guard(event, DESKTOP_CHANNELS.pickVideoFiles);
    const result = await dialog.showOpenDialog(window, {
      title: 'Add videos to the library',
      properties: ['openFile', 'multiSelections'],
      filters: [{ name: 'Videos', extensions: VIDEO_EXTENSIONS }],
    });
    return result.canceled ? [] : result.filePaths;
  });

  ipcMain.handle(DESKTOP_CHANNELS.revealInFolder, async (event, input: unknown) => {
    guard(event, DESKTOP_CHANNELS.revealInFolder);
    const target = revealInput.parse(input);
    await stat(target);
    shell.showItemInFolder(target);
  });
}

function createStudioWindow(studioUrl: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'VLog Studio',
    webPreferences: {
      preload: fileURLToPath(new URL('../preload/index.mjs', import.meta.url)),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: false,
    },
  });
  // Links to other origins (the viewer site, help pages) open in the person's browser.
  window.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== new URL(studioUrl).origin) event.preventDefault();
  });
  void window.loadURL(studioUrl);
  return window;
}

/** The desktop app: starts the studio core, then opens its window on the studio address. */
async function runDesktop(): Promise<void> {
  await app.whenReady();
  let studio: RunningStudio;
  try {
    studio = await startStudio({
      env: process.env,
      electron: true,
      rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
    });
  } catch (error) {
    const message = describeStartupError(error, process.env);
    process.stderr.write(`${message}\n`);
    dialog.showErrorBox('VLog Studio could not start', message);
    app.exit(1);
    return;
  }

  const studioUrl = studio.addresses.setupUrl ?? studio.addresses.studioUrl;
  const window = createStudioWindow(studioUrl);
  setupIpc(window, studio.addresses.studioUrl);

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    stopped = true;
    studio.stop().finally(() => app.exit(0));
  });
  app.on('window-all-closed', () => app.quit());
  process.on('SIGINT', () => app.quit());
  process.on('SIGTERM', () => app.quit());
}

void runDesktop();
