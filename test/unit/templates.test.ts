/** The bundled campaign template, its schema, and refusing broken template files. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/util/errors';
import { loadTemplate } from '../../main/core/workspace/templates';
import { Workspace } from '../../main/core/workspace/workspace';
import type { LoadedTemplate } from '../../main/core/workspace/template-schema';
import {
  REPO_ROOT,
  TEMPLATE_DIR,
  call,
  callError,
  copyTemplate,
  coreWithWorkspace,
  editJson,
  isChinese,
  makeCore,
  tempDir,
} from '../helpers/core';

const SEED_FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'seed-000-item7.txt');
/** The original seed (outside the repository; present on the machines this project was built on). */
const SEED_ORIGINAL = path.resolve(REPO_ROOT, '..', 'shared', 'seeds', '000_d104b5580082a0d3.txt');

/** The 12 basic indicators as written in seed item 7: "…全部要求：1. 社会信用体系建设 100%依法；2. …；12. …。" */
function seedBasicIndicators(): string[] {
  const line = fs.readFileSync(SEED_FIXTURE, 'utf8');
  expect(line.startsWith('7\t')).toBe(true);
  const list = line.slice(line.indexOf('全部要求：') + '全部要求：'.length, line.indexOf('。'));
  return list.split('；').map((item, i) => {
    const prefix = `${i + 1}. `;
    expect(item.startsWith(prefix), item).toBe(true);
    return item.slice(prefix.length);
  });
}

