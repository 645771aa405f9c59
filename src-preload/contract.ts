/** The IPC channels between the studio window and Electron's main process, named once. */
export const DESKTOP_CHANNELS = {
  pickVideoFiles: 'vlog:pick-video-files',
  revealInFolder: 'vlog:reveal-in-folder',
} as const;

/**
 * What the desktop app adds to the studio UI as `window.vlogDesktop`: only what a browser
 * cannot do. Absent in a plain browser, so the UI checks for it before use.
 */
export interface VlogDesktopApi {
  /** Opens the system file dialog; resolves with the absolute paths of the chosen videos. */
  pickVideoFiles(): Promise<string[]>;
  /** The absolute local path of a file dropped on the window ('' when it has none). */
  pathForFile(file: File): string;
  /** Shows a file or folder in the system file manager. */
  revealInFolder(path: string): Promise<void>;
}

declare global {
  interface Window {
    vlogDesktop?: VlogDesktopApi;
  }
}
