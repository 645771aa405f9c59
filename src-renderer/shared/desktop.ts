import type { VlogDesktopApi } from '../../src-preload/contract';

/** The Electron bridge when the studio runs in the desktop window, otherwise null. */
export function desktopBridge(): VlogDesktopApi | null {
  if (typeof window === 'undefined') return null;
  const bridge = window.vlogDesktop;
  return bridge && typeof bridge.pathForFile === 'function' ? bridge : null;
}
