/**
 * Makes a media URL absolute against the viewer listener's origin. The listener may be bound to
 * 0.0.0.0 (every interface), which a browser cannot connect to: the page's own host is used then.
 */
export function mediaUrl(relativeOrAbsolute: string, publicOrigin: string | null): string {
  if (/^https?:\/\//.test(relativeOrAbsolute) || !publicOrigin) return relativeOrAbsolute;
  const origin = new URL(publicOrigin);
  if (origin.hostname === '0.0.0.0' || origin.hostname === '[::]') {
    origin.hostname = globalThis.location?.hostname || '127.0.0.1';
  }
  return new URL(relativeOrAbsolute, origin).toString();
}
