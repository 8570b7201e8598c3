/**
 * One cold start, run in a fresh process by run.ts:
 *   node --import tsx test/bench/cold-start.ts <dataDir> [coreModule]
 * (run.ts also bundles this file and the core and runs them with plain node; then coreModule is
 * the bundled core. The import specifier is a variable so bundling leaves the core out.)
 * Times, from before the core's module is imported, until createCore({ openLast: true }) has
 * reopened the last workspace and the first 'app.info' and 'tasks.list' (limit 50) returned.
 * Prints one JSON line with the figures on stdout.
 */
import { pathToFileURL } from 'node:url';
import type * as CoreNs from '../../main/core/core';

type CoreModule = typeof CoreNs;

const dataDir = process.argv[2];
const coreModule = process.argv[3]
  ? pathToFileURL(process.argv[3]).href
  : new URL('../../main/core/core.ts', import.meta.url).href;

const t0 = performance.now();
const { createCore } = (await import(coreModule)) as CoreModule;
const tImported = performance.now();

if (!dataDir) {
  process.stderr.write('usage: node --import tsx test/bench/cold-start.ts <dataDir>\n');
  process.exit(2);
}
const core = createCore({ dataDir, runtime: 'cli', openLast: true });
const tCreated = performance.now();
const info = await core.invoke('app.info', {});
const tInfo = performance.now();
const list = await core.invoke('tasks.list', { limit: 50 });
const tDone = performance.now();

if (!info.ok || !info.value.workspace) {
  process.stderr.write(
    `workspace not reopened: ${JSON.stringify(info.ok ? info.value.lastError : info.error)}\n`,
  );
  process.exit(1);
}
if (!list.ok || list.value.rows.length !== 50) {
  process.stderr.write(
    `tasks.list failed: ${JSON.stringify(list.ok ? list.value.rows.length : list.error)}\n`,
  );
  process.exit(1);
}
core.close();
process.stdout.write(
  `${JSON.stringify({
    totalMs: tDone - t0,
    importMs: tImported - t0,
    openMs: tCreated - tImported,
    appInfoMs: tInfo - tCreated,
    tasksListMs: tDone - tInfo,
    tasks: list.value.total,
  })}\n`,
);
