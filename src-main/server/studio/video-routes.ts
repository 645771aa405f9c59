import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { VideoRow } from '../../library/videos';
import {
  getVideoExtrasForStudio,
  getVideoForStudio,
  getVideoProgress,
  listArchivedVideos,
  listVideosForStudio,
  updateVideoDetails,
} from '../../library/videos';
import {
  archiveVideo,
  deleteVideoPermanently,
  restoreVideo,
  retranscodeVideo,
  retryVideo,
} from '../../library/video-lifecycle';
import { importLocalSource } from '../../library/sources';
import { replaceVideoSource } from '../../library/source-replacement';
import { withThumbnailVersions } from '../../library/thumbnails';
import type {
  VideoCreated,
  VideoDeleted,
  VideoDetail,
  VideoList,
  VideoProgress,
} from '../contract';
import {
  importLocalRequestSchema,
  routes,
  videoListQuerySchema,
  videoUpdateRequestSchema,
} from '../contract';
import { parseInput } from '../http-errors';
import { toVideoDetail, toVideoProgress, toVideoSummary } from '../presenters';
import type { StudioRouteDeps } from './deps';
import { receiveSourceFile, receiveVideoUpload } from './upload';

const idParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});
const deleteQuery = z.object({ permanent: z.enum(['true', 'false']).optional() });

type IdRequest = { Params: { id: string } };

/** The studio's video routes: list, upload, import, edit, archive, retry and progress. */
export function registerVideoRoutes(app: FastifyInstance, deps: StudioRouteDeps): void {
  const { db, paths } = deps.ctx;
  const r = routes.studio;
  const idOf = (params: unknown) => parseInput(idParams, params).id;

  async function detail(video: VideoRow): Promise<VideoDetail> {
    const [versioned] = await withThumbnailVersions(paths, [video]);
    return toVideoDetail(versioned ?? video, await getVideoExtrasForStudio(db, video));
  }
  const summaries = async (videos: VideoRow[]) =>
    (await withThumbnailVersions(paths, videos)).map(toVideoSummary);
  const detailById = async (id: number) => detail(await getVideoForStudio(db, id));

  function created(video: VideoCreated): VideoCreated {
    deps.log.info({ videoId: video.id, slug: video.slug }, 'video added to the library');
    deps.wakeWorker();
    return video;
  }

  app.get(r.videos, async (request): Promise<VideoList> => {
    const query = parseInput(videoListQuerySchema, request.query);
    const filter = { ...query, pageSize: query.page_size };
    const page = await listVideosForStudio(db, filter);
    const videos = await summaries(page.videos);
    return { videos, total: page.total, page: query.page, page_size: query.page_size };
  });

  app.get(r.archived, async (request): Promise<VideoList> => {
    const query = parseInput(videoListQuerySchema, request.query);
    const page = await listArchivedVideos(db, { ...query, pageSize: query.page_size });
    const videos = await summaries(page.videos);
    return { videos, total: page.total, page: query.page, page_size: query.page_size };
  });

  app.post(r.videos, async (request, reply) => {
    const video = await receiveVideoUpload(request, deps.ctx);
    return reply.code(201).send(created(video));
  });

  app.post(r.importLocal, async (request, reply) => {
    const body = parseInput(importLocalRequestSchema, request.body);
    const video = await importLocalSource(db, paths, {
      localPath: body.path,
      title: body.title,
      description: body.description,
      categoryId: body.category_id,
    });
    return reply.code(201).send(created(video));
  });

  app.get<IdRequest>(r.video, async (request) => detailById(idOf(request.params)));

  app.put<IdRequest>(r.video, async (request) => {
    const id = idOf(request.params);
    const body = parseInput(videoUpdateRequestSchema, request.body ?? {});
    const video = await updateVideoDetails(db, id, {
      title: body.title,
      description: body.description,
      categoryId: body.category_id,
      isFeatured: body.is_featured,
      published: body.published,
    });
    return detail(video);
  });

  app.delete<IdRequest>(r.video, async (request): Promise<VideoDeleted> => {
    const id = idOf(request.params);
    const permanent = parseInput(deleteQuery, request.query).permanent === 'true';
    const video = permanent
      ? await deleteVideoPermanently(db, paths, id)
      : await archiveVideo(db, paths, id);
    deps.log.info({ videoId: id, slug: video.slug, permanent }, 'video removed');
    return { id, permanent };
  });

  app.post<IdRequest>(r.restore, async (request) => {
    const video = await restoreVideo(db, paths, idOf(request.params));
    deps.wakeWorker();
    return detailById(video.id);
  });

  app.post<IdRequest>(r.retry, async (request) => {
    const video = await retryVideo(db, idOf(request.params));
    deps.wakeWorker();
    return detailById(video.id);
  });

  app.post<IdRequest>(r.retranscode, async (request) => {
    const video = await retranscodeVideo(db, idOf(request.params));
    deps.wakeWorker();
    return detailById(video.id);
  });

  app.post<IdRequest>(r.replaceSource, async (request) => {
    const id = idOf(request.params);
    const incoming = await receiveSourceFile(request, paths);
    const video = await replaceVideoSource(db, paths, id, incoming);
    deps.log.info({ videoId: id, fileName: incoming.fileName }, 'video source replaced');
    deps.wakeWorker();
    return detailById(video.id);
  });

  app.post<IdRequest>(r.publish, async (request) =>
    detail(await updateVideoDetails(db, idOf(request.params), { published: true })),
  );

  app.post<IdRequest>(r.unpublish, async (request) =>
    detail(await updateVideoDetails(db, idOf(request.params), { published: false })),
  );

  app.get<IdRequest>(r.progress, async (request): Promise<VideoProgress> =>
    toVideoProgress(await getVideoProgress(db, idOf(request.params))),
  );
}
