import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLibrary } from '../db/connection';
import { loadConfig, type StudioConfig } from './config';
import type { StudioContext } from './context';
import { StudioEventBus } from './events/bus';
import { loadLocalWorkerId, startLocalWorker, type LocalWorker } from './jobs/local-worker';
import { dataPaths, type DataPaths } from './library/paths';
import { createLogger, setLogLevel } from './log';
import { selectEncoder, type EncoderSelection } from './media/hardware';
import { killAllFfmpeg, reapOrphanedFfmpeg } from './media/runner';
import { locateMediaTools, type MediaTools } from './media/tools';
import { startServers } from './server/index';

const log = createLogger('main');

export interface StartStudioOptions {
  env?: NodeJS.ProcessEnv;
  /** True inside Electron's main process; the core runs the same either way. */
  electron?: boolean;
  /** The built renderer (out/renderer); found beside the built main code by default. */
  rendererDir?: string;
  /** Leaves out the address block on stdout (tests). */
  quiet?: boolean;
}

/** Where the studio can be reached, as printed at start. */
export interface StudioAddresses {
  studioUrl: string;
  publicUrl: string;
  /** The address a viewer on the LAN types (the machine's LAN address when bound to all). */
  viewerUrl: string;
  setupUrl: string | undefined;
}

export interface RunningStudio {
  ctx: StudioContext;
  addresses: StudioAddresses;
  worker: LocalWorker;
  /** Stops the worker (and ffmpeg), the listeners and the database, in that order. */
  stop(): Promise<void>;
}

type Library = Awaited<ReturnType<typeof openLibrary>>;
type Servers = Awaited<ReturnType<typeof startServers>>;

/** Runs `close` steps in reverse order of setup, each even if an earlier one failed. */
class ShutdownList {
  private readonly steps: Array<{ name: string; run: () => Promise<unknown> }> = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  async runAll(): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step.run();
      } catch (error) {
        log.error({ err: error, step: step.name }, 'shutdown step failed');
      }
    }
    this.steps.length = 0;
  }
}

function setupConfig(env: NodeJS.ProcessEnv): StudioConfig {
  const config = loadConfig(env);
  setLogLevel(config.logLevel);
  return config;
}

async function setupDataFolders(config: StudioConfig): Promise<DataPaths> {
  const paths = dataPaths(config.dataDir);
  for (const folder of [paths.root, paths.uploads, paths.videos, paths.archive, paths.work]) {
    await mkdir(folder, { recursive: true });
  }
  log.info({ dataDir: paths.root }, 'data folder ready');
  return paths;
}

async function setupLibrary(config: StudioConfig): Promise<Library> {
  const library = await openLibrary(config);
  log.info({ embedded: config.databaseUrl === undefined }, 'library database ready');
  return library;
}

async function setupMediaTools(config: StudioConfig): Promise<MediaTools> {
  const media = await locateMediaTools({
    ffmpegPath: config.ffmpegPath,
    ffprobePath: config.ffprobePath,
  });
  const wanted = ['libx264', 'libx265', 'libsvtav1', 'libaom-av1', 'aac', 'libopus'];
  log.info(
    {
      ffmpeg: media.ffmpegPath,
      version: media.ffmpegVersion,
      origin: media.origin,
      encoders: wanted.filter((name) => media.encoders.has(name)),
    },
    'media tools found',
  );
  return media;
}

/** Chooses the H.264 encoder once, so the studio can say whether a GPU will be used. */
async function setupVideoEncoder(media: MediaTools): Promise<EncoderSelection> {
  const selection = await selectEncoder(media, 'h264', { log: createLogger('media.hardware') });
  log.info(
    { encoder: selection.encoder, family: selection.family, reason: selection.reason },
    'video encoder chosen',
  );
  return selection;
}

/** The folder where ffmpeg children record their pids, so the next start can reap orphans. */
export function ffmpegPidDir(paths: DataPaths): string {
  return path.join(paths.root, 'run', 'ffmpeg');
}

