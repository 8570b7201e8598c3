import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../main/core/core';
import type { CommandName, Input, Output } from '../../main/core/contract/index';

export function tempDir(prefix = 'cwb-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Calls a command and returns its value, failing the test with the error message otherwise. */
export async function call<N extends CommandName>(core: Core, name: N, input: Input<N>): Promise<Output<N>> {
  const r = await core.invoke(name, input);
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

export interface TestCore {
  core: Core;
  dataDir: string;
  close(): void;
}

export function makeCore(opts: Partial<CoreOptions> = {}): TestCore {
  const dataDir = opts.dataDir ?? tempDir();
  const core = createCore({ runtime: 'test', ...opts, dataDir });
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
