/**
 * The part of the Electron bridge the renderer uses. In a plain browser `window.vlogDesktop` is
 * absent and every caller falls back to what the web can do.
 */
export interface DesktopBridge {
  pickVideoFiles(): Promise<string[]>;
  pathForFile(file: File): string;
  revealInFolder(path: string): Promise<void>;
}

/** The Electron bridge when the studio runs in the desktop window, otherwise null. */
export function desktopBridge(): DesktopBridge | null {
  const candidate = (globalThis as { vlogDesktop?: DesktopBridge }).vlogDesktop;
  return candidate && typeof candidate.pathForFile === 'function' ? candidate : null;
}
