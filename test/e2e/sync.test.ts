/**
 * Two laptops sync through the central platform, in the real renderer (Debian Chromium) over two
 * web hosts with their own data folders, and the REAL server process (`server/index.ts`) on a
 * free port with its own data folder:
 *
 *   the admin creates 李明 and 王芳 and issues their tokens (the server's admin command) →
 *   laptop A (李明) creates the workspace from the template, signs in on the 同步 page (a wrong
 *   token first: the server's refusal in words), syncs → the admin adds 王芳 to the workspace →
 *   laptop B (王芳) downloads the workspace from the welcome page → A adds a task and edits a
 *   material in the editor, syncs → B syncs, finds A's task and A's text → B edits the same
 *   material, syncs → A syncs and reads B's text beside its own; the header indicator says so.
 *
 * Then two more laptops (C, D) on a small workspace: a task D deleted comes back because C
 * edited it later (D is told), a title both changed shows in D's 冲突记录, and C deleting 25 of
 * 30 tasks makes D's 立即同步 ask first (cancel keeps everything; confirm deletes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../../main/core/docs/pm';
import { startHost, type Host } from '../../main/host/server';
import { call, REPO_ROOT, tempDir } from '../helpers/core';
import { ARTIFACTS, launchBrowser, RENDERER_DIR } from './browser';

const WS_NAME = '琼海市信用示范区创建工作台';
const TASK = '同步测试：组织双公示数据质量专项核查';
const MATERIAL = '琼海市信用承诺制工作方案';
const A_TEXT = '李明在笔记本A上补充：全面推行告知承诺制。';
const B_TEXT = '王芳在笔记本B上补充：承诺履约情况纳入信用档案。';

const serverData = tempDir('cwb-e2e-sync-server-');
const dataA = tempDir('cwb-e2e-sync-a-');
const dataB = tempDir('cwb-e2e-sync-b-');
const pageErrors: string[] = [];

let server: ChildProcess | undefined;
let serverUrl = '';
let browser: Browser | undefined;
let hostA: Host | undefined;
let hostB: Host | undefined;
let pageA: Page;
let pageB: Page;
let tokenA = '';
let tokenB = '';
let materialId = '';

function poll<T>(fn: () => T | Promise<T>, timeout = 15_000) {
  return expect.poll(fn, { timeout });
}

/** Runs the server's script (`tsx server/index.ts …`) and returns its stdout; fails on exit ≠ 0. */
function serverCommand(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts', ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`server ${args.join(' ')} → ${code}: ${err || out}`)),
    );
  });
}

/** The admin command's output: the last non-empty line (the id or the token it prints). */
async function admin(...args: string[]): Promise<string> {
  const out = await serverCommand(['admin', ...args, '--data', serverData]);
  const lines = out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

/** Starts the real server process on a free port; resolves with its URL once it listens. */
function startServer(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/index.ts', '--port', '0', '--data', serverData, '--quiet'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let buf = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`中心平台未能启动：${err || buf}`)), 30_000);
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      // the server prints {"event":"listening","port":…,"url":…} once it listens
      for (const line of buf.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const e = JSON.parse(line) as { event?: string; port?: number };
          if (e.event === 'listening' && e.port) {
            clearTimeout(timer);
            resolve({ child, url: `http://127.0.0.1:${e.port}` });
            return;
          }
        } catch {
          // a partial line: wait for the rest
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`中心平台进程退出（${code}）：${err || buf}`));
    });
  });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(5, 890);
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

async function openPage(host: Host): Promise<Page> {
  if (!browser) throw new Error('browser not started');
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  page.on('pageerror', (e) => {
    pageErrors.push(e.message);
    console.error('[pageerror]', e.message);
  });
  await page.goto(host.openUrl);
  return page;
}

async function goSync(page: Page): Promise<void> {
  await page.getByRole('menuitem', { name: '同步' }).click();
  await poll(() => page.locator('.page-header h2').textContent()).toBe('同步');
}

