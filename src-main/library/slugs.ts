import path from 'node:path';

const maxSlugLength = 200;

/** A URL-safe slug from a title: lower case ASCII letters, digits and single dashes. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxSlugLength)
    .replace(/-+$/g, '');
  return slug || 'video';
}

/** The first of slug, slug-2, slug-3... that is not in `taken`. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** A readable title from a file name: extension dropped, underscores and dots as spaces. */
export function titleFromFileName(fileName: string): string {
  const base = path.basename(fileName, path.extname(fileName));
  const title = base.replace(/[_.]+/g, ' ').replace(/\s+/g, ' ').trim();
  return (title || 'Untitled video').slice(0, 255);
}

/** The lower-case extension of a file name, safe to use in a path ('bin' when there is none). */
export function safeExtension(fileName: string): string {
  const ext = path.extname(fileName).slice(1).toLowerCase();
  return /^[a-z0-9]{1,10}$/.test(ext) ? ext : 'bin';
}

/** Whether a string has the shape of a slug this library makes (so it is safe in a path). */
export function isSlug(value: string): boolean {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value) && value.length <= 255;
}
