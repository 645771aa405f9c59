import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src-main/config';
import type { StudioContext } from '../../src-main/context';
import { StudioEventBus } from '../../src-main/events/bus';
import { dataPaths } from '../../src-main/library/paths';
import { createLogger } from '../../src-main/log';
import type { MediaTools } from '../../src-main/media/tools';
import { authNames, routes } from '../../src-main/server/contract';
import { startServers, type RunningServers } from '../../src-main/server/index';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** A password long enough for the setup page's rule. */
export const testPassword = 'correct horse battery staple';

/** The media tools a test studio reports; the server only reads them for GET /api/system. */
const mediaForTests: MediaTools = {
  ffmpegPath: '/usr/bin/ffmpeg',
  ffprobePath: '/usr/bin/ffprobe',
  ffmpegVersion: '5.1-test',
  ffprobeVersion: '5.1-test',
  encoders: new Set(['libx264', 'aac', 'libx265']),
  origin: 'system',
};

export interface TestStudio {
  servers: RunningServers;
  ctx: StudioContext;
  database: TestDatabase;
  dataDir: string;
  rendererDir: string;
  wakeCalls: { count: number };
  stop(): Promise<void>;
}

async function writeRenderer(root: string): Promise<void> {
  for (const page of ['studio', 'viewer']) {
    await fs.mkdir(path.join(root, page), { recursive: true });
    const html = `<!doctype html><title>${page}</title><div id="${page}-root"></div>`;
    await fs.writeFile(path.join(root, page, 'index.html'), html);
  }
  await fs.mkdir(path.join(root, 'assets'), { recursive: true });
  await fs.writeFile(path.join(root, 'assets', 'app-1234.js'), 'console.log("app");\n');
}

/** Starts both listeners on free ports over a fresh database and data folder. */
export async function startTestStudio(
  options: { adminPassword?: string } = { adminPassword: testPassword },
): Promise<TestStudio> {
  const database = await createTestDatabase('server');
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vlog-server-'));
  const rendererDir = path.join(dataDir, 'renderer');
  await writeRenderer(rendererDir);
  const paths = dataPaths(path.join(dataDir, 'data'));
  for (const dir of [paths.uploads, paths.videos, paths.archive, paths.work]) {
    await fs.mkdir(dir, { recursive: true });
  }
  const config = loadConfig({
    VLOG_DATA_DIR: paths.root,
    VLOG_PUBLIC_HOST: '127.0.0.1',
    VLOG_PUBLIC_PORT: '0',
    VLOG_ADMIN_HOST: '127.0.0.1',
    VLOG_ADMIN_PORT: '0',
    ...(options.adminPassword && { VLOG_ADMIN_PASSWORD: options.adminPassword }),
  });
  const ctx: StudioContext = {
    config,
    db: database.db,
    paths,
    bus: new StudioEventBus(),
    media: mediaForTests,
  };
  const log = createLogger('test.server');
  log.level = 'error';
  const wakeCalls = { count: 0 };
  const servers = await startServers(ctx, {
    wakeWorker: () => (wakeCalls.count += 1),
    rendererDir,
    log,
    sseHeartbeatMs: 200,
  });
  return {
    servers,
    ctx,
    database,
    dataDir,
    rendererDir,
    wakeCalls,
    async stop() {
      await servers.close();
      await database.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The `name=value` of the session cookie in a Set-Cookie header. */
export function sessionCookieFrom(response: Response): string {
  const header = response.headers.getSetCookie().find((c) => c.startsWith(authNames.sessionCookie));
  if (!header) throw new Error('no session cookie was set');
  return header.split(';')[0] as string;
}

/** A signed-in browser-like client: session cookie and CSRF token. */
export interface SignedInClient {
  cookie: string;
  csrf: string;
  /** Headers for a state-changing JSON request. */
  mutating(extra?: Record<string, string>): Record<string, string>;
}

/** Signs in with the password and fetches the session's CSRF token. */
export async function signIn(studioUrl: string, password = testPassword): Promise<SignedInClient> {
  const login = await fetch(studioUrl + routes.studio.auth.login, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password }),
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status}`);
  const cookie = sessionCookieFrom(login);
  const csrfResponse = await fetch(studioUrl + routes.studio.auth.csrfToken, {
    headers: { cookie },
  });
  const { csrf_token: csrf } = (await csrfResponse.json()) as { csrf_token: string };
  return {
    cookie,
    csrf,
    mutating: (extra = {}) => ({
      cookie,
      'x-csrf-token': csrf,
      'content-type': 'application/json',
      ...extra,
    }),
  };
}

/** Reads an error body and checks it has the one shape every error has. */
export async function errorBody(response: Response): Promise<{ error: string; message: string }> {
  const body = (await response.json()) as { error: unknown; message: unknown };
  if (typeof body.error !== 'string' || typeof body.message !== 'string') {
    throw new Error(`not an error body: ${JSON.stringify(body)}`);
  }
  return { error: body.error, message: body.message };
}
