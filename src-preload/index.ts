import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { DESKTOP_CHANNELS, type VlogDesktopApi } from './contract';

const api = {
  pickVideoFiles: async () => {
    const paths: unknown = await ipcRenderer.invoke(DESKTOP_CHANNELS.pickVideoFiles);
    return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  revealInFolder: async (path: string) => {
    await ipcRenderer.invoke(DESKTOP_CHANNELS.revealInFolder, path);
  },
} satisfies VlogDesktopApi;

contextBridge.exposeInMainWorld('vlogDesktop', api);
