import type { FastifyInstance } from 'fastify';
import { AdminAuth } from '../auth/admin-auth';
import type { StudioContext } from '../context';
import type { Logger } from '../log';
import { pathFor, routes } from './contract';
import { buildPublicApp } from './public-app';
import { buildStudioApp } from './studio-app';
import type { ListenerUrls } from './studio/deps';

export interface StartServersOptions {
  /** Called after a video is added, so the local worker claims it at once. */
  wakeWorker(): void;
  /** The built renderer: studio/index.html, viewer/index.html and assets/. */
  rendererDir: string;
  log: Logger;
  /** Heartbeat interval of the event stream; 15 s unless a test wants it shorter. */
  sseHeartbeatMs?: number;
}

export interface RunningServers {
  publicUrl: string;
  studioUrl: string;
  /** Present while no password is set: the one-time link to choose it. */
  setupUrl?: string;
  /** The sign-in rules, exposed for the shell and tests. */
  auth: AdminAuth;
  close(): Promise<void>;
}

const sessionSweepMs = 60 * 60_000;

/** A URL a browser can open for a listener (0.0.0.0 and :: mean every interface). */
function urlFor(app: FastifyInstance, host: string): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const shown = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `http://${shown}:${port}`;
}

function setupUrlFor(studioUrl: string, token: string): string {
  return `${studioUrl}${routes.studio.pages.setup}?token=${encodeURIComponent(token)}`;
}

/**
 * Starts the two listeners: public (viewer site, public API, media) on publicHost:publicPort
 * and studio (admin API and UI) on adminHost:adminPort. Port 0 picks a free port.
 */
export async function startServers(
  ctx: StudioContext,
  options: StartServersOptions,
): Promise<RunningServers> {
  const { config } = ctx;
  const log = options.log;
  const auth = await AdminAuth.prepare(ctx.db, { passwordFromEnv: config.adminPassword, log });
  const urls: ListenerUrls = { publicUrl: '', studioUrl: '' };

  const publicApp = await buildPublicApp(ctx, { rendererDir: options.rendererDir, log });
  const studioApp = await buildStudioApp({
    ctx,
    auth,
    log,
    urls,
    rendererDir: options.rendererDir,
    wakeWorker: options.wakeWorker,
    sseHeartbeatMs: options.sseHeartbeatMs ?? 15_000,
  });

  try {
    await publicApp.listen({ host: config.publicHost, port: config.publicPort });
    await studioApp.listen({ host: config.adminHost, port: config.adminPort });
  } catch (error) {
    await Promise.allSettled([publicApp.close(), studioApp.close()]);
    throw error;
  }
  const sessionSweep = setInterval(() => {
    auth.removeExpiredSessions().catch((error: unknown) => {
      log.warn({ err: error }, 'could not remove expired studio sessions');
    });
  }, sessionSweepMs);
  sessionSweep.unref();
  urls.publicUrl = urlFor(publicApp, config.publicHost);
  urls.studioUrl = urlFor(studioApp, config.adminHost);
  log.info({ publicUrl: urls.publicUrl, studioUrl: urls.studioUrl }, 'listeners ready');

  return {
    ...urls,
    ...(auth.setupToken && { setupUrl: setupUrlFor(urls.studioUrl, auth.setupToken) }),
    auth,
    async close() {
      clearInterval(sessionSweep);
      await Promise.all([publicApp.close(), studioApp.close()]);
    },
  };
}

export { pathFor, routes };
