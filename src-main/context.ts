import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { StudioConfig } from './config';
import type { StudioEventBus } from './events/bus';
import type { DataPaths } from './library/paths';
import type { EncoderSelection } from './media/hardware';
import type { MediaTools } from './media/tools';

/** What every part of the studio core is given at start: built once in main.ts. */
export interface StudioContext {
  config: StudioConfig;
  db: Kysely<Database>;
  paths: DataPaths;
  bus: StudioEventBus;
  media: MediaTools;
  /** The H.264 encoder chosen once at start (absent where nothing probed, e.g. tests). */
  videoEncoder?: EncoderSelection;
}
