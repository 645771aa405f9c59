import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { readStreamingDefaults, writeStreamingDefaults } from '../../library/streaming-settings';
import { routes } from '../contract';
import { parseInput } from '../http-errors';
import type { StudioRouteDeps } from './deps';

/** PUT /api/settings: the settings the studio lets a person change, by their keys. */
const settingsUpdateSchema = z
  .object({
    'streaming.default_format': z.enum(['hls_ts', 'cmaf']).optional(),
    'streaming.default_codec': z.enum(['h264', 'hevc', 'av1']).optional(),
  })
  .strict();

/** GET/PUT /api/settings: the studio-wide defaults (streaming format and codec so far). */
export function registerSettingsRoutes(app: FastifyInstance, deps: StudioRouteDeps): void {
  const { db } = deps.ctx;
  const present = async () => {
    const defaults = await readStreamingDefaults(db);
    return {
      settings: {
        'streaming.default_format': defaults.format,
        'streaming.default_codec': defaults.codec,
      },
    };
  };

  app.get(routes.studio.settings, present);

  app.put(routes.studio.settings, async (request) => {
    const body = parseInput(settingsUpdateSchema, request.body ?? {});
    await writeStreamingDefaults(db, {
      format: body['streaming.default_format'],
      codec: body['streaming.default_codec'],
    });
    return present();
  });
}
