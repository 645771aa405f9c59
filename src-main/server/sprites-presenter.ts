import { spritesReady, type SpriteInfoRow } from '../library/sprites';
import { spriteSheetName } from '../media/sprites';
import type { SpriteSheets, StudioSprites } from './contract';
import { pathFor, routes } from './contract';

/** The sprite sheets of a video as the player reads them; null until they are made. */
export function toSpriteSheets(info: SpriteInfoRow): SpriteSheets | null {
  if (!spritesReady(info)) return null;
  const slug = info.slug;
  const sheets = Array.from({ length: info.count }, (_, i) =>
    pathFor(routes.media.spriteSheet, { slug, name: spriteSheetName(i + 1) }),
  );
  return {
    vtt_url: pathFor(routes.media.thumbnailsVtt, { slug }),
    interval: info.interval ?? 0,
    tile_size: info.tileSize ?? 0,
    frame_width: info.frameWidth ?? 0,
    frame_height: info.frameHeight ?? 0,
    count: info.count,
    sheets,
  };
}

/** GET /api/videos/{id}/sprites: the sheets and where their latest job stands. */
export function toStudioSprites(info: SpriteInfoRow): StudioSprites {
  const job = info.latestJob;
  return {
    status: info.status,
    error: info.error,
    sprites: toSpriteSheets(info),
    job: job && {
      id: job.id,
      priority: job.priority,
      status: job.status,
      error_message: job.errorMessage,
    },
  };
}
