/** The command contract: every error envelope, nothing written on refusal, outputs match their schemas. */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES, type Core, type CoreContext } from '../../main/core/core';
import {
  commandNames,
  commands,
  ERROR_CODES,
  events,
  type CommandName,
  type Input,
  type Result,
} from '../../main/core/contract/index';
import { buildHandlers } from '../../main/core/handlers';
import { startSyncServer } from '../helpers/sync';
import {
  call,
  callError,
  coreWithWorkspace,
  countRows,
  expectError,
  isChinese,
  makeCore,
  tempDir,
  writeCounts,
} from '../helpers/core';

/** invoke with arguments the static types would refuse (as a buggy or hostile renderer could send). */
function rawInvoke(core: Core, name: unknown, input: unknown): Promise<Result<unknown>> {
  return (core.invoke as (n: unknown, i: unknown) => Promise<Result<unknown>>)(name, input);
}

/** A monitoring-results workbook (月份 | 综合得分 | 排名 | 参评城市数) for monitoring.import. */
async function writeMonitoringXlsx(file: string, rows: (string | number)[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('监测结果');
  sheet.addRow(['月份', '综合得分', '排名', '参评城市数']);
  for (const r of rows) sheet.addRow(r);
  fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
}

async function firstTask(core: Core) {
  return (await call(core, 'tasks.list', { limit: 1 })).rows[0]!;
}

describe('unknown commands', () => {
  it('return UNKNOWN_COMMAND with a Chinese message naming the command', async () => {
    const { core } = await coreWithWorkspace();
    const before = writeCounts(core);
    for (const name of [
      'tasks.nope',
      '',
      'TASKS.LIST',
      'tasks.list ',
      'toString',
      '__proto__',
      'constructor',
      'hasOwnProperty',
    ]) {
      const err = expectError(await rawInvoke(core, name, {}), 'UNKNOWN_COMMAND');
      expect(err.message).toContain('未知命令');
      expect(err.message).toContain(`「${name}」`);
    }
    expect(writeCounts(core)).toEqual(before);
  });

  it('non-string names are refused, never thrown', async () => {
    const { core } = makeCore();
    for (const name of [
      undefined,
      null,
      42,
      {},
      ['tasks.list'],
      Symbol('tasks.list'),
      () => 'tasks.list',
      true,
    ]) {
      const r = await rawInvoke(core, name, {});
      expectError(r, 'UNKNOWN_COMMAND');
    }
  });
});

describe('bad input', () => {
  const cases: { what: string; input: Record<string, unknown>; field: string; text?: RegExp }[] = [
    { what: 'title is a number', input: { title: 123 }, field: 'title' },
    { what: 'title is empty', input: { title: '   ' }, field: 'title', text: /请填写任务名称/ },
    {
      what: 'dueDate month 13',
      input: { title: '任务', dueDate: '2027-13-45' },
      field: 'dueDate',
      text: /不是有效日期/,
    },
    {
      what: 'dueDate 30 February',
      input: { title: '任务', dueDate: '2027-02-30' },
      field: 'dueDate',
      text: /不是有效日期/,
    },
    {
      what: 'dueDate wrong format',
      input: { title: '任务', dueDate: '2027/01/05' },
      field: 'dueDate',
      text: /YYYY-MM-DD/,
    },
    {
      what: 'progress 150',
      input: { title: '任务', progress: 150 },
      field: 'progress',
      text: /进度不能超过 100/,
    },
    {
      what: 'progress -1',
      input: { title: '任务', progress: -1 },
      field: 'progress',
      text: /进度不能小于 0/,
    },
    { what: 'progress not an integer', input: { title: '任务', progress: 12.5 }, field: 'progress' },
    { what: 'unknown priority', input: { title: '任务', priority: 'finished' }, field: 'priority' },
    { what: 'unknown recurrence', input: { title: '任务', recurrence: 'daily' }, field: 'recurrence' },
    {
      what: 'lead is not an id',
      input: { title: '任务', leadDeptId: 'fgw' },
      field: 'leadDeptId',
      text: /ID 格式不正确/,
    },
    { what: 'coop ids not an array', input: { title: '任务', coopDeptIds: 'x' }, field: 'coopDeptIds' },
    {
      what: 'title too long',
      input: { title: '长'.repeat(201) },
      field: 'title',
      text: /不能超过 200 个字符/,
    },
  ];

  for (const c of cases) {
    it(`tasks.create, ${c.what}: BAD_INPUT naming the field, nothing written`, async () => {
      const { core } = await coreWithWorkspace();
      const before = writeCounts(core);
      const err = expectError(await rawInvoke(core, 'tasks.create', c.input), 'BAD_INPUT');
      expect(err.message).toContain(`字段「${c.field}」`);
      expect(isChinese(err.message)).toBe(true);
      if (c.text) expect(err.message).toMatch(c.text);
      expect(writeCounts(core)).toEqual(before);
    });
  }

  it('tasks.update with a bad patch is refused and the task is unchanged', async () => {
    const { core } = await coreWithWorkspace();
    const task = await firstTask(core);
    const before = writeCounts(core);
    const err = expectError(
      await rawInvoke(core, 'tasks.update', { id: task.id, patch: { title: '新名称', progress: 150 } }),
      'BAD_INPUT',
    );
    expect(err.message).toContain('字段「patch.progress」');
    expect(writeCounts(core)).toEqual(before);
    expect((await call(core, 'tasks.get', { id: task.id })).title).toBe(task.title);
  });

  it('inputs of the wrong shape (null, number, array, string) give BAD_INPUT, not a crash', async () => {
    const { core } = await coreWithWorkspace();
    const before = writeCounts(core);
    for (const input of [42, 'text', [], [1, 2], true]) {
      const err = expectError(await rawInvoke(core, 'tasks.create', input), 'BAD_INPUT');
      expect(isChinese(err.message)).toBe(true);
    }
    // null/undefined count as "no arguments": fine for commands without arguments, refused otherwise
    expect((await rawInvoke(core, 'app.info', null)).ok).toBe(true);
    expect((await rawInvoke(core, 'app.info', undefined)).ok).toBe(true);
    expectError(await rawInvoke(core, 'tasks.create', null), 'BAD_INPUT');
    expectError(await rawInvoke(core, 'tasks.create', undefined), 'BAD_INPUT');
    // commands without arguments refuse unexpected keys
    expectError(await rawInvoke(core, 'app.info', { surprise: 1 }), 'BAD_INPUT');
    expect(writeCounts(core)).toEqual(before);
  });

  it('unserializable input (cyclic object, BigInt) gives BAD_INPUT', async () => {
    const { core } = await coreWithWorkspace();
    const cyclic: Record<string, unknown> = { title: '循环' };
    cyclic.self = cyclic;
    const before = writeCounts(core);
    expect(expectError(await rawInvoke(core, 'tasks.create', cyclic), 'BAD_INPUT').message).toContain(
      '无法序列化',
    );
    expectError(await rawInvoke(core, 'tasks.create', { title: 'x', progress: 10n }), 'BAD_INPUT');
    expect(writeCounts(core)).toEqual(before);
  });
});

describe('payload size', () => {
  it('an input over 8 MB gives PAYLOAD_TOO_LARGE and writes nothing', async () => {
    const { core } = await coreWithWorkspace();
    const before = writeCounts(core);
    const big = 'x'.repeat(MAX_INPUT_BYTES + 1);
    expect(MAX_INPUT_BYTES).toBe(8 * 1024 * 1024);
    const err = expectError(
      await rawInvoke(core, 'tasks.create', { title: '大', description: big }),
      'PAYLOAD_TOO_LARGE',
    );
    expect(err.message).toContain('8 MB');
    expect(isChinese(err.message)).toBe(true);
    // also for a command that would otherwise ignore it
    expectError(await rawInvoke(core, 'tasks.list', { search: big }), 'PAYLOAD_TOO_LARGE');
    expect(writeCounts(core)).toEqual(before);
  });

  it('just under the limit is checked by the schema instead (BAD_INPUT for a too-long field)', async () => {
    const { core } = await coreWithWorkspace();
    const before = writeCounts(core);
    const err = expectError(
      await rawInvoke(core, 'tasks.create', { title: '大', description: 'y'.repeat(1024 * 1024) }),
      'BAD_INPUT',
    );
    expect(err.message).toContain('字段「description」');
    expect(writeCounts(core)).toEqual(before);
  });
});

describe('no workspace open', () => {
  it('commands that need a workspace return NO_WORKSPACE; nothing is written', async () => {
    const { core } = await coreWithWorkspace();
    const dir = core.workspace!.dir;
    const before = writeCounts(core);
    await call(core, 'workspace.close', {});
    expect(core.workspace).toBeNull();

    const needWs: [CommandName, unknown][] = [
      ['tasks.create', { title: '不应写入' }],
      ['tasks.list', {}],
      ['departments.create', { name: '不应写入的单位' }],
      ['staff.create', { name: '不应写入', role: '其他' }],
      ['workspace.updateSettings', { name: 'x' }],
      ['workspace.rename', { name: 'x' }],
      ['workspace.backup', {}],
      ['audit.list', {}],
    ];
    for (const [name, input] of needWs) {
      const err = expectError(await rawInvoke(core, name, input), 'NO_WORKSPACE');
      expect(err.message).toContain('尚未打开工作区');
    }
    // commands that do not need one still work
    expect((await call(core, 'app.info', {})).workspace).toBeNull();
    expect((await call(core, 'workspace.templates', {})).length).toBeGreaterThan(0);

    await call(core, 'workspace.open', { dir });
    expect(writeCounts(core)).toEqual(before);
  });
});

describe('invoke never throws', () => {
  it('for every command and a set of hostile inputs, it resolves to a well-formed envelope', async () => {
    const { core } = await coreWithWorkspace();
    const cyclic: Record<string, unknown> = {};
    cyclic.a = cyclic;
    const inputs: unknown[] = [
      undefined,
      null,
      0,
      42,
      'text',
      [],
      [null],
      { bogus: true },
      cyclic,
      10n,
      { id: '../../etc' },
    ];
    for (const name of commandNames) {
      if (name === 'workspace.close') continue; // valid with {}: covered elsewhere
      for (const input of inputs) {
        let r: Result<unknown>;
        try {
          r = await rawInvoke(core, name, input);
        } catch (e) {
          throw new Error(`invoke(${name}, ${String(input)}) threw: ${String(e)}`, { cause: e });
        }
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) {
          expect(ERROR_CODES).toContain(r.error.code);
          expect(r.error.code, `${name} ${String(input)}: ${r.error.message}`).not.toBe('INTERNAL');
          expect(isChinese(r.error.message)).toBe(true);
        }
      }
    }
    // and the workspace is still fine
    expect((await call(core, 'tasks.list', {})).total).toBeGreaterThan(0);
  });
});

