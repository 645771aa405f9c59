import type { TestStudio } from './server-harness';
import { testPassword } from './server-harness';

/** Adds a ready, published video row directly, for tests of what is done after transcoding. */
export async function addReadyVideo(
  studio: TestStudio,
  fields: { slug: string; duration: number; description?: string },
): Promise<number> {
  const row = await studio.database.db
    .insertInto('videos')
    .values({
      title: fields.slug,
      slug: fields.slug,
      description: fields.description ?? '',
      duration: fields.duration,
      source_width: 320,
      source_height: 180,
      status: 'ready',
      published_at: new Date(Date.now() - 1000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Calls the studio API as a script does, with X-Admin-Secret. */
export function studioApi(studio: TestStudio) {
  const base = studio.servers.studioUrl;
  return async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> & { message?: string } }> => {
    const response = await fetch(base + path, {
      method,
      headers: {
        'x-admin-secret': testPassword,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };
}
