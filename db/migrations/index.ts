import type { Migration } from 'kysely';
import * as createLibraryTables from './20241203160000-create-library-tables';
import * as createPlaylistsChaptersCustomFields from './20241203160100-create-playlists-chapters-custom-fields';
import * as createProcessingTables from './20241203160200-create-processing-tables';
import * as createViewerAdminWebhookTables from './20241203160300-create-viewer-admin-webhook-tables';

/** Every migration, listed statically so a bundler includes them; applied in name order. */
export const migrations: Record<string, Migration> = {
  '20241203160000-create-library-tables': createLibraryTables,
  '20241203160100-create-playlists-chapters-custom-fields': createPlaylistsChaptersCustomFields,
  '20241203160200-create-processing-tables': createProcessingTables,
  '20241203160300-create-viewer-admin-webhook-tables': createViewerAdminWebhookTables,
};