describe('every contract command has a handler', () => {
  it('the handler map has exactly the contract command names', () => {
    const handlers = buildHandlers({ resourcesDir: tempDir() } as unknown as CoreContext, () => {});
    expect(Object.keys(handlers).sort()).toEqual([...commandNames].sort());
  });

  it('invoking each command name never returns UNKNOWN_COMMAND (nor INTERNAL)', async () => {
    const { core } = await coreWithWorkspace();
    for (const name of commandNames) {
      const r = await rawInvoke(core, name, {});
      if (!r.ok) {
        expect(r.error.code, name).not.toBe('UNKNOWN_COMMAND');
        expect(r.error.code, `${name}: ${r.error.message}`).not.toBe('INTERNAL');
      }
    }
  });
});

describe('outputs match the contract', () => {
  it('every command, called with valid input, returns a value its output schema accepts', async () => {
    const picked = path.join(tempDir(), 'picked.cwbak');
    const { core, dataDir } = await coreWithWorkspace({
      platform: { pickPath: async () => picked, openPath: async () => {} },
    });
    const covered = new Set<CommandName>();
    const check = async <N extends CommandName>(name: N, input: Input<N>) => {
      const value = await call(core, name, input);
      const parsed = commands[name].output.safeParse(value);
      if (!parsed.success)
        throw new Error(`${name} output does not match its schema: ${parsed.error.message}`);
      covered.add(name);
      return value;
    };
    const ws = core.workspace!;
    await check('app.info', {});
    await check('system.pickPath', { mode: 'save-file' });
    await check('workspace.templates', {});
    await check('workspace.recent', {});
    await check('workspace.settings', {});
    await check('workspace.updateSettings', { rankingTarget: 40 });
    await check('workspace.rename', { name: '改名后的工作区' });
    const staff = await check('staff.list', {});
    const st = await check('staff.create', { name: '赵六', role: '协作顾问' });
    await check('staff.update', { id: st.id, patch: { phone: '13800000000' } });
    await check('staff.setMe', { id: staff.meId! });
    const dept = await check('departments.create', { name: '测试单位', kind: 'town' });
    await check('departments.update', { id: dept.id, patch: { shortName: '测试' } });
    await check('departments.archive', { id: dept.id, archived: true });
    await check('departments.list', { includeArchived: true });
    await check('departments.export', { includeArchived: true });
    await check('departments.archive', { id: dept.id, archived: false });
    const inds = await check('indicators.list', {});
    const task = await check('tasks.create', {
      title: '新任务',
      leadDeptId: dept.id,
      indicatorIds: [inds[0]!.id],
      dueDate: '2027-06-30',
    });
    await check('tasks.get', { id: task.id });
    await check('tasks.update', { id: task.id, patch: { progress: 10 } });
    await check('tasks.transition', { ids: [task.id], action: 'issue' });
    await check('tasks.list', { statuses: ['issued'] });
    // supervision
    await check('tasks.transition', { ids: [task.id], action: 'sign' });
    await check('tasks.steps', { taskId: task.id });
    const draft = await call(core, 'tasks.create', { title: '分发任务', dueDate: '2027-06-30' });
    await check('tasks.dispatch', { id: draft.id, deptIds: [dept.id] });
    const evidence = path.join(tempDir(), '签到表.png');
    fs.writeFileSync(evidence, 'png');
    const fb = await check('feedback.add', {
      taskId: task.id,
      text: '已部署',
      progress: 20,
      files: [{ path: evidence }],
    });
    await check('feedback.list', { taskId: task.id });
    const up = await check('attachments.upload', {
      uploadId: null,
      data: Buffer.from('pdf').toString('base64'),
    });
    const att = await check('attachments.add', {
      ownerType: 'task',
      ownerId: task.id,
      file: { uploadId: up.uploadId, name: '方案.pdf' },
    });
    await check('attachments.list', { ownerType: 'task', ownerId: task.id });
    await check('attachments.read', { id: fb.attachments[0]!.id });
    await check('attachments.open', { id: att.id });
    await check('attachments.remove', { id: att.id });
    await check('lights.rules', {});
    await check('lights.updateRules', { yellowDays: 5, staleDays: 10 });
    await check('league.table', { from: '2027-01-01', to: '2027-12-31' });
    await check('league.export', { query: { from: '2027-01-01', to: '2027-12-31' } });
    await check('dashboard.summary', {});
    const wk = await check('dispatch.freeze', {});
    await check('dispatch.weeks', {});
    await check('dispatch.compare', { week: wk.week });
    await check('dispatch.report', { week: wk.week });
    await check('dispatch.deptReport', { week: wk.week, deptId: dept.id });
    const rect = await check('rect.create', {
      source: 'review_panel',
      problem: '问题',
      deptId: dept.id,
      clarification: '说明',
    });
    await check('rect.get', { id: rect.id });
    await check('rect.update', { id: rect.id, patch: { measures: '措施' } });
    await check('rect.transition', { id: rect.id, action: 'start' });
    await check('rect.list', {});
    const rx = await check('rect.export', { filter: {} });
    await check('rect.clarificationReport', { ids: [rect.id] });
    await check('rect.delete', { id: rect.id });
    const tx = await check('tasks.export', { filter: {} });
    await check('exports.read', { file: tx.file });
    await check('exports.open', { file: rx.file });
    // import: a tiny workbook made here
    const { writeWorkbook } = await import('../../main/core/export/xlsx');
    const book = path.join(tempDir(), '任务清单.xlsx');
    fs.writeFileSync(
      book,
      await writeWorkbook({
        sheets: [
          {
            name: 'Sheet1',
            columns: [
              { key: 'title', header: '任务名称' },
              { key: 'lead', header: '牵头单位' },
              { key: 'due', header: '完成时限' },
            ],
            rows: [{ cells: { title: '导入的任务', lead: '测试单位', due: '2027年6月30日' } }],
          },
        ],
      }),
    );
    const preview = await check('tasks.importPreview', { path: book });
    await check('tasks.importCommit', { token: preview.token });
    // materials and their documents
    await check('indicators.update', {
      id: inds[0]!.id,
      patch: { status: 'met', selfScore: 1.5, narrative: '已建立制度。' },
    });
    await check('materials.templates', {});
    const mat = await check('materials.create', {
      title: '实施方案',
      type: 'implementation_plan',
      templateId: null,
      indicatorIds: [inds[0]!.id],
      taskIds: [task.id],
    });
    await check('materials.get', { id: mat.id });
    await check('materials.update', { id: mat.id, patch: { tags: ['方案'] } });
    await check('materials.transition', { id: mat.id, action: 'submit' });
    await check('materials.list', { search: '方案' });
    const loadedDoc = await check('docs.load', { docId: mat.id });
    {
      const Y = await import('yjs');
      const { FRAGMENT } = await import('../../main/core/docs/pm');
      const d = new Y.Doc();
      Y.applyUpdate(d, Buffer.from(loadedDoc.update, 'base64'));
      const sv = Y.encodeStateVector(d);
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('第一段。')]);
      d.getXmlFragment(FRAGMENT).insert(0, [p]);
      await check('docs.push', {
        docId: mat.id,
        update: Buffer.from(Y.encodeStateAsUpdate(d, sv)).toString('base64'),
      });
    }
    await check('docs.json', { docId: mat.id });
    const ver = await check('docs.saveVersion', { docId: mat.id, name: '初稿' });
    await check('docs.versions', { docId: mat.id });
    await check('docs.versionJson', { versionId: ver.id });
    await check('docs.restoreVersion', { versionId: ver.id });
    const png = path.join(tempDir(), '现场照片.png');
    // 1×1 transparent PNG
    fs.writeFileSync(
      png,
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
        'base64',
      ),
    );
    const img = await check('docs.putImage', { path: png, name: '现场照片.png' });
    expect(img).toMatchObject({ width: 1, height: 1 });
    await check('docs.image', { sha256: img.sha256 });
    // documents out: a material, the 自评报告, the 评审材料汇编
    await check('materials.export', { id: mat.id });
    await check('reports.selfAssessment', {});
    await check('reports.compile', { indicatorIds: [inds[0]!.id] });
    // indicator system: detail, owners, evidence, readiness, versions, xlsx (issue 5, part A)
    await check('indicators.get', { id: inds[0]!.id });
    await check('indicators.update', {
      id: inds[0]!.id,
      patch: { ownerDeptIds: [dept.id], standard: '标准' },
    });
    const evi = await check('evidence.add', {
      indicatorId: inds[0]!.id,
      title: '会议纪要',
      materialIds: [mat.id],
    });
    await check('evidence.update', { id: evi.id, patch: { note: '领导小组会议', sort: 5 } });
    await check('evidence.remove', { id: evi.id });
    await check('indicators.readiness', {});
    const sysXlsx = await check('indicators.exportSystem', { file: path.join(tempDir(), '指标体系.xlsx') });
    await check('indicators.importSystem', { file: { path: sysXlsx.file }, makeCurrent: false });
    await check('indicators.useSystem', { version: '2021' });
    await check('indicators.systems', {});
    // monitoring results, weak points, tracked metrics, ranking analysis (issue 5, part B)
    await check('metrics.set', { metric: 'commitments', month: '2027-01', value: 90, base: 100 });
    await check('metrics.set', { metric: 'repair_rate', month: '2027-01', value: 80 });
    await check('metrics.setTarget', { metric: 'repair_rate', target: 85 });
    await check('metrics.list', {});
    await check('metrics.remove', { metric: 'repair_rate', month: '2027-01' });
    const monthDims = (a: number) => ({
      incentive: a,
      system: a - 5,
      culture: 78,
      service: 82,
      environment: 90,
    });
    for (const [month, rank, a] of [
      ['2027-01', 60, 87],
      ['2027-02', 50, 86],
      ['2027-03', 45, 85],
    ] as const)
      await check('monitoring.save', { month, score: 85, rank, total: 400, dims: monthDims(a) });
    const mon = await check('monitoring.overview', {});
    expect(mon.weakPoints.length).toBeGreaterThan(0);
    const wp = mon.weakPoints[0]!;
    await check('monitoring.acceptWeakPoint', {
      month: wp.month,
      dimension: wp.dimension,
      problem: wp.proposal.problem,
      task: { title: wp.proposal.taskTitle, standard: wp.proposal.taskStandard },
    });
    const other = mon.weakPoints[1]!;
    await check('monitoring.dismissWeakPoint', { month: other.month, dimension: other.dimension });
    const monXlsx = path.join(tempDir(), '监测结果.xlsx');
    await writeMonitoringXlsx(monXlsx, [['2027-04', 85.5, 44, 400]]);
    await check('monitoring.import', { file: { path: monXlsx } });
    await check('monitoring.improvementPlan', { month: '2027-03' });
    await check('reports.rankingAnalysis', {
      quarter: '2027-Q1',
      file: path.join(tempDir(), '排名分析.docx'),
    });
    await check('monitoring.remove', { month: '2027-04' });
    // campaign summary and the briefing deck (issue 5, part C)
    await check('dashboard.campaign', {});
    const deck = await check('briefing.export', {
      from: '2027-01',
      to: '2027-03',
      sections: ['overview', 'ranking', 'risks'],
      file: path.join(tempDir(), '汇报PPT.pptx'),
    });
    expect(deck.charts).toBeGreaterThan(0);
    const tpl = await check('materials.saveTemplate', { materialId: mat.id, name: '我的方案模板' });
    await check('materials.deleteTemplate', { id: tpl.id });
    await check('materials.delete', { id: mat.id });
    await check('tasks.delete', { id: task.id });
    await check('audit.list', { entityId: task.id });
    const backup = await check('workspace.backup', {});
    expect(fs.existsSync(backup.file)).toBe(true);
    await check('workspace.restore', { file: backup.file });
    const imported = await check('workspace.importBackup', {
      file: backup.file,
      dir: path.join(dataDir, 'imported'),
    });
    expect(imported.dir).toBe(path.join(dataDir, 'imported'));
    await check('workspace.open', { dir: ws.dir });
    const dir = core.workspace!.dir;
    expect(dir).toBe(ws.dir);
    await check('workspace.close', {});
    await check('workspace.open', { dir });
    // data compliance (issue 7): rule sets, preview → check → run, error workbook, overview.
    // After the backup/restore above: a backup holding an .xlsx blob does not restore yet
    // (workspace/backup.ts streams blobs as stored zip entries; fflate's Unzip misreads a nested zip).
    const ruleSets = await check('compliance.ruleSets', { all: true });
    const xzcfSet = ruleSets.find((s) => s.code === 'xzcf')!;
    const xzcfFull = await check('compliance.ruleSet', { id: xzcfSet.id });
    const ownSet = await check('compliance.saveRuleSet', {
      definition: { ...xzcfFull.definition, code: 'xzcf_local', name: '行政处罚（本地）' },
    });
    const ruleJson = await check('compliance.exportRuleSet', {
      id: ownSet.id,
      file: path.join(tempDir(), '规则集.json'),
    });
    await check('compliance.importRuleSet', { file: { path: ruleJson.file } });
    await check('compliance.removeRuleSet', { id: ownSet.id });
    const { writeXlsx } = await import('../helpers/compliance-files');
    const { PENALTY_HEADERS, injectDefects, rng, validPenaltyRow } =
      await import('../helpers/compliance-rows');
    const rand = rng(5);
    const penaltyRows = Array.from({ length: 20 }, (_, i) => validPenaltyRow(rand, i));
    injectDefects(penaltyRows, rand, { kinds: ['required'] });
    const dataFile = path.join(tempDir(), '行政处罚.xlsx');
    await writeXlsx(dataFile, [{ name: 'Sheet1', rows: [[...PENALTY_HEADERS], ...penaltyRows] }]);
    const cPreview = await check('compliance.preview', { file: { path: dataFile } });
    const cRun = await check('compliance.check', {
      previewId: cPreview.previewId,
      ruleSetId: xzcfSet.id,
      deptId: dept.id,
      month: '2027-03',
    });
    await check('compliance.cancel', {});
    await check('compliance.runs', { month: '2027-03' });
    await check('compliance.run', { id: cRun.id });
    await check('compliance.exportErrors', { id: cRun.id, file: path.join(tempDir(), '错误明细.xlsx') });
    await check('compliance.overview', {});
    await check('compliance.removeRun', { id: cRun.id });
    await check('workspace.create', {
      name: '第二个',
      templateId: null,
      city: '某市',
      me: { name: '李明', role: '项目负责人' },
      dir: path.join(dataDir, 'second'),
    });
    await check('workspace.forget', { dir });
    // sync: status, conflicts and logout work offline; configure and now against the reference server
    await check('sync.status', {});
    await check('sync.conflicts', {});
    await check('sync.cancel', {});
    const srv = await startSyncServer();
    try {
      await check('sync.configure', { serverUrl: srv.url, token: srv.user('合同测试').token });
      await check('sync.now', {});
      // a second laptop: what the token may download, then downloading it (opens the copy)
      const other = srv.user('合同测试二');
      srv.addMember(core.workspace!.id, other.id);
      await check('sync.remoteWorkspaces', { serverUrl: srv.url, token: other.token });
      await check('sync.join', {
        serverUrl: srv.url,
        token: other.token,
        workspaceId: core.workspace!.id,
        me: { name: '王芳', role: '驻场顾问' },
        dir: path.join(dataDir, 'joined'),
      });
    } finally {
      await srv.close();
    }
    await check('sync.logout', {});
    const missing = commandNames.filter((n) => !covered.has(n));
    expect(missing, 'commands without an output check here: add a valid call for each').toEqual([]);
  });

  it('events carry payloads that match their schemas', async () => {
    const { core } = await coreWithWorkspace();
    const seen: { event: string; payload: unknown }[] = [];
    for (const event of Object.keys(events) as (keyof typeof events)[]) {
      core.on(event, (payload) => seen.push({ event, payload }));
    }
    const task = await firstTask(core);
    await call(core, 'tasks.update', { id: task.id, patch: { progress: 30 } });
    await call(core, 'workspace.rename', { name: '新名字' });
    await call(core, 'workspace.backup', {});
    const changed = seen.filter((s) => s.event === 'records.changed');
    expect(changed.map((s) => s.payload)).toContainEqual({ entities: ['task'] });
    expect(seen.some((s) => s.event === 'workspace.changed')).toBe(true);
    expect(
      seen.some((s) => s.event === 'job.progress' && (s.payload as { state: string }).state === 'done'),
    ).toBe(true);
    for (const s of seen) {
      expect(events[s.event as keyof typeof events].safeParse(s.payload).success, s.event).toBe(true);
    }
  });

  it('no records.changed event for a refused or no-op command', async () => {
    const { core } = await coreWithWorkspace();
    const task = await firstTask(core);
    const changes: unknown[] = [];
    core.on('records.changed', (p) => changes.push(p));
    await rawInvoke(core, 'tasks.update', { id: task.id, patch: { progress: 500 } });
    await call(core, 'tasks.update', { id: task.id, patch: { title: task.title } });
    expect(changes).toEqual([]);
    expect(countRows(core, 'changes', `entity_id = '${task.id}' AND op = 'update'`)).toBe(0);
  });

  it('a listener that throws does not break the command', async () => {
    const { core } = await coreWithWorkspace();
    core.on('records.changed', () => {
      throw new Error('listener bug');
    });
    const t = await call(core, 'tasks.create', { title: '监听器出错也能保存' });
    expect((await call(core, 'tasks.get', { id: t.id })).title).toBe('监听器出错也能保存');
  });
});

it('a failing command through the core reports an error envelope', async () => {
  const { core } = await coreWithWorkspace();
  await callError(core, 'tasks.get', { id: '01900000-0000-7000-8000-000000000000' }, 'NOT_FOUND');
});