/** 立即同步 on the 同步 page, until the page reports the run done. */
async function syncNow(page: Page): Promise<string> {
  await goSync(page);
  const result = page.getByTestId('sync-result');
  const before = (await result.count()) ? await result.textContent() : null;
  await page.getByTestId('sync-now').click();
  await poll(async () =>
    (await page.getByTestId('sync-now').getAttribute('class'))?.includes('loading'),
  ).toBe(false);
  await poll(() => result.count()).toBe(1);
  const text = (await result.textContent()) ?? '';
  expect(text === before || text.includes('上传')).toBe(true);
  expect(await page.getByTestId('sync-error').count()).toBe(0);
  return text;
}

/** Types at the end of the material's last paragraph in the editor and waits until it is saved. */
async function appendToMaterial(page: Page, text: string): Promise<void> {
  await page.goto(`${page.url().split('#')[0]}#/materials?id=${materialId}`);
  const editor = page.getByTestId('material-editor');
  await poll(() => editor.count()).toBe(1);
  await editor.locator('p').last().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text);
  await poll(() => editor.textContent()).toContain(text);
  await poll(() => page.getByTestId('save-state').getAttribute('data-state')).toBe('saved');
}

async function materialText(page: Page): Promise<string> {
  await page.goto(`${page.url().split('#')[0]}#/materials?id=${materialId}`);
  const editor = page.getByTestId('material-editor');
  await poll(() => editor.count()).toBe(1);
  return (await editor.textContent()) ?? '';
}

/** Opens an antd Select in a form item, types a search, and picks the option containing `text`. */
async function pickOption(page: Page, formItemLabel: string, text: string): Promise<void> {
  const item = page
    .locator('.ant-form-item')
    .filter({ has: page.locator(`label:text-is("${formItemLabel}")`) });
  await item.locator('.ant-select').click();
  await page.keyboard.type(text);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: text })
    .first()
    .click();
}

/** The task list, searched for `text`: the rows' texts. */
async function findTasks(page: Page, text: string): Promise<string[]> {
  await page.getByRole('menuitem', { name: '任务督办' }).click();
  await poll(() => page.locator('.page-header h2').textContent()).toBe('任务督办');
  await page.getByTestId('task-search').fill(text);
  const rows = page.locator('[data-testid="task-table"] .ant-table-row').filter({ hasText: text });
  await poll(() => rows.count()).toBeGreaterThan(0);
  return rows.allTextContents();
}

