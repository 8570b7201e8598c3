/**
 * Building the main-process code for the bench the way `npm run build` does, into
 * node_modules/.cache/cwb-bench (inside the repository, so the built files find node_modules), so
 * that the bench always times the current sources (out/ may be stale or missing).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_DEPENDENCIES } from '../../electron.vite.config';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_BUILD_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'cwb-bench');

/**
 * The packages the app build leaves in node_modules: the dependencies except those it bundles
 * (electron.vite.config.ts BUNDLED_DEPENDENCIES), for esbuild's `external`.
 */
export function externalDependencies(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const bundled = new Set<string>(BUNDLED_DEPENDENCIES);
  return Object.keys(pkg.dependencies ?? {}).filter((d) => !bundled.has(d));
}

/**
 * out/main (the Electron shell, the web host and the CLI) built by electron-vite with the
 * repository's own config, main process only, into the bench's cache; returns the folder, or the
 * build's error output.
 */
export function buildMain(): { dir: string } | { error: string } {
  const dir = path.join(BENCH_BUILD_DIR, 'main');
  const config = path.join(BENCH_BUILD_DIR, 'electron.vite.main.config.ts');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(BENCH_BUILD_DIR, { recursive: true });
  const configImport = path.relative(BENCH_BUILD_DIR, path.join(REPO_ROOT, 'electron.vite.config'));
  fs.writeFileSync(
    config,
    `import config from ${JSON.stringify(configImport.split(path.sep).join('/'))};\n` +
      `const main = (config as { main: { build: object } }).main;\n` +
      `export default { main: { ...main, build: { ...main.build, outDir: ${JSON.stringify(dir)} } } };\n`,
  );
  const r = spawnSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
      'build',
      '-c',
      config,
      '--logLevel',
      'error',
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 },
  );
  if (r.status !== 0) return { error: `${r.stderr || r.stdout || r.error?.message || ''}`.trim() };
  // inside node_modules Node does not look further up for the repository's "type": "module"
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
  return { dir };
}
