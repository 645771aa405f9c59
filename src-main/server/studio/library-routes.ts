import type { FastifyInstance } from 'fastify';
import { createCategory, listCategoriesWithCounts } from '../../library/categories';
import type { EncoderSelection } from '../../media/hardware';
import type { Category, CategoryList, SystemInfo } from '../contract';
import { categoryCreateRequestSchema, routes } from '../contract';
import { parseInput } from '../http-errors';
import { toCategory } from '../presenters';
import type { StudioRouteDeps } from './deps';

/** What the studio's health panel shows about ffmpeg, the data folder and the listeners. */
export function systemInfo(deps: StudioRouteDeps): SystemInfo {
  const media = deps.ctx.media;
  const has = (...names: string[]) => names.some((name) => media.encoders.has(name));
  return {
    ffmpeg_version: media.ffmpegVersion,
    ffprobe_version: media.ffprobeVersion,
    origin: media.origin,
    encoders: {
      h264: has('libx264', 'h264_nvenc', 'h264_vaapi', 'h264_qsv'),
      hevc: has('libx265', 'hevc_nvenc', 'hevc_vaapi', 'hevc_qsv'),
      av1: has('libsvtav1', 'libaom-av1', 'librav1e', 'av1_nvenc'),
      aac: has('aac', 'libfdk_aac'),
      count: media.encoders.size,
    },
    video_encoder: videoEncoderInfo(deps.ctx.videoEncoder),
    data_dir: deps.ctx.paths.root,
    public_url: deps.urls.publicUrl,
    studio_url: deps.urls.studioUrl,
  };
}

/** The encoder choice as the studio header shows it. */
function videoEncoderInfo(selection: EncoderSelection | undefined): SystemInfo['video_encoder'] {
  if (!selection) {
    return { name: 'libx264', hardware: false, reason: 'hardware encoders were not probed' };
  }
  return {
    name: selection.encoder,
    hardware: selection.family !== 'cpu',
    reason: selection.reason ?? `${selection.encoder} answered its probe encode`,
  };
}

/** Categories and the system panel. */
export function registerLibraryRoutes(app: FastifyInstance, deps: StudioRouteDeps): void {
  const { db } = deps.ctx;

  app.get(routes.studio.categories, async (): Promise<CategoryList> => {
    const categories = await listCategoriesWithCounts(db, 'studio');
    return { categories: categories.map(toCategory) };
  });

  app.post(routes.studio.categories, async (request, reply) => {
    const body = parseInput(categoryCreateRequestSchema, request.body);
    const category: Category = toCategory(await createCategory(db, body));
    return reply.code(201).send(category);
  });

  app.get(routes.studio.system, async (): Promise<SystemInfo> => systemInfo(deps));
}
