import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BackupResult, Task, TemplateInfo, WorkspaceSummary } from '../../main/core/contract/index';
import { defaultDataDir, resolveDataDir } from '../../main/cli/paths';
import { call, makeCore } from '../helpers/core';
import { cliWorkspace, createTemplateWorkspace } from '../helpers/cli';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const { root, dataDir, ws, cli, cliJson } = cliWorkspace('cwb-cli-', '琼海 工作区', {
  me: '李明',
  noErrorText: true,
  created: (r) => {
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('已创建工作区「琼海市社会信用体系建设示范区创建（示例）」');
    expect(r.stdout).toContain('李明（项目负责人）');
  },
});

/** Changes the workspace through the core directly (as the desktop app would). */
async function addTask(dir: string, title: string): Promise<void> {
  const t = makeCore({ dataDir, openLast: false });
  try {
    await call(t.core, 'workspace.open', { dir });
    await call(t.core, 'tasks.create', { title, issue: true });
  } finally {
    t.close();
  }
}

describe('cli: help and templates', () => {
  it('prints the program help with --help', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('用法：');
    for (const c of ['templates', 'workspace create', 'workspace info', 'backup', 'restore', 'tasks list'])
      expect(r.stdout).toContain(c);
  });

  it('prints a command help with --help, even without its required options', async () => {
    const r = await cli('workspace', 'create', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--template <模板标识>');
    expect(r.stdout).toContain('项目负责人');
  });

  it('lists the bundled templates', async () => {
    const list = await cliJson<TemplateInfo[]>('templates');
    const q = list.find((t) => t.id === 'qionghai');
    expect(q?.counts.departments).toBeGreaterThanOrEqual(35);
    const text = await cli('templates');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('qionghai');
    expect(text.stdout).toContain('琼海市');
  });
});

