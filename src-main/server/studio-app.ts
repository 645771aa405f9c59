import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { acceptEmptyJsonBodies, listenerOptions } from './fastify-options';
import { routes } from './contract';
import { installErrorHandling, notFoundBody, sendError } from './http-errors';
import { registerHealthRoute } from './health';
import { registerMediaRoutes } from './media-routes';
import { registerAssetRoutes, registerSpaPages, sendSpaIndex } from './spa';
import { requireAdmin } from './studio/admin-guard';
import { registerAuthRoutes } from './studio/auth-routes';
import { registerCaptionRoutes } from './studio/caption-routes';
import { registerChapterRoutes } from './studio/chapter-routes';
import { registerChapterTrackRoute } from './chapter-track-route';
import type { StudioRouteDeps } from './studio/deps';
import { registerEventsRoute } from './studio/events-route';
import { registerLibraryRoutes } from './studio/library-routes';
import { registerSettingsRoutes } from './studio/settings-routes';
import { registerThumbnailRoutes } from './studio/thumbnail-routes';
import { registerTranscriptionRoutes } from './studio/transcription-routes';
import { maxUploadBytes } from './studio/upload';
import { registerVideoRoutes } from './studio/video-routes';
import { registerReencodeRoutes } from './studio/reencode-routes';

function isPagePath(url: string): boolean {
  return !/^\/(api|videos|assets)(\/|$|\?)/.test(url);
}

/** The studio listener: admin API, studio UI and a preview of every live video's files. */
export async function buildStudioApp(deps: StudioRouteDeps): Promise<FastifyInstance> {
  const app = Fastify(listenerOptions(deps.log));
  installErrorHandling(app, deps.log);
  acceptEmptyJsonBodies(app);
  await app.register(cookie);
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: maxUploadBytes, files: 1, fields: 20, fieldSize: 1024 * 1024 },
  });
  app.decorateRequest('adminSession', null);

  registerHealthRoute(app, deps.ctx.db, deps.ctx.media, deps.log);
  registerAuthRoutes(app, deps.auth);
  registerAssetRoutes(app, deps.rendererDir);
  const pages = routes.studio.pages;
  registerSpaPages(app, deps.rendererDir, 'studio', [pages.root, pages.setup, pages.login]);

  await app.register(async (admin) => {
    admin.addHook('onRequest', requireAdmin(deps.auth));
    registerVideoRoutes(admin, deps);
    registerReencodeRoutes(admin, deps);
    registerThumbnailRoutes(admin, deps);
    registerLibraryRoutes(admin, deps);
    registerSettingsRoutes(admin, deps);
    registerEventsRoute(admin, deps);
    registerChapterRoutes(admin, deps);
    registerCaptionRoutes(admin, deps);
    registerTranscriptionRoutes(admin, deps);
    registerChapterTrackRoute(admin, { db: deps.ctx.db, audience: 'studio' });
    registerMediaRoutes(admin, { db: deps.ctx.db, paths: deps.ctx.paths, audience: 'studio' });
  });

  // Client-side routes of the studio UI load the same page; unknown API paths get JSON.
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && isPagePath(request.url)) {
      return sendSpaIndex(reply, deps.rendererDir, 'studio');
    }
    return sendError(reply, 404, notFoundBody(request.url));
  });
  return app;
}