function catchTemplateError(dir: string): AppError {
  try {
    loadTemplate(dir);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected TEMPLATE_INVALID, the template loaded');
}

describe('the seed fixture', () => {
  it('holds 12 items', () => {
    expect(seedBasicIndicators()).toHaveLength(12);
    expect(seedBasicIndicators()[0]).toBe('社会信用体系建设 100%依法');
    expect(seedBasicIndicators()[11]).toBe('信用信息系统安全零失误');
  });

  it.runIf(fs.existsSync(SEED_ORIGINAL))('is a verbatim line of the original seed file', () => {
    const original = fs.readFileSync(SEED_ORIGINAL, 'utf8').split(/\r?\n/);
    expect(original).toContain(fs.readFileSync(SEED_FIXTURE, 'utf8').replace(/\r?\n$/, ''));
  });
});

describe('bundled template qionghai', () => {
  const t: LoadedTemplate = loadTemplate(TEMPLATE_DIR);

  it('has at least 35 departments and towns with lead/responsible/cooperating roles', () => {
    expect(t.meta.id).toBe('qionghai');
    expect(t.meta.city).toBe('琼海市');
    expect(t.meta.adminCode).toMatch(/^\d{6}$/);
    expect(t.departments.length).toBeGreaterThanOrEqual(35);
    const kinds = new Set(t.departments.map((d) => d.kind));
    expect(kinds.has('department')).toBe(true);
    expect(kinds.has('town')).toBe(true);
    expect(t.departments.filter((d) => d.kind === 'town').length).toBeGreaterThanOrEqual(12);
    expect(new Set(t.departments.map((d) => d.role))).toEqual(
      new Set(['lead', 'responsible', 'cooperating']),
    );
    expect(new Set(t.departments.map((d) => d.name)).size).toBe(t.departments.length);
  });

  it('has exactly the 12 basic indicators of seed item 7, verbatim and in order', () => {
    const basic = t.indicators.items.filter((i) => i.kind === 'basic');
    expect(basic.map((i) => i.title)).toEqual(seedBasicIndicators());
    for (const i of basic) expect(i.standard?.length ?? 0).toBeGreaterThan(10);
  });

  it('has at least 30 tasks, each with a standard, a due month, a lead; ≥ 30 linked to indicators', () => {
    expect(t.tasks.length).toBeGreaterThanOrEqual(30);
    const deptKeys = new Set(t.departments.map((d) => d.key));
    for (const task of t.tasks) {
      expect(task.standard.trim().length, task.code).toBeGreaterThan(5);
      expect(task.dueMonth, task.code).toBeGreaterThanOrEqual(1);
      expect(task.dueMonth, task.code).toBeLessThanOrEqual(t.meta.periodMonths);
      expect(deptKeys.has(task.lead), task.code).toBe(true);
    }
    expect(t.tasks.filter((x) => x.indicators.length > 0).length).toBeGreaterThanOrEqual(30);
    // every basic indicator has at least one task working on it
    for (const i of t.indicators.items.filter((x) => x.kind === 'basic')) {
      expect(
        t.tasks.some((x) => x.indicators.includes(i.key)),
        i.title,
      ).toBe(true);
    }
  });

  it('is listed by workspace.templates with its counts', async () => {
    const { core } = makeCore();
    const list = await call(core, 'workspace.templates', {});
    const q = list.find((x) => x.id === 'qionghai')!;
    expect(q).toMatchObject({
      name: t.meta.name,
      city: '琼海市',
      counts: {
        departments: t.departments.length,
        indicators: t.indicators.items.length,
        tasks: t.tasks.length,
      },
    });
  });

  it('a workspace created from it shows the real content: departments, indicators, linked tasks with due dates', async () => {
    const { core } = await coreWithWorkspace();
    const summary = (await call(core, 'app.info', {})).workspace!;
    expect(summary.counts).toEqual({
      departments: t.departments.length,
      tasks: t.tasks.length,
      indicators: t.indicators.items.length,
      staff: 3,
    });
    const settings = await call(core, 'workspace.settings', {});
    expect(settings).toMatchObject({
      city: '琼海市',
      adminCode: t.meta.adminCode,
      campaignName: t.meta.campaignName,
      periodStart: '2027-01-01',
      periodEnd: '2027-12-31',
      rankingTarget: t.meta.rankingTarget,
      indicatorVersion: t.indicators.version,
      templateId: 'qionghai',
    });

    const depts = await call(core, 'departments.list', {});
    expect(depts.length).toBeGreaterThanOrEqual(35);
    expect(depts.map((d) => d.name)).toEqual(t.departments.map((d) => d.name));

    const inds = await call(core, 'indicators.list', {});
    expect(inds.filter((i) => i.kind === 'basic').map((i) => i.title)).toEqual(seedBasicIndicators());

    const tasks = (await call(core, 'tasks.list', {})).rows;
    expect(tasks.length).toBe(t.tasks.length);
    const byCode = new Map(tasks.map((x) => [x.code, x]));
    const deptName = new Map(t.departments.map((d) => [d.key, d.name]));
    const deptId = new Map(depts.map((d) => [d.name, d.id]));
    const indId = new Map(inds.map((i) => [i.code, i.id]));
    const indCode = new Map(t.indicators.items.map((i) => [i.key, i.code]));
    for (const src of t.tasks) {
      const task = byCode.get(src.code)!;
      expect(task, src.code).toBeDefined();
      expect(task.standard).toBe(src.standard);
      expect(task.leadDeptName).toBe(deptName.get(src.lead));
      // due at the end of month N of the campaign; a recurring one is a series starting that month
      const month = 1 + ((src.dueMonth - 1) % 12);
      const mm = String(month).padStart(2, '0');
      if (src.recurrence === 'none') {
        expect(task.kind).toBe('task');
        const last = new Date(Date.UTC(2027, month, 0)).getUTCDate();
        expect(task.dueDate).toBe(`2027-${mm}-${String(last).padStart(2, '0')}`);
      } else {
        expect([task.kind, task.recurrence, task.dueDate, task.recurStart]).toEqual([
          'series',
          src.recurrence,
          null,
          `2027-${mm}-01`,
        ]);
      }
      expect([...task.coopDeptIds].sort()).toEqual(
        src.coop
          .filter((k) => k !== src.lead)
          .map((k) => deptId.get(deptName.get(k)!)!)
          .sort(),
      );
      expect([...task.indicatorIds].sort()).toEqual(
        src.indicators.map((k) => indId.get(indCode.get(k)!)!).sort(),
      );
    }
    expect(tasks.filter((x) => x.indicatorIds.length > 0).length).toBeGreaterThanOrEqual(30);
    expect(inds.filter((i) => i.kind === 'basic').every((i) => i.taskCount > 0)).toBe(true);
  });
});

describe('a broken template', () => {
  it('tasks.json item 3 with dueMonth "abc": TEMPLATE_INVALID naming the file, the item and the field', () => {
    const { dir } = copyTemplate();
    editJson<Record<string, unknown>[]>(path.join(dir, 'tasks.json'), (tasks) => {
      tasks[2]!.dueMonth = 'abc';
    });
    const err = catchTemplateError(dir);
    expect(err.code).toBe('TEMPLATE_INVALID');
    expect(err.message).toContain('tasks.json');
    expect(err.message).toContain('第 3 项');
    expect(err.message).toContain('RW-003');
    expect(err.message).toContain('字段「dueMonth」');
    expect(isChinese(err.message)).toBe(true);
    expect(err.details).toMatchObject({ file: path.join(dir, 'tasks.json'), path: ['2', 'dueMonth'] });
  });

  const cases: { what: string; file: string; edit: (data: never) => void; expected: (string | RegExp)[] }[] =
    [
      {
        what: 'an unknown lead key',
        file: 'tasks.json',
        edit: (tasks: Record<string, unknown>[]) => {
          tasks[4]!.lead = 'no-such-dept';
        },
        expected: ['tasks.json', '第 5 项', '字段「lead」', 'no-such-dept'],
      },
      {
        what: 'an unknown cooperating key',
        file: 'tasks.json',
        edit: (tasks: Record<string, unknown>[]) => {
          tasks[0]!.coop = ['ghost'];
        },
        expected: ['tasks.json', '第 1 项', '字段「coop」', 'ghost'],
      },
      {
        what: 'an unknown indicator key',
        file: 'tasks.json',
        edit: (tasks: Record<string, unknown>[]) => {
          tasks[1]!.indicators = ['b99'];
        },
        expected: ['tasks.json', '第 2 项', '字段「indicators」', 'b99'],
      },
      {
        what: 'a due month beyond the campaign period',
        file: 'tasks.json',
        edit: (tasks: Record<string, unknown>[]) => {
          tasks[0]!.dueMonth = 13;
        },
        expected: ['tasks.json', '第 1 项', '字段「dueMonth」', '超出创建周期'],
      },
      {
        what: 'a duplicate task code',
        file: 'tasks.json',
        edit: (tasks: Record<string, unknown>[]) => {
          tasks[1]!.code = tasks[0]!.code;
        },
        expected: ['tasks.json', '第 2 项', '字段「code」', '重复'],
      },
      {
        what: 'a task without its completion standard',
        file: 'tasks.json',
        edit: (tasks: Record<string, unknown>[]) => {
          delete tasks[6]!.standard;
        },
        expected: ['tasks.json', '第 7 项', '字段「standard」'],
      },
      {
        what: 'a department without a name',
        file: 'departments.json',
        edit: (depts: Record<string, unknown>[]) => {
          depts[4]!.name = '';
        },
        expected: ['departments.json', '第 5 项', '字段「name」', '不能为空'],
      },
      {
        what: 'a department with an unknown role',
        file: 'departments.json',
        edit: (depts: Record<string, unknown>[]) => {
          depts[0]!.role = 'boss';
        },
        expected: ['departments.json', '第 1 项', '字段「role」'],
      },
      {
        what: 'a duplicate department key',
        file: 'departments.json',
        edit: (depts: Record<string, unknown>[]) => {
          depts[3]!.key = depts[2]!.key;
        },
        expected: ['departments.json', '第 4 项', '字段「key」', '重复'],
      },
      {
        what: 'an indicator with an unknown kind',
        file: 'indicators.json',
        edit: (ind: { items: Record<string, unknown>[] }) => {
          ind.items[1]!.kind = 'weird';
        },
        expected: ['indicators.json', '字段「items」', '第 2 项', '字段「kind」'],
      },
      {
        what: 'an indicator whose parent comes later',
        file: 'indicators.json',
        edit: (ind: { items: Record<string, unknown>[] }) => {
          ind.items[0]!.parent = ind.items[1]!.key;
        },
        expected: ['indicators.json', '第 1 项', '字段「parent」'],
      },
      {
        what: 'template.json with a bad administrative code',
        file: 'template.json',
        edit: (meta: Record<string, unknown>) => {
          meta.adminCode = '4690';
        },
        expected: ['template.json', '字段「adminCode」', '6 位数字'],
      },
    ];

  for (const c of cases) {
    it(`${c.what}: TEMPLATE_INVALID naming ${c.file} and the field`, () => {
      const { dir } = copyTemplate();
      editJson(path.join(dir, c.file), c.edit as (d: unknown) => void);
      const err = catchTemplateError(dir);
      expect(err.code).toBe('TEMPLATE_INVALID');
      for (const e of c.expected) {
        if (typeof e === 'string') expect(err.message).toContain(e);
        else expect(err.message).toMatch(e);
      }
    });
  }

  it('invalid JSON: TEMPLATE_INVALID naming the file', () => {
    const { dir } = copyTemplate();
    const file = path.join(dir, 'tasks.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"RW-001",', '"RW-001"'));
    const err = catchTemplateError(dir);
    expect(err.code).toBe('TEMPLATE_INVALID');
    expect(err.message).toMatch(/模板文件 tasks\.json 不是有效的 JSON/);
  });

  it('a missing file: TEMPLATE_INVALID naming it', () => {
    const { dir } = copyTemplate();
    fs.rmSync(path.join(dir, 'indicators.json'));
    const err = catchTemplateError(dir);
    expect(err.message).toBe('模板文件 indicators.json 文件不存在。');
  });

  it('workspace.create with it fails with TEMPLATE_INVALID and leaves no workspace folder', async () => {
    const { resourcesDir, dir } = copyTemplate();
    editJson<Record<string, unknown>[]>(path.join(dir, 'tasks.json'), (tasks) => {
      tasks[2]!.dueMonth = 'abc';
    });
    const { core, dataDir } = makeCore({ resourcesDir });
    const input = {
      name: '坏模板',
      templateId: 'qionghai',
      me: { name: '李明', role: '项目负责人' as const },
    };
    const err = await callError(core, 'workspace.create', input, 'TEMPLATE_INVALID');
    expect(err.message).toContain('tasks.json');
    expect(err.message).toContain('dueMonth');
    const wsRoot = path.join(dataDir, 'workspaces');
    expect(fs.existsSync(wsRoot) ? fs.readdirSync(wsRoot) : []).toEqual([]);

    // with an explicit folder: a new one is not left behind, an existing one is left empty
    const fresh = path.join(tempDir(), 'new-ws');
    await callError(core, 'workspace.create', { ...input, dir: fresh }, 'TEMPLATE_INVALID');
    expect(fs.existsSync(fresh)).toBe(false);
    const existing = tempDir();
    await callError(core, 'workspace.create', { ...input, dir: existing }, 'TEMPLATE_INVALID');
    expect(fs.readdirSync(existing)).toEqual([]);

    expect(core.workspace).toBeNull();
    expect(await call(core, 'workspace.recent', {})).toEqual([]);
    // the broken template is still listed (so the UI can show it), and nothing crashes
    const list = await call(core, 'workspace.templates', {});
    expect(list.map((x) => x.id)).toContain('qionghai');
  });

  it('workspace.create with an unknown or path-like template id: NOT_FOUND', async () => {
    const { core } = makeCore();
    const me = { name: '李明', role: '项目负责人' as const };
    for (const templateId of ['nope', '../templates/qionghai', '..', '/etc']) {
      const err = await callError(core, 'workspace.create', { name: 'x', templateId, me }, 'NOT_FOUND');
      expect(err.message).toContain('找不到模板');
    }
  });

  it('Workspace.create releases the database file when seeding fails midway', () => {
    const t = loadTemplate(TEMPLATE_DIR);
    // passes the loader but violates a database constraint while seeding
    const broken: LoadedTemplate = {
      ...t,
      indicators: {
        ...t.indicators,
        items: t.indicators.items.map((i, n) => (n === 5 ? { ...i, kind: 'weird' as never } : i)),
      },
    };
    const dir = path.join(tempDir(), 'ws');
    const init = {
      name: 'x',
      city: 'y',
      adminCode: '469002',
      campaignName: 'z',
      periodStart: '2027-01-01',
      periodEnd: '2027-12-31',
      rankingTarget: 50,
      indicatorVersion: '2021',
      templateId: 'qionghai',
      me: { name: '李明', role: '项目负责人' as const },
      colleagues: [],
    };
    expect(() => Workspace.create(dir, init, broken)).toThrow(/CHECK/);
    // no file handle left open on the half-made database (Windows could not delete the folder otherwise)
    if (fs.existsSync('/proc/self/fd')) {
      const open = fs
        .readdirSync('/proc/self/fd')
        .map((fd) => {
          try {
            return fs.readlinkSync(`/proc/self/fd/${fd}`);
          } catch {
            return '';
          }
        })
        .filter((p) => p.startsWith(dir));
      expect(open).toEqual([]);
    }
    fs.rmSync(dir, { recursive: true });
    expect(fs.existsSync(dir)).toBe(false);
  });
});