// one central platform and one browser for the whole file; each describe has its own laptops
beforeAll(async () => {
  ({ child: server, url: serverUrl } = await startServer());
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

describe('sync: two laptops through the central platform', () => {
  beforeAll(async () => {
    hostA = await startHost({ dataDir: dataA, rendererDir: RENDERER_DIR });
    hostB = await startHost({ dataDir: dataB, rendererDir: RENDERER_DIR });
  });

  afterAll(async () => {
    await hostA?.close();
    await hostB?.close();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      const name = ctx.task.name.slice(0, 24);
      await pageA?.screenshot({ path: path.join(ARTIFACTS, `sync-failed-A-${name}.png`) }).catch(() => {});
      await pageB?.screenshot({ path: path.join(ARTIFACTS, `sync-failed-B-${name}.png`) }).catch(() => {});
    }
  });

  it('the admin creates two users and issues their tokens', async () => {
    await admin('create-user', '--name', '李明');
    await admin('create-user', '--name', '王芳');
    tokenA = await admin('issue-token', '--user', '李明', '--name', '笔记本A');
    tokenB = await admin('issue-token', '--user', '王芳', '--name', '笔记本B');
    expect(tokenA.length).toBeGreaterThanOrEqual(16);
    expect(tokenB).not.toBe(tokenA);
  });

  it('laptop A creates the workspace, signs in on the 同步 page and syncs', async () => {
    if (!hostA) throw new Error('host A not started');
    await call(hostA.core, 'workspace.create', {
      name: WS_NAME,
      templateId: 'qionghai',
      startMonth: '2027-01',
      me: { name: '李明', role: '项目负责人' },
      colleagues: [{ name: '王芳', role: '驻场顾问' }],
    });
    const m = await call(hostA.core, 'materials.create', {
      title: MATERIAL,
      type: 'implementation_plan',
      templateId: null,
    });
    materialId = m.id;

    pageA = await openPage(hostA);
    await poll(() => pageA.getByTestId('workspace-name').textContent(), 20_000).toBe(WS_NAME);
    // the header says sync is not set up; a click opens the 同步 page
    await poll(() => pageA.getByTestId('sync-indicator').textContent()).toContain('未登录同步');
    await pageA.getByTestId('sync-indicator').click();
    await poll(() => pageA.locator('.page-header h2').textContent()).toBe('同步');
    await shot(pageA, 'sync-login');

    // a wrong token: the server's refusal, in words, and nothing stored
    const form = pageA.getByTestId('sync-login-form');
    await form.getByLabel('中心平台地址').fill(serverUrl);
    await form.getByLabel('访问令牌').fill('wrong-token-0000000000');
    await pageA.getByTestId('sync-login').click();
    await poll(() => pageA.getByTestId('sync-login-error').textContent()).toMatch(/令牌/);
    await shot(pageA, 'sync-login-refused');
    expect((await call(hostA.core, 'sync.status', {})).state).toBe('unconfigured');

    await form.getByLabel('访问令牌').fill(tokenA);
    await pageA.getByTestId('sync-login').click();
    await poll(() => pageA.getByTestId('sync-user').textContent()).toBe('李明');
    // the token is not in the page, and the web host keeps it in a file only the user can read
    expect(await pageA.content()).not.toContain(tokenA);

    const result = await syncNow(pageA);
    expect(result).toMatch(/上传 \d+ 项修改/);
    const st = await call(hostA.core, 'sync.status', {});
    expect(st.state).toBe('idle');
    expect(st.pending).toEqual({ changes: 0, docs: 0, blobs: 0 });
    await poll(() => pageA.getByTestId('sync-pending').textContent()).toContain('没有');
    await poll(() => pageA.getByTestId('sync-indicator').textContent()).toMatch(/已同步/);
    await shot(pageA, 'sync-a-synced');
  });

  it('laptop B downloads the workspace from the welcome page (从中心平台下载工作区)', async () => {
    if (!hostA || !hostB) throw new Error('hosts not started');
    const wsId = hostA.core.workspace!.id;
    await admin('add-member', '--user', '王芳', '--workspace', wsId);

    pageB = await openPage(hostB);
    const join = pageB.getByTestId('join-card');
    await poll(() => join.count(), 20_000).toBe(1);
    await join.getByLabel('中心平台地址').fill(serverUrl);
    await join.getByLabel('访问令牌').fill(tokenB);
    await pageB.getByTestId('join-list').click();
    await poll(() => pageB.getByTestId('join-user').textContent()).toBe('王芳');
    // the only workspace is chosen already, and my name comes from the account
    await poll(() => pageB.getByTestId('join-workspace').textContent()).toContain(WS_NAME);
    expect(await join.getByLabel('我的姓名').inputValue()).toBe('王芳');
    await shot(pageB, 'sync-join');
    await pageB.getByTestId('join-download').click();
    await poll(() => pageB.getByTestId('workspace-name').textContent(), 30_000).toBe(WS_NAME);
    // 王芳 was on A's team list: she is "me" here, and this laptop is signed in and in step
    await poll(() => pageB.locator('.app-header').textContent()).toContain('王芳（驻场顾问）');
    await poll(() => pageB.getByTestId('sync-indicator').textContent()).toMatch(/已同步/);
    const [ta, tb] = await Promise.all([
      call(hostA.core, 'tasks.list', {}),
      call(hostB.core, 'tasks.list', {}),
    ]);
    expect(tb.total).toBe(ta.total);
    expect(hostB.core.workspace!.id).toBe(wsId);
    await goSync(pageB);
    await poll(() => pageB.getByTestId('sync-user').textContent()).toBe('王芳');
    await shot(pageB, 'sync-b-joined');
  });

  it('A adds a task and edits the material; after both sync, B has both', async () => {
    if (!hostA || !hostB) throw new Error('hosts not started');
    await pageA.getByRole('menuitem', { name: '任务督办' }).click();
    await pageA.getByTestId('new-task').click();
    const drawer = pageA.getByRole('dialog');
    await drawer.getByLabel('任务名称').fill(TASK);
    await drawer.getByLabel('完成标准').fill('逐项核对双公示数据，问题清单反馈各单位');
    await pickOption(pageA, '牵头单位', '市场监督');
    await pageA.getByTestId('save-task').click();
    await poll(() => drawer.count()).toBe(0);
    await appendToMaterial(pageA, A_TEXT);

    // the header counts what is waiting to go up
    await poll(() => pageA.getByTestId('sync-indicator').textContent()).toMatch(/\d+ 项待同步/);
    await shot(pageA, 'sync-a-pending');
    const up = await syncNow(pageA);
    expect(up).not.toMatch(/上传 0 项修改/);
    expect(up).toContain('合并文档');

    const down = await syncNow(pageB);
    expect(down).not.toMatch(/下载 0 项修改/);
    expect((await findTasks(pageB, '同步测试')).join()).toContain(TASK);
    await shot(pageB, 'sync-b-sees-task');
    await poll(async () => materialText(pageB)).toContain(A_TEXT);
    await shot(pageB, 'sync-b-sees-material');
  });

  it('B edits the same material; after both sync, A reads both edits', async () => {
    if (!hostA || !hostB) throw new Error('hosts not started');
    await appendToMaterial(pageB, B_TEXT);
    await syncNow(pageB);
    await syncNow(pageA);
    const text = await materialText(pageA);
    expect(text).toContain(A_TEXT);
    expect(text).toContain(B_TEXT);
    // the same text in both databases
    const [da, db] = await Promise.all([
      call(hostA.core, 'docs.json', { docId: materialId }),
      call(hostB.core, 'docs.json', { docId: materialId }),
    ]);
    expect(plainText(da.json)).toBe(plainText(db.json));
    await shot(pageA, 'sync-a-sees-b');
    await goSync(pageA);
    await poll(() => pageA.getByTestId('sync-indicator').textContent()).toMatch(/已同步/);
    await shot(pageA, 'sync-a-final');
    expect(pageErrors).toEqual([]);
  });
});

describe('sync: deletions — a record brought back by an edit, a mass deletion asked first', () => {
  let hostC: Host | undefined;
  let hostD: Host | undefined;
  let pageD: Page;
  const dataC = tempDir('cwb-e2e-sync-c-');
  const dataD = tempDir('cwb-e2e-sync-d-');
  const taskIds: string[] = [];

  beforeAll(async () => {
    hostC = await startHost({ dataDir: dataC, rendererDir: RENDERER_DIR });
    hostD = await startHost({ dataDir: dataD, rendererDir: RENDERER_DIR });
  });

  afterAll(async () => {
    await hostC?.close();
    await hostD?.close();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await pageD?.screenshot({
        path: path.join(ARTIFACTS, `sync-failed-D-${ctx.task.name.slice(0, 24)}.png`),
      });
  });

  it('C shares a small workspace of 30 tasks; D joins', async () => {
    if (!hostC || !hostD) throw new Error('hosts not started');
    await admin('create-user', '--name', '张伟');
    await admin('create-user', '--name', '刘洋');
    const tokenC = await admin('issue-token', '--user', '张伟');
    const tokenD = await admin('issue-token', '--user', '刘洋');
    await call(hostC.core, 'workspace.create', {
      name: '删除测试工作区',
      templateId: null,
      city: '测试市',
      startMonth: '2027-01',
      me: { name: '张伟', role: '项目负责人' },
      colleagues: [{ name: '刘洋', role: '驻场顾问' }],
    });
    for (let i = 1; i <= 30; i++) {
      const t = await call(hostC.core, 'tasks.create', {
        title: `删除测试任务 ${String(i).padStart(2, '0')}`,
      });
      taskIds.push(t.id);
    }
    await call(hostC.core, 'sync.configure', { serverUrl, token: tokenC });
    await call(hostC.core, 'sync.now', {});
    await admin('add-member', '--user', '刘洋', '--workspace', hostC.core.workspace!.id);
    await call(hostD.core, 'sync.join', {
      serverUrl,
      token: tokenD,
      workspaceId: hostC.core.workspace!.id,
      me: { name: '刘洋', role: '驻场顾问' },
    });
    expect((await call(hostD.core, 'tasks.list', {})).total).toBe(30);
    pageD = await openPage(hostD);
    await poll(() => pageD.getByTestId('workspace-name').textContent(), 20_000).toBe('删除测试工作区');
  });

  it('D deletes a task that C edits later: D syncs and is told the task came back', async () => {
    if (!hostC || !hostD) throw new Error('hosts not started');
    const id = taskIds[0]!;
    await call(hostD.core, 'tasks.delete', { id });
    await call(hostD.core, 'sync.now', {});
    // C has not seen the deletion yet and edits the task afterwards
    await call(hostC.core, 'tasks.update', { id, patch: { title: '删除测试任务 01（张伟补充了要求）' } });
    await call(hostC.core, 'sync.now', {});

    await syncNow(pageD);
    await poll(() => pageD.getByTestId('sync-revived').textContent()).toContain('1 条已删除的记录被恢复');
    await shot(pageD, 'sync-revived');
    expect((await call(hostD.core, 'tasks.get', { id })).title).toBe('删除测试任务 01（张伟补充了要求）');
  });

  it('D and C change the same title offline: the later one stays, D sees its own value in 冲突记录', async () => {
    if (!hostC || !hostD) throw new Error('hosts not started');
    const id = taskIds[1]!;
    await call(hostD.core, 'tasks.update', { id, patch: { title: '刘洋改的标题' } });
    await new Promise((r) => setTimeout(r, 20)); // C edits later (the stamps are milliseconds)
    await call(hostC.core, 'tasks.update', { id, patch: { title: '张伟后来改的标题' } });
    await call(hostC.core, 'sync.now', {});
    await syncNow(pageD);
    expect((await call(hostD.core, 'tasks.get', { id })).title).toBe('张伟后来改的标题');
    const row = pageD
      .getByTestId('sync-conflicts')
      .locator('.ant-table-row')
      .filter({ hasText: '刘洋改的标题' });
    await poll(() => row.count()).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('任务');
    expect(text).toContain('张伟后来改的标题');
    await shot(pageD, 'sync-conflicts');
  });

  it('C deletes 25 of the 30 tasks: D is asked before anything is deleted, and can go on', async () => {
    if (!hostC || !hostD) throw new Error('hosts not started');
    for (const id of taskIds.slice(5)) await call(hostC.core, 'tasks.delete', { id });
    await call(hostC.core, 'sync.now', {});

    await goSync(pageD);
    await pageD.getByTestId('sync-now').click();
    const dialog = pageD.locator('.ant-modal-confirm');
    await poll(() => dialog.count()).toBe(1);
    await poll(() => dialog.textContent()).toContain('确认删除本工作区的大部分记录');
    expect(await dialog.textContent()).toMatch(/会删除本机 \d+ 条记录中的 25 条/);
    await shot(pageD, 'sync-mass-delete-dialog');
    // not now: nothing was deleted, the page keeps asking
    await dialog.getByRole('button', { name: '取消，暂不同步' }).click();
    await poll(() => dialog.count()).toBe(0);
    expect((await call(hostD.core, 'tasks.list', {})).total).toBe(30);
    await poll(() => pageD.getByTestId('sync-mass-delete').count()).toBe(1);
    await poll(() => pageD.getByTestId('sync-indicator').textContent()).toContain('同步待确认');
    await shot(pageD, 'sync-mass-delete-waiting');

    // confirmed: the deletion goes through
    await pageD.getByTestId('sync-mass-delete-review').click();
    await poll(() => dialog.count()).toBe(1);
    await dialog.getByRole('button', { name: /删除 25 条并继续同步/ }).click();
    await poll(() => pageD.getByTestId('sync-result').count()).toBe(1);
    expect((await call(hostD.core, 'tasks.list', {})).total).toBe(5);
    expect((await call(hostD.core, 'sync.status', {})).massDelete).toBeNull();
    await poll(() => pageD.getByTestId('sync-mass-delete').count()).toBe(0);
    await poll(() => pageD.getByTestId('sync-indicator').textContent()).toMatch(/已同步/);
    expect(pageErrors).toEqual([]);
  });
});
