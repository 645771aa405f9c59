import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Content types of the files the studio serves; anything else is not served at all. */
export const contentTypes: Readonly<Record<string, string>> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.vtt': 'text/vtt; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};

const safeSegment = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * Resolves a relative request path inside a root folder, or undefined when it could leave it:
 * every segment must be a plain name (no '..', no leading dot, no separators or odd characters).
 */
export function resolveInside(root: string, relative: string): string | undefined {
  const segments = relative.split('/');
  if (segments.length === 0 || segments.length > 8) return undefined;
  if (!segments.every((s) => safeSegment.test(s) && !s.includes('..'))) return undefined;
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  return target.startsWith(base + path.sep) ? target : undefined;
}

interface ByteRange {
  start: number;
  end: number;
}

/** A single `bytes=` range; 'unsatisfiable' when it lies outside the file, undefined if absent. */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges or another unit: answering with the whole file is allowed.
  if (!match) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return 'unsatisfiable';
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export interface SendFileOptions {
  cacheControl: string;
  cors?: boolean;
}

function etagOf(stat: fs.Stats): string {
  return `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
}

async function statFile(absPath: string): Promise<fs.Stats | undefined> {
  try {
    const stat = await fs.promises.stat(absPath);
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Streams a file with its content type, validators and range support (206/416).
 * Returns false, sending nothing, when the file does not exist or its type is not served.
 */
export async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  absPath: string,
  options: SendFileOptions,
): Promise<boolean> {
  const type = contentTypes[path.extname(absPath).toLowerCase()];
  const stat = type ? await statFile(absPath) : undefined;
  if (!type || !stat) return false;

  const etag = etagOf(stat);
  reply
    .header('content-type', type)
    .header('accept-ranges', 'bytes')
    .header('cache-control', options.cacheControl)
    .header('etag', etag)
    .header('last-modified', stat.mtime.toUTCString());
  if (options.cors) {
    reply
      .header('access-control-allow-origin', '*')
      .header('access-control-expose-headers', 'Content-Length, Content-Range, Accept-Ranges');
  }
  if (request.headers['if-none-match'] === etag) {
    reply.code(304).send();
    return true;
  }

  const range = parseRange(request.headers.range, stat.size);
  if (range === 'unsatisfiable') {
    reply.code(416).header('content-range', `bytes */${stat.size}`).send();
    return true;
  }
  const { start, end } = range ?? { start: 0, end: stat.size - 1 };
  if (range) reply.code(206).header('content-range', `bytes ${start}-${end}/${stat.size}`);
  reply.header('content-length', String(Math.max(0, end - start + 1)));
  if (request.method === 'HEAD' || stat.size === 0) {
    reply.send();
    return true;
  }
  reply.send(fs.createReadStream(absPath, { start, end }));
  return true;
}
