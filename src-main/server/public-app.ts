import Fastify, { type FastifyInstance } from 'fastify';
import { acceptEmptyJsonBodies, listenerOptions } from './fastify-options';
import type { StudioContext } from '../context';
import type { Logger } from '../log';
import { routes } from './contract';
import { installErrorHandling, notFoundBody, sendError } from './http-errors';
import { registerHealthRoute } from './health';
import { registerChapterTrackRoute } from './chapter-track-route';
import { registerMediaRoutes } from './media-routes';
import { registerPublicApiRoutes } from './public/public-routes';
import { registerAssetRoutes, registerSpaPages } from './spa';

/** The LAN listener: the viewer site, the public API and the files of published videos. */
export async function buildPublicApp(
  ctx: StudioContext,
  options: { rendererDir: string; log: Logger },
): Promise<FastifyInstance> {
  const app = Fastify(listenerOptions(options.log));
  installErrorHandling(app, options.log);
  acceptEmptyJsonBodies(app);

  registerHealthRoute(app, ctx.db, ctx.media, options.log);
  registerPublicApiRoutes(app, ctx.db, ctx.paths);
  registerChapterTrackRoute(app, { db: ctx.db, audience: 'public' });
  registerMediaRoutes(app, { db: ctx.db, paths: ctx.paths, audience: 'public' });
  registerAssetRoutes(app, options.rendererDir);
  registerSpaPages(app, options.rendererDir, 'viewer', Object.values(routes.public.pages));

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, notFoundBody(request.url)));
  return app;
}