async function setupOrphanReaper(paths: DataPaths): Promise<string> {
  const pidDir = ffmpegPidDir(paths);
  await mkdir(pidDir, { recursive: true });
  const killed = reapOrphanedFfmpeg(pidDir, log);
  if (killed > 0) log.warn({ killed }, 'ffmpeg processes of the last run stopped');
  return pidDir;
}

async function setupLocalWorker(ctx: StudioContext, pidDir: string): Promise<LocalWorker> {
  const workerId = await loadLocalWorkerId(ctx.paths.root);
  return startLocalWorker(ctx, { log: createLogger('jobs.worker'), workerId, pidDir });
}

async function setupServers(
  ctx: StudioContext,
  worker: LocalWorker,
  rendererDir: string,
): Promise<Servers> {
  return startServers(ctx, {
    wakeWorker: () => worker.wake(),
    rendererDir,
    log: createLogger('server'),
  });
}

/** out/renderer beside the built main code, which the bundler may put one folder deeper. */
function defaultRendererDir(): string {
  const candidates = ['../renderer', '../../renderer'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(path.join(dir, 'studio'))) ?? candidates[0]!;
}

/** The first LAN address of this machine, for a listener bound to every interface. */
function lanAddress(): string | undefined {
  for (const addresses of Object.values(os.networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return undefined;
}

function viewerAddress(config: StudioConfig, publicUrl: string): string {
  if (config.publicHost !== '0.0.0.0' && config.publicHost !== '::') return publicUrl;
  const url = new URL(publicUrl);
  url.hostname = lanAddress() ?? '127.0.0.1';
  return url.origin;
}

/** The one block a person reads at start: where the studio and the viewer site are. */
export function formatAddressBlock(addresses: StudioAddresses): string {
  const lines = [
    '',
    'VLog Studio is running',
    `  Studio (this machine only): ${addresses.studioUrl}`,
    `  Viewer site (your network): ${addresses.viewerUrl}`,
  ];
  if (addresses.setupUrl) {
    lines.push(`  First start: choose the studio password at ${addresses.setupUrl}`);
  }
  return `${lines.join('\n')}\n\n`;
}

/**
 * Starts the studio core: configuration, data folders, the library database, the media
 * tools, the local worker and both listeners, in that order. On a failure part way, what
 * was started is stopped again before the error is thrown.
 */
export async function startStudio(options: StartStudioOptions = {}): Promise<RunningStudio> {
  const shutdown = new ShutdownList();
  try {
    const config = setupConfig(options.env ?? process.env);
    const paths = await setupDataFolders(config);
    const library = await setupLibrary(config);
    shutdown.add('database', () => library.close());
    const media = await setupMediaTools(config);
    const videoEncoder = await setupVideoEncoder(media);
    const pidDir = await setupOrphanReaper(paths);
    shutdown.add('ffmpeg', () => killAllFfmpeg());
    const bus = new StudioEventBus();
    const ctx: StudioContext = { config, db: library.db, paths, bus, media, videoEncoder };
    const worker = await setupLocalWorker(ctx, pidDir);
    shutdown.add('worker', () => worker.stop());
    const rendererDir = options.rendererDir ?? defaultRendererDir();
    const servers = await setupServers(ctx, worker, rendererDir);
    shutdown.add('servers', () => servers.close());

    const addresses: StudioAddresses = {
      studioUrl: servers.studioUrl,
      publicUrl: servers.publicUrl,
      viewerUrl: viewerAddress(config, servers.publicUrl),
      setupUrl: servers.setupUrl,
    };
    log.info({ ...addresses, electron: options.electron ?? false }, 'studio started');
    if (!options.quiet) process.stdout.write(formatAddressBlock(addresses));
    return { ctx, addresses, worker, stop: () => shutdown.runAll() };
  } catch (error) {
    await shutdown.runAll();
    throw error;
  }
}