describe('cli: workspace', () => {
  it('shows workspace info as text', async () => {
    const r = await cli('workspace', 'info', '--dir', ws);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('琼海市（行政区划代码 469002）');
    expect(r.stdout).toContain('2027-01-01 至 2027-12-31');
    expect(r.stdout).toContain('前 50 名');
    expect(r.stdout).toContain('李明（本机）');
  });

  it('shows workspace info as JSON', async () => {
    const info = await cliJson<
      WorkspaceSummary & {
        supportedSchemaVersion: number;
        settings: { rankingTarget: number; indicatorVersion: string; periodStart: string };
        staff: { name: string; me: boolean }[];
      }
    >('workspace', 'info', '--dir', ws);
    expect(info.dir).toBe(ws);
    expect(info.city).toBe('琼海市');
    expect(info.schemaVersion).toBe(info.supportedSchemaVersion);
    expect(info.counts.tasks).toBeGreaterThanOrEqual(30);
    expect(info.counts.departments).toBeGreaterThanOrEqual(35);
    expect(info.settings).toMatchObject({
      rankingTarget: 50,
      indicatorVersion: '2021',
      periodStart: '2027-01-01',
    });
    expect(info.staff).toEqual([expect.objectContaining({ name: '李明', me: true })]);
  });

  it('resolves relative paths against the working directory', async () => {
    const r = await cli('workspace', 'info', '--dir', path.basename(ws), '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as WorkspaceSummary).dir).toBe(ws);
  });

  it('refuses to create a workspace where one exists', async () => {
    const r = await cli('workspace', 'create', '--template', 'qionghai', '--dir', ws);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^错误：.*已经有一个工作区/);
  });

  it('names the templates when the template is unknown', async () => {
    const r = await cli('workspace', 'create', '--template', 'nope', '--dir', path.join(root, 'x'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('找不到模板「nope」');
    expect(r.stderr).toContain('qionghai');
    expect(fs.existsSync(path.join(root, 'x'))).toBe(false);
  });
});

describe('cli: tasks list', () => {
  it('finds tasks by text', async () => {
    const rows = await cliJson<Task[]>('tasks', 'list', '--dir', ws, '--search', '双公示');
    expect(rows.length).toBeGreaterThan(0);
    for (const t of rows) {
      expect([t.code, t.title, t.description, t.standard, t.leadDeptName].join(' ')).toContain('双公示');
    }
    const text = await cli('tasks', 'list', '--dir', ws, '--search', '双公示');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('任务名称');
    expect(text.stdout).toContain(`共 ${rows.length} 项`);
  });

  it('filters by department (short name) and status (code or Chinese)', async () => {
    const all = await cliJson<Task[]>('tasks', 'list', '--dir', ws, '--dept', '市发改委');
    expect(all.length).toBeGreaterThan(0);
    const drafts = await cliJson<Task[]>(
      'tasks',
      'list',
      '--dir',
      ws,
      '--dept',
      '市发改委',
      '--status',
      '待下发,issued',
    );
    expect(drafts.length).toBe(all.length); // template tasks all start as drafts
    const none = await cliJson<Task[]>(
      'tasks',
      'list',
      '--dir',
      ws,
      '--dept',
      '市发改委',
      '--status',
      'done',
    );
    expect(none).toEqual([]);
    const text = await cli('tasks', 'list', '--dir', ws, '--status', '已办结');
    expect(text.stdout).toContain('没有符合条件的任务');
  });

  it('says which departments an ambiguous name matches', async () => {
    const r = await cli('tasks', 'list', '--dir', ws, '--dept', '局');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^错误：「局」对应多个单位/);
  });

  it('rejects an unknown status as a usage error', async () => {
    const r = await cli('tasks', 'list', '--dir', ws, '--status', 'later');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--status 的值「later」无效');
    expect(r.stderr).toContain('用法：npm run cli -- tasks list');
  });
});

describe('cli: backup and restore', () => {
  it('round-trips a workspace through a backup file', async () => {
    const file = path.join(root, 'backups', '月末.cwbak');
    const b = await cli('backup', '--dir', ws, '--out', file);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain(file);
    expect(b.stdout).toMatch(/大小：\s*[\d.]+ KB/);
    expect(b.stderr).toContain('备份完成'); // progress on stderr
    expect(fs.statSync(file).size).toBeGreaterThan(1000);

    // the file exists now: no silent overwrite
    const again = await cli('backup', '--dir', ws, '--out', file);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');

    await addTask(ws, 'CLI 往返测试任务');
    expect(await cliJson<Task[]>('tasks', 'list', '--dir', ws, '--search', 'CLI 往返测试')).toHaveLength(1);

    const r = await cli('restore', '--file', file, '--dir', ws);
    expect(r.stderr).toContain('恢复完成');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已从备份恢复工作区');
    expect(await cliJson<Task[]>('tasks', 'list', '--dir', ws, '--search', 'CLI 往返测试')).toHaveLength(0);
    const kept = fs.readdirSync(ws).filter((n) => n.startsWith('.pre-restore-'));
    expect(kept).toHaveLength(1);
    expect(r.stdout).toContain(kept[0]);
  });

  it('writes JSON only (no progress) with --json, into a folder given as --out', async () => {
    const outDir = path.join(root, 'backup-folder');
    fs.mkdirSync(outDir);
    const r = await cli('backup', '--dir', ws, '--out', outDir, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const res = JSON.parse(r.stdout) as BackupResult;
    expect(path.dirname(res.file)).toBe(outDir);
    expect(res.file.endsWith('.cwbak')).toBe(true);
    expect(fs.statSync(res.file).size).toBe(res.bytes);
  });

  it('refuses a corrupt backup and leaves the workspace untouched', async () => {
    const before = await cliJson<WorkspaceSummary>('workspace', 'info', '--dir', ws);
    const good = path.join(root, 'backups', '月末.cwbak');
    const bad = path.join(root, 'corrupt.cwbak');
    const bytes = fs.readFileSync(good);
    bytes.fill(0x5a, 200, bytes.length - 200); // keep the zip header, destroy the content
    fs.writeFileSync(bad, bytes);
    const r = await cli('restore', '--file', bad, '--dir', ws);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/错误：「corrupt\.cwbak」不是有效的工作台备份文件/);
    expect(r.stderr).toContain('当前工作区未做任何改动');

    const random = path.join(root, 'random.cwbak');
    fs.writeFileSync(random, 'not a zip at all');
    const r2 = await cli('restore', '--file', random, '--dir', ws, '--json');
    expect(r2.code).toBe(1);
    expect(JSON.parse(r2.stdout)).toEqual({
      error: { code: 'BACKUP_INVALID', message: expect.stringContaining('不是 zip 格式') },
    });

    const after = await cliJson<WorkspaceSummary>('workspace', 'info', '--dir', ws);
    expect(after.counts).toEqual(before.counts);
    expect(after.id).toBe(before.id);
  });

  it('restores into a folder that has no workspace yet', async () => {
    const target = path.join(root, 'restored', '新电脑');
    const r = await cli(
      'restore',
      '--file',
      path.join(root, 'backups', '月末.cwbak'),
      '--dir',
      target,
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as WorkspaceSummary & {
      replaced: boolean;
      previousContentDir: string | null;
    };
    expect(res).toMatchObject({ dir: target, replaced: false, previousContentDir: null });
    const original = await cliJson<WorkspaceSummary>('workspace', 'info', '--dir', ws);
    const copy = await cliJson<WorkspaceSummary>('workspace', 'info', '--dir', target);
    expect(copy.counts).toEqual(original.counts);
    expect(copy.id).toBe(original.id);
  });

  it('does not restore over a folder whose workspace cannot be opened', async () => {
    const broken = path.join(root, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'workspace.sqlite'), 'garbage, not SQLite');
    const r = await cli('restore', '--file', path.join(root, 'backups', '月末.cwbak'), '--dir', broken);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^错误：.*不是工作区数据库文件.*没有恢复/);
    expect(fs.readFileSync(path.join(broken, 'workspace.sqlite'), 'utf8')).toBe('garbage, not SQLite');
  });
});

