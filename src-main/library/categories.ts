import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { LibraryError } from './errors';
import { slugify } from './slugs';
import { hasPlayableOutput } from './videos';

export interface CategoryRow {
  id: number;
  name: string;
  slug: string;
  description: string;
  videoCount: number;
}

/** Categories by name, counting live videos (studio) or public ones (viewers). */
export async function listCategoriesWithCounts(
  db: Kysely<Database>,
  audience: 'studio' | 'public',
): Promise<CategoryRow[]> {
  const rows = await db
    .selectFrom('categories')
    .leftJoin('videos', (join) => {
      const live = join
        .onRef('videos.category_id', '=', 'categories.id')
        .on('videos.deleted_at', 'is', null);
      return audience === 'studio'
        ? live
        : live
            .on(hasPlayableOutput())
            .on('videos.published_at', 'is not', null)
            .on('videos.published_at', '<=', sql<Date>`now()`);
    })
    .select(['categories.id', 'categories.name', 'categories.slug', 'categories.description'])
    .select((eb) => eb.fn.count<string | number>('videos.id').as('video_count'))
    .groupBy('categories.id')
    .orderBy('categories.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    slug: r.slug,
    description: r.description ?? '',
    videoCount: Number(r.video_count),
  }));
}

/** Adds a category; its slug comes from the name and must be unused (CONFLICT otherwise). */
export async function createCategory(
  db: Kysely<Database>,
  input: { name: string; description?: string | undefined },
): Promise<CategoryRow> {
  const slug = slugify(input.name).slice(0, 100);
  try {
    const row = await db
      .insertInto('categories')
      .values({ name: input.name, slug, description: input.description ?? '' })
      .returning(['id', 'name', 'slug', 'description'])
      .executeTakeFirstOrThrow();
    return { ...row, description: row.description ?? '', videoCount: 0 };
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new LibraryError('CONFLICT', `A category with the slug "${slug}" already exists.`, {
        slug,
      });
    }
    throw error;
  }
}
