import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = dirname(fileURLToPath(import.meta.url));
const resolve = (...p: string[]) => resolvePath(root, ...p);

/**
 * main:     the Electron shell (index), the web host (host) and the CLI (cli), all plain Node
 *           except index; dependencies stay external (node_modules).
 * preload:  CommonJS, because sandboxed preloads cannot be ES modules.
 * renderer: React app in renderer/.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('main/electron/index.ts'),
          host: resolve('main/host/index.ts'),
          cli: resolve('main/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      chunkSizeWarningLimit: 4000,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
