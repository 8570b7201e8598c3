import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './main/electron/window-options';

/**
 * The strict CSP goes into the built index.html only: file:// pages get no response headers,
 * and in `npm run dev` Vite's inline React-refresh preamble would be blocked by it.
 */
function cspMeta(): Plugin {
  return {
    name: 'cwb-csp-meta',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace(
        '<meta charset="UTF-8" />',
        // frame-ancestors is ignored (and warned about) in a meta tag; the shell and the web host send it as a header
        `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY.replace(/;\s*frame-ancestors[^;]*/, '')}" />`,
      ),
  };
}

const root = dirname(fileURLToPath(import.meta.url));
const resolve = (...p: string[]) => resolvePath(root, ...p);

/**
 * Dependencies bundled into out/main instead of loaded from node_modules: plain ES modules that
 * every start loads. Node resolves, reads and compiles an ES module package file by file (zod is
 * about 100 files, yjs with lib0 about 30), which cost the CLI ~50 ms of each start; bundled they
 * are read and compiled once. better-sqlite3 (native) and exceljs (CommonJS, loaded on first
 * use) stay in node_modules. test/bench mirrors this when it builds the CLI and the core.
 */
export const BUNDLED_DEPENDENCIES = ['dayjs', 'yjs', 'zod'] as const;

/**
 * main:     the Electron shell (index), the web host (host), the CLI (cli) and the job worker
 *           (job-worker), all plain Node except index; dependencies stay external (node_modules) except BUNDLED_DEPENDENCIES.
 * preload:  CommonJS, because sandboxed preloads cannot be ES modules.
 * renderer: React app in renderer/.
 */
export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: [...BUNDLED_DEPENDENCIES] },
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('main/electron/index.ts'),
          host: resolve('main/host/index.ts'),
          cli: resolve('main/cli/index.ts'),
          // worker_threads entry of long jobs (compliance checks); see main/core/jobs/jobs.ts
          'job-worker': resolve('main/core/jobs/worker.ts'),
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
    plugins: [react(), cspMeta()],
    build: {
      outDir: resolve('out/renderer'),
      chunkSizeWarningLimit: 4000,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