describe('cli: errors and exit codes', () => {
  it('unknown command → 2 with the program help', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误：未知命令「frobnicate」/);
    expect(r.stderr).toContain('命令：');
    expect(r.stdout).toBe('');
  });

  it('unknown sub-command and missing sub-command → 2', async () => {
    const r = await cli('workspace', 'explode');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('未知命令「workspace explode」');
    const r2 = await cli('workspace');
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('请指定「workspace」的子命令：create、info');
  });

  it('unknown option → 2', async () => {
    const r = await cli('workspace', 'info', '--dir', ws, '--colour');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('未知选项「--colour」');
  });

  it('missing --dir → 2 with that command help', async () => {
    const r = await cli('workspace', 'info');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误：缺少必填选项 --dir <文件夹>/);
    expect(r.stderr).toContain('用法：npm run cli -- workspace info --dir <文件夹>');
    const r2 = await cli('backup', '--dir');
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('选项「--dir」缺少值');
  });

  it('malformed option values → 2', async () => {
    const r = await createTemplateWorkspace(cli, path.join(root, 'y'), { start: '2027-13' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('月份格式应为 YYYY-MM');
    const r2 = await cli(
      'workspace',
      'create',
      '--template',
      'qionghai',
      '--dir',
      path.join(root, 'y'),
      '--role',
      '老板',
    );
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('可选：项目负责人');
  });

  it('a folder without a workspace → 1 with a Chinese message', async () => {
    const plain = path.join(root, 'plain');
    fs.mkdirSync(plain);
    const r = await cli('workspace', 'info', '--dir', plain);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^错误：文件夹「.*plain」中没有工作区/);
    expect(r.stdout).toBe('');
  });

  it('a folder holding a file that is not a workspace database → 1', async () => {
    const bogus = path.join(root, 'bogus');
    fs.mkdirSync(bogus);
    fs.writeFileSync(path.join(bogus, 'workspace.sqlite'), 'hello');
    const r = await cli('workspace', 'info', '--dir', bogus);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('不是工作区数据库文件');
  });
});

describe('cli: data folder', () => {
  it('follows the desktop app rule per platform', () => {
    expect(defaultDataDir({}, 'linux', '/home/li')).toBe('/home/li/.config/credit-workbench');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/li')).toBe('/cfg/credit-workbench');
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/li')).toBe(
      '/home/li/.config/credit-workbench',
    );
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\li\\AppData\\Roaming' }, 'win32', 'C:\\Users\\li')).toBe(
      'C:\\Users\\li\\AppData\\Roaming\\credit-workbench',
    );
    expect(defaultDataDir({}, 'darwin', '/Users/li')).toBe(
      '/Users/li/Library/Application Support/credit-workbench',
    );
  });

  it('prefers --data-dir, then CWB_DATA_DIR', () => {
    expect(resolveDataDir('d', { CWB_DATA_DIR: '/env' }, '/cwd')).toBe(path.resolve('/cwd', 'd'));
    expect(resolveDataDir(undefined, { CWB_DATA_DIR: '/env' }, '/cwd')).toBe(path.resolve('/env'));
  });

  it('keeps its state in the data folder it was given', () => {
    expect(fs.existsSync(path.join(dataDir, 'app-state.json'))).toBe(true);
  });
});

describe('cli: as a real process', () => {
  const run = (args: string[]) =>
    spawnSync('npx', ['tsx', 'main/cli/index.ts', ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, CWB_DATA_DIR: dataDir },
      timeout: 60_000,
    });

  it('runs through npx tsx with exit codes and JSON on stdout', () => {
    const ok = run(['workspace', 'info', '--dir', ws, '--json']);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const info = JSON.parse(ok.stdout) as WorkspaceSummary;
    expect(info.dir).toBe(ws);
    expect(info.counts.tasks).toBeGreaterThan(30);

    const failed = run(['workspace', 'info', '--dir', root]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^错误：文件夹「.*」中没有工作区/);

    const usage = run(['nonsense']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('未知命令「nonsense」');
  });
});
