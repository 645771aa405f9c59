import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema';
import { publicCaptions } from '../../library/captions';
import { listCategoriesWithCounts } from '../../library/categories';
import { chaptersOfVideo } from '../../library/chapters';
import type { DataPaths } from '../../library/paths';
import { isSlug } from '../../library/slugs';
import { getSpriteInfo } from '../../library/sprites';
import { withThumbnailVersions } from '../../library/thumbnails';
import { getPublicVideoBySlug, listPublicVideos } from '../../library/videos';
import type { PublicCategoryList, PublicVideoDetail, PublicVideoList } from '../contract';
import { pathFor, publicVideoListQuerySchema, routes } from '../contract';
import { HttpError, parseInput } from '../http-errors';
import { toCategory, toPublicVideo, toPublicVideoDetail } from '../presenters';
import { toSpriteSheets } from '../sprites-presenter';

const slugParams = z.object({ slug: z.string().min(1).max(255) });

async function categoryNames(db: Kysely<Database>) {
  const rows = await db.selectFrom('categories').select(['id', 'slug', 'name']).execute();
  return new Map(rows.map((row) => [row.id, { slug: row.slug, name: row.name }]));
}

/** The chapters and captions a watch page shows. */
async function chaptersAndCaptions(
  db: Kysely<Database>,
  paths: DataPaths,
  video: { id: number; slug: string },
): Promise<Pick<PublicVideoDetail, 'chapters' | 'captions'>> {
  const chapters = await chaptersOfVideo(db, video.id);
  const captions = await publicCaptions(db, paths, video);
  const url = pathFor(routes.media.captionsVtt, { slug: video.slug });
  return {
    chapters: chapters.map((c) => ({
      title: c.title,
      start_time: c.start_time,
      end_time: c.end_time,
    })),
    captions: captions && { url, language: captions.language },
  };
}

/** The viewers' API: published, ready, not archived videos only. */
export function registerPublicApiRoutes(
  app: FastifyInstance,
  db: Kysely<Database>,
  paths: DataPaths,
): void {
  const r = routes.public;

  app.get(r.videos, async (request, reply): Promise<PublicVideoList> => {
    const query = parseInput(publicVideoListQuerySchema, request.query);
    const page = await listPublicVideos(db, { ...query, pageSize: query.page_size });
    const names = await categoryNames(db);
    const videos = await withThumbnailVersions(paths, page.videos);
    reply.header('cache-control', 'public, max-age=10');
    return { videos: videos.map((video) => toPublicVideo(video, names)) };
  });

  app.get(r.video, async (request, reply): Promise<PublicVideoDetail> => {
    const { slug } = parseInput(slugParams, request.params);
    const video = isSlug(slug) ? await getPublicVideoBySlug(db, slug) : undefined;
    if (!video) throw new HttpError(404, 'VIDEO_NOT_FOUND', `No published video "${slug}".`);
    reply.header('cache-control', 'public, max-age=10');
    const [versioned] = await withThumbnailVersions(paths, [video]);
    const detail = toPublicVideoDetail(versioned ?? video, await categoryNames(db));
    const sprites = toSpriteSheets(await getSpriteInfo(db, video.id));
    return { ...detail, ...(await chaptersAndCaptions(db, paths, video)), sprites };
  });

  app.get(r.categories, async (): Promise<PublicCategoryList> => {
    const categories = await listCategoriesWithCounts(db, 'public');
    return { categories: categories.map(toCategory) };
  });
}
