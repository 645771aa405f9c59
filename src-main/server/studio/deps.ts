import type { AdminAuth } from '../../auth/admin-auth';
import type { StudioContext } from '../../context';
import type { Logger } from '../../log';

/** The addresses the listeners ended up on (known only after they listen). */
export interface ListenerUrls {
  publicUrl: string;
  studioUrl: string;
}

/** What the studio listener's routes are given. */
export interface StudioRouteDeps {
  ctx: StudioContext;
  auth: AdminAuth;
  log: Logger;
  urls: ListenerUrls;
  rendererDir: string;
  /** Tells the local worker a job is waiting, so it need not wait for its next poll. */
  wakeWorker(): void;
  /** How often an idle event stream gets a comment line, so proxies keep it open. */
  sseHeartbeatMs: number;
}
