import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../main/core/core';
import type {
  AppErrorShape,
  CommandName,
  ErrorCode,
  Input,
  Output,
  Result,
} from '../../main/core/contract/index';
import type { PmNode } from '../../main/core/docs/pm';
import { replaceDocContent } from '../../main/core/docs/pm';
import type { Workspace } from '../../main/core/workspace/workspace';
import * as Y from 'yjs';

/** Repository root (test/helpers/../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESOURCES_DIR = path.join(REPO_ROOT, 'resources');
export const TEMPLATE_DIR = path.join(RESOURCES_DIR, 'templates', 'qionghai');

/**
 * Resources made inside a test (temp folders, cores) are released when that test finishes, the
 * last made first (a core is closed before its folder is removed). Made outside a test (module
 * level, beforeAll): not tracked, the caller cleans up.
 */
let pending: (() => void)[] | null = null;

function releaseAfterTest(release: () => void): void {
  if (!pending) {
    const list: (() => void)[] = [];
    try {
      onTestFinished(() => {
        pending = null;
        for (const r of list.reverse()) {
          try {
            r();
          } catch {
            // best effort: a failed cleanup must not hide the test's own result
          }
        }
      });
    } catch {
      return; // not inside a running test
    }
    pending = list;
  }
  pending.push(release);
}

export function tempDir(prefix = 'cwb-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  releaseAfterTest(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Calls a command and returns its value, failing the test with the error message otherwise. */
export async function call<N extends CommandName>(core: Core, name: N, input: Input<N>): Promise<Output<N>> {
  const r = await core.invoke(name, input);
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** Asserts that a result is an error with the given code and returns the error. */
export function expectError(r: Result<unknown>, code: ErrorCode): AppErrorShape {
  if (r.ok) throw new Error(`expected error ${code}, got ok: ${JSON.stringify(r.value).slice(0, 300)}`);
  if (r.error.code !== code)
    throw new Error(`expected error ${code}, got ${r.error.code}: ${r.error.message}`);
  return r.error;
}

/** Calls a command that must fail with `code`; returns the error. */
export async function callError<N extends CommandName>(
  core: Core,
  name: N,
  input: Input<N>,
  code: ErrorCode,
): Promise<AppErrorShape> {
  return expectError(await core.invoke(name, input), code);
}

/** True when the text contains CJK characters (messages for users are Chinese). */
export function isChinese(s: string): boolean {
  return /[\u4e00-\u9fff]/.test(s);
}

export interface TestCore {
  core: Core;
  dataDir: string;
  close(): void;
}

export function makeCore(opts: Partial<CoreOptions> = {}): TestCore {
  const dataDir = opts.dataDir ?? tempDir();
  const core = createCore({ runtime: 'test', ...opts, dataDir });
  releaseAfterTest(() => core.close());
  return {
    core,
    dataDir,
    close: () => core.close(),
  };
}

/** A core with a fresh workspace created from the bundled template. */
export async function coreWithWorkspace(opts: Partial<CoreOptions> = {}): Promise<TestCore> {
  const t = makeCore(opts);
  await call(t.core, 'workspace.create', {
    name: '测试工作区',
    templateId: 'qionghai',
    startMonth: '2027-01',
    me: { name: '李明', role: '项目负责人' },
    colleagues: [
      { name: '王芳', role: '驻场顾问' },
      { name: '陈晨', role: '数据专员' },
    ],
  });
  return t;
}

/** A core with a small workspace created without a template (fast, empty). */
export async function coreWithEmptyWorkspace(opts: Partial<CoreOptions> = {}): Promise<TestCore> {
  const t = makeCore(opts);
  await call(t.core, 'workspace.create', {
    name: '空白工作区',
    templateId: null,
    city: '测试市',
    startMonth: '2027-01',
    me: { name: '李明', role: '项目负责人' },
  });
  return t;
}

/** The open workspace of a core (fails if none). */
export function wsOf(core: Core): Workspace {
  const ws = core.workspace;
  if (!ws) throw new Error('no workspace open');
  return ws;
}

/** Number of rows in a table of the open workspace. */
export function countRows(core: Core, table: string, where = '1 = 1'): number {
  return (wsOf(core).db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number })
    .n;
}

/** Row counts of the tables every write touches: tasks and changes. */
export function writeCounts(core: Core): { tasks: number; changes: number; departments: number } {
  return {
    tasks: countRows(core, 'tasks'),
    changes: countRows(core, 'changes'),
    departments: countRows(core, 'departments'),
  };
}

/** A copy of the bundled template folder as <root>/templates/<id>, for breaking it in a test. */
export function copyTemplate(id = 'qionghai'): { resourcesDir: string; dir: string } {
  const resourcesDir = tempDir('cwb-res-');
  const dir = path.join(resourcesDir, 'templates', id);
  fs.cpSync(TEMPLATE_DIR, dir, { recursive: true });
  return { resourcesDir, dir };
}

/** Reads, changes and writes back a JSON file. */
export function editJson<T = unknown>(file: string, edit: (data: T) => void): void {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  edit(data);
  fs.writeFileSync(file, JSON.stringify(data, null, 2));
}

const WALK = [
  ['issue', 'issued'],
  ['sign', 'signed'],
  ['start', 'handling'],
  ['report', 'feedback'],
  ['approve', 'done'],
] as const;

/** Moves a 待下发 task along the workflow until it reaches `status`. */
export async function advanceTo(core: Core, id: string, status: (typeof WALK)[number][1]): Promise<void> {
  for (const [action, reached] of WALK) {
    await call(core, 'tasks.transition', { ids: [id], action });
    if (reached === status) return;
  }
}

/**
 * Replaces a document's content with `json` through the core, the way the editor saves: load the
 * document (docs.load), make the change on a Y.Doc, push that one update (docs.push).
 */
export async function setDocContent(core: Core, docId: string, json: PmNode): Promise<void> {
  const loaded = await call(core, 'docs.load', { docId });
  const d = new Y.Doc();
  Y.applyUpdate(d, Buffer.from(loaded.update, 'base64'));
  const update = replaceDocContent(d, json);
  d.destroy();
  await call(core, 'docs.push', { docId, update: Buffer.from(update).toString('base64') });
}
