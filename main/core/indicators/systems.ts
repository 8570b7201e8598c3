/**
 * Indicator-system versions: list, switch, import and export as .xlsx.
 *
 * The workbook format (documented in its own 「说明」 sheet and in README):
 * - 「版本信息」: two columns 项目 | 内容 with the rows 版本, 名称, 评分指标总分, 加分项总分, 说明.
 * - 「指标体系」: a header row 编号 | 名称 | 类型 | 上级编号 | 分值 | 评分标准 | 责任单位 | 佐证材料 and
 *   one row per indicator, parents before or after their children (any order).
 * Everything is checked before anything is written; every problem names the sheet, the Excel
 * row and the column. exceljs and the xlsx writer load on first use (not at start-up).
 */
import type { Worksheet } from 'exceljs';
import type { z } from 'zod';
import { INDICATOR_KIND_LABEL, type INDICATOR_KINDS } from '../contract/labels';
import type { IndicatorSystem, SystemImportResult } from '../contract/indicators';
import { systemId } from '../db/migrations/0008-indicators-monitoring';
import { createDeptMatcher, splitDeptList } from '../departments/match';
import type { ImportFile } from '../import/file';
import { insertLinks, syncLinks } from '../records/links';
import type { Tx } from '../records/writer';
import { AppError } from '../util/errors';
import { stableId } from '../util/ids';
import type { Workspace } from '../workspace/workspace';
import { EVIDENCE_SATISFIED_SQL, fmtPoints, listIndicators } from './indicators';

type Kind = (typeof INDICATOR_KINDS)[number];

export const SYSTEM_SHEET = '指标体系';
export const INFO_SHEET = '版本信息';
export const README_SHEET = '说明';

/** Columns of the 「指标体系」 sheet, in order. */
export const SYSTEM_COLUMNS = [
  { key: 'code', header: '编号', required: true },
  { key: 'title', header: '名称', required: true },
  { key: 'kind', header: '类型', required: true },
  { key: 'parent', header: '上级编号', required: false },
  { key: 'points', header: '分值', required: false },
  { key: 'standard', header: '评分标准', required: false },
  { key: 'owners', header: '责任单位', required: false },
  { key: 'evidence', header: '佐证材料', required: false },
] as const;
type ColKey = (typeof SYSTEM_COLUMNS)[number]['key'];

/** Rows of the 「版本信息」 sheet. */
const INFO_ROWS = ['版本', '名称', '评分指标总分', '加分项总分', '说明'] as const;
type InfoKey = (typeof INFO_ROWS)[number];

/** Spellings accepted in the 类型 column. */
const KIND_WORDS: Record<string, Kind> = {
  类别: 'category',
  分类: 'category',
  大类: 'category',
  category: 'category',
  基础指标: 'basic',
  基础: 'basic',
  基本要求: 'basic',
  基本要求指标: 'basic',
  basic: 'basic',
  评分指标: 'scored',
  评分: 'scored',
  scored: 'scored',
  加分项: 'bonus',
  附加项: 'bonus',
  加分指标: 'bonus',
  bonus: 'bonus',
};

const MAX_ERRORS = 50;
const MAX_ROWS = 5000;
const EPS = 1e-6;

/** The 「说明」 sheet of an exported file (also the format's documentation). */
export const FORMAT_NOTES: readonly string[] = [
  '本文件是“信用创建工作台”的指标体系文件，可在 Excel/WPS 中编辑后，在“指标体系 → 导入”或命令行 indicators import 导入。',
  '工作表「版本信息」：“版本”（必填，如 2021、2022，同一版本再次导入即更新该版本）、“名称”（必填）、“评分指标总分”和“加分项总分”（可空；填写后须等于所有评分指标、加分项分值之和）、“说明”（可空）。',
  '工作表「指标体系」：第一行为表头，每个指标一行，表头依次为：编号、名称、类型、上级编号、分值、评分标准、责任单位、佐证材料。',
  '编号：必填，不可重复，最长 20 个字符（如 基础-01、2.1、2.1.3）。再次导入同一版本时按编号对应：保留自评、关联任务和材料，更新名称、分值等；文件中没有的编号将被删除。',
  '类型：类别、基础指标、评分指标、加分项（也可写“附加项”）。基础指标为一票否决项，全部达标方可参评，不填分值。',
  '上级编号：填所属类别的编号，顶层留空。上级必须是“类别”；类别可以多级嵌套，但不能互为上级。',
  '分值：评分指标和加分项必填（不小于 0 的数字）；类别可填，填写时须等于其下各项分值之和；基础指标不填。',
  '责任单位：填单位全称、简称或别名，多个单位用顿号（、）或逗号分隔；须是工作区“部门单位”中已有的单位。',
  '佐证材料：佐证材料清单，每行一项（单元格内换行：Alt+Enter）。再次导入时按名称对应，已上传的佐证保留；文件中删去的条目，尚无佐证的直接删除，已有附件或关联材料的保留。',
  '发现任何错误时不导入任何内容，错误信息写明工作表、行号和列名，改正后重新导入即可。',
];

// ---------- list / use ----------

interface SystemRow {
  version: string;
  name: string;
  scored_total: number | null;
  bonus_total: number | null;
  note: string | null;
}

/** Every live indicator-system version with its counts and point sums; the current one flagged. */
export function listSystems(ws: Workspace): IndicatorSystem[] {
  const current = currentVersion(ws);
  const systems = ws.db
    .prepare(
      `SELECT version, name, scored_total, bonus_total, note FROM indicator_systems
       WHERE deleted = 0 ORDER BY created_at, version`,
    )
    .all() as SystemRow[];
  const stats = ws.db
    .prepare(
      `SELECT i.system_version AS version, i.kind, COUNT(*) AS n,
         COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM indicators c WHERE c.parent_id = i.id AND c.deleted = 0)
           THEN i.points END), 0) AS leaf_points
       FROM indicators i WHERE i.deleted = 0 GROUP BY i.system_version, i.kind`,
    )
    .all() as { version: string; kind: Kind; n: number; leaf_points: number }[];
  return systems.map((s) => {
    const counts = { category: 0, basic: 0, scored: 0, bonus: 0 };
    let scoredPoints = 0;
    let bonusPoints = 0;
    for (const st of stats) {
      if (st.version !== s.version) continue;
      counts[st.kind] = st.n;
      if (st.kind === 'scored') scoredPoints = st.leaf_points;
      if (st.kind === 'bonus') bonusPoints = st.leaf_points;
    }
    return {
      version: s.version,
      name: s.name,
      scoredTotal: s.scored_total,
      bonusTotal: s.bonus_total,
      note: s.note,
      counts,
      scoredPoints: Number(scoredPoints.toPrecision(12)),
      bonusPoints: Number(bonusPoints.toPrecision(12)),
      current: s.version === current,
    };
  });
}

function currentVersion(ws: Workspace): string {
  const r = ws.db.prepare('SELECT indicator_version AS v FROM workspace WHERE id = ?').get(ws.id) as
    { v: string } | undefined;
  return r?.v ?? '';
}

function knownVersions(ws: Workspace): string[] {
  return (
    ws.db.prepare('SELECT version FROM indicator_systems WHERE deleted = 0 ORDER BY created_at').all() as {
      version: string;
    }[]
  ).map((r) => r.version);
}

function assertVersion(ws: Workspace, version: string): void {
  const known = knownVersions(ws);
  if (!known.includes(version)) {
    throw new AppError(
      'NOT_FOUND',
      `指标体系版本「${version}」不存在。${known.length ? `现有版本：${known.join('、')}。` : '请先导入指标体系。'}`,
      { field: 'version' },
    );
  }
}

/** Makes `version` the workspace's current indicator system (the one every page and report uses). */
export function useSystem(ws: Workspace, version: string): void {
  assertVersion(ws, version);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.update('workspace', ws.id, { indicator_version: version });
  });
}

// ---------- export ----------

/** The version as an .xlsx file in the import format (版本信息, 指标体系, 说明). */
export async function exportSystem(ws: Workspace, version: string): Promise<Buffer> {
  assertVersion(ws, version);
  const sys = ws.db
    .prepare(
      'SELECT version, name, scored_total, bonus_total, note FROM indicator_systems WHERE version = ? AND deleted = 0',
    )
    .get(version) as SystemRow;
  const indicators = listIndicators(ws, version);
  const codeOf = new Map(indicators.map((i) => [i.id, i.code]));
  const evidence = ws.db
    .prepare(
      `SELECT e.indicator_id, e.title FROM indicator_evidence e JOIN indicators i ON i.id = e.indicator_id
       WHERE e.deleted = 0 AND i.deleted = 0 AND i.system_version = ? ORDER BY e.sort, e.created_at, e.id`,
    )
    .all(version) as { indicator_id: string; title: string }[];
  const evidenceOf = new Map<string, string[]>();
  for (const e of evidence)
    evidenceOf.set(e.indicator_id, [...(evidenceOf.get(e.indicator_id) ?? []), e.title]);
  const { writeWorkbook } = await import('../export/xlsx');
  const info: Record<InfoKey, string | number | null> = {
    版本: sys.version,
    名称: sys.name,
    评分指标总分: sys.scored_total,
    加分项总分: sys.bonus_total,
    说明: sys.note,
  };
  return writeWorkbook({
    sheets: [
      {
        name: SYSTEM_SHEET,
        columns: [
          { key: 'code', header: '编号', width: 12 },
          { key: 'title', header: '名称', width: 36, wrap: true },
          { key: 'kind', header: '类型', width: 10, align: 'center' },
          { key: 'parent', header: '上级编号', width: 10 },
          { key: 'points', header: '分值', type: 'number', decimals: 1, width: 8 },
          { key: 'standard', header: '评分标准', width: 50, wrap: true },
          { key: 'owners', header: '责任单位', width: 24, wrap: true },
          { key: 'evidence', header: '佐证材料', width: 36, wrap: true },
        ],
        rows: indicators.map((i) => ({
          cells: {
            code: i.code,
            title: i.title,
            kind: INDICATOR_KIND_LABEL[i.kind],
            parent: i.parentId ? (codeOf.get(i.parentId) ?? null) : null,
            points: i.points,
            standard: i.standard,
            owners: i.ownerDeptNames.join('、'),
            evidence: (evidenceOf.get(i.id) ?? []).join('\n'),
          },
          ...(i.kind === 'category' ? { bold: true, fill: 'blue' as const } : {}),
        })),
        freezeColumns: 2,
      },
      {
        name: INFO_SHEET,
        columns: [
          { key: 'item', header: '项目', width: 16 },
          { key: 'value', header: '内容', width: 60, wrap: true },
        ],
        rows: INFO_ROWS.map((k) => ({ cells: { item: k, value: info[k] } })),
        landscape: false,
      },
      {
        name: README_SHEET,
        columns: [{ key: 'text', header: '填写说明', width: 110, wrap: true }],
        rows: FORMAT_NOTES.map((t) => ({ cells: { text: t } })),
        landscape: false,
      },
    ],
  });
}

// ---------- import: reading ----------

export interface SystemProblem {
  sheet: string;
  /** Excel row number (1-based), null for a sheet-level problem. */
  row: number | null;
  /** Column as shown to the user: 「D 列「上级编号」」. */
  column: string | null;
  message: string;
}

interface ParsedRow {
  row: number;
  code: string;
  title: string;
  kind: Kind;
  parentCode: string | null;
  points: number | null;
  standard: string | null;
  owners: string[];
  evidence: string[];
}

interface ParsedSystem {
  version: string;
  name: string;
  scoredTotal: number | null;
  bonusTotal: number | null;
  note: string | null;
  rows: ParsedRow[];
}

type Cellish = string | number | boolean | Date | null;

const normHeader = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[(（][^)）]*[)）]/g, '')
    .replace(/[\s*＊:：]/g, '');

/** Reads a number written as 5, "5", "5分", "５"; undefined when not a number. */
function readNumber(v: Cellish, text: string): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  const t = text.normalize('NFKC').replace(/\s+/g, '').replace(/分$/, '');
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
}

class Problems {
  readonly list: SystemProblem[] = [];
  add(sheet: string, row: number | null, column: string | null, message: string): void {
    this.list.push({ sheet, row, column, message });
  }
}

function problemText(p: SystemProblem): string {
  const at = [
    `工作表「${p.sheet}」`,
    p.row !== null ? `第 ${p.row} 行` : '',
    p.column ? ` ${p.column}` : '',
  ].join('');
  return `${at}：${p.message}`;
}

function throwProblems(fileName: string, problems: SystemProblem[]): never {
  const shown = problems.slice(0, MAX_ERRORS).map((p) => `· ${problemText(p)}`);
  const more = problems.length > MAX_ERRORS ? `\n另有 ${problems.length - MAX_ERRORS} 处问题未列出。` : '';
  throw new AppError(
    'BAD_INPUT',
    `「${fileName}」中有 ${problems.length} 处问题，未导入任何内容。请改正后重新导入：\n${shown.join('\n')}${more}`,
    { fileName, problems: problems.slice(0, MAX_ERRORS) },
  );
}

async function loadWorkbook(file: ImportFile) {
  const { assertXlsx, displayName } = await import('../import/file');
  const name = displayName(file.fileName);
  assertXlsx(file.data, name);
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it reads at runtime.
    await wb.xlsx.load(file.data as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch (e) {
    throw new AppError(
      'BAD_INPUT',
      `「${name}」无法读取：文件可能已损坏，或包含本程序无法识别的内容。请在 Excel/WPS 中打开后另存为新的 .xlsx 再导入。`,
      { fileName: name, cause: e instanceof Error ? e.message : String(e) },
    );
  }
  return { wb, name };
}

/** Parses and checks a workbook; throws BAD_INPUT listing every problem (row and column named). */
export async function parseSystemWorkbook(
  file: ImportFile,
  ws: Workspace,
): Promise<{ parsed: ParsedSystem; ownerIds: Map<number, string[]>; fileName: string }> {
  const { wb, name: fileName } = await loadWorkbook(file);
  const { SheetGrid, columnLetter } = await import('../import/sheet');
  const problems = new Problems();
  const byName = (n: string): Worksheet | undefined =>
    wb.worksheets.find((s) => normHeader(s.name) === normHeader(n));

  // ----- 版本信息 -----
  const info: Partial<Record<InfoKey, { text: string; value: Cellish; row: number }>> = {};
  const infoSheet = byName(INFO_SHEET);
  if (!infoSheet) {
    problems.add(
      INFO_SHEET,
      null,
      null,
      `缺少工作表「${INFO_SHEET}」（填写版本、名称和总分），请按导出的文件格式添加。`,
    );
  } else {
    const g = new SheetGrid(infoSheet);
    for (let r = 1; r <= Math.min(g.rowCount, 50); r++) {
      const label = normHeader(g.cell(r, 1).text) as InfoKey;
      if ((INFO_ROWS as readonly string[]).includes(label) && !info[label]) {
        const c = g.cell(r, 2);
        info[label] = { text: c.text, value: c.value, row: r };
      }
    }
  }
  const infoText = (k: InfoKey) => info[k]?.text ?? '';
  const version = infoText('版本');
  const name = infoText('名称');
  if (infoSheet) {
    if (!version)
      problems.add(INFO_SHEET, info.版本?.row ?? null, 'B 列「内容」', '“版本”未填写（如 2021）。');
    else if (version.length > 40)
      problems.add(INFO_SHEET, info.版本?.row ?? null, 'B 列「内容」', '“版本”不能超过 40 个字符。');
    if (!name) problems.add(INFO_SHEET, info.名称?.row ?? null, 'B 列「内容」', '“名称”未填写。');
    else if (name.length > 120)
      problems.add(INFO_SHEET, info.名称?.row ?? null, 'B 列「内容」', '“名称”不能超过 120 个字符。');
  }
  const total = (k: '评分指标总分' | '加分项总分'): number | null => {
    const c = info[k];
    if (!c || c.text === '') return null;
    const n = readNumber(c.value, c.text);
    if (n === undefined || n < 0) {
      problems.add(INFO_SHEET, c.row, 'B 列「内容」', `“${k}”应为不小于 0 的数字，现为「${c.text}」。`);
      return null;
    }
    return n;
  };
  const scoredTotal = total('评分指标总分');
  const bonusTotal = total('加分项总分');
  const note = infoText('说明') || null;

  // ----- 指标体系 -----
  const rows: ParsedRow[] = [];
  const sheet = byName(SYSTEM_SHEET);
  const cols = new Map<ColKey, number>();
  const colName = (k: ColKey) => {
    const h = SYSTEM_COLUMNS.find((c) => c.key === k)?.header ?? k;
    const c = cols.get(k);
    return c ? `${columnLetter(c)} 列「${h}」` : `「${h}」列`;
  };
  if (!sheet) {
    problems.add(SYSTEM_SHEET, null, null, `缺少工作表「${SYSTEM_SHEET}」，请按导出的文件格式填写。`);
  } else {
    const g = new SheetGrid(sheet);
    let headerRow = 0;
    for (let r = 1; r <= Math.min(g.rowCount, 10) && !headerRow; r++) {
      const found = new Map<ColKey, number>();
      for (let c = 1; c <= g.colCount; c++) {
        const h = normHeader(g.cell(r, c).text);
        const col = SYSTEM_COLUMNS.find(
          (x) =>
            x.header === h ||
            (x.key === 'title' && h === '指标名称') ||
            (x.key === 'code' && h === '指标编号'),
        );
        if (col && !found.has(col.key)) found.set(col.key, c);
      }
      if (found.has('code') && found.has('title')) {
        headerRow = r;
        for (const [k, c] of found) cols.set(k, c);
      }
    }
    if (!headerRow) {
      problems.add(
        SYSTEM_SHEET,
        null,
        null,
        `找不到表头行：前 10 行中应有一行依次写明 ${SYSTEM_COLUMNS.map((c) => c.header).join('、')}。`,
      );
    } else {
      for (const c of SYSTEM_COLUMNS) {
        if (c.required && !cols.has(c.key))
          problems.add(SYSTEM_SHEET, headerRow, null, `表头中缺少必填列「${c.header}」。`);
      }
      const last = g.rowCount;
      if (last - headerRow > MAX_ROWS)
        problems.add(SYSTEM_SHEET, null, null, `指标超过 ${MAX_ROWS} 行，请检查是否有多余的内容。`);
      for (let r = headerRow + 1; r <= Math.min(last, headerRow + MAX_ROWS); r++) {
        if (!g.hasRow(r)) continue;
        const get = (k: ColKey) => {
          const c = cols.get(k);
          return c ? g.cell(r, c) : { text: '', value: null };
        };
        const texts = SYSTEM_COLUMNS.map((c) => get(c.key).text);
        if (texts.every((t) => t === '')) continue;
        const code = get('code').text;
        const title = get('title').text;
        const kindText = get('kind').text;
        const at = (k: ColKey, msg: string) => problems.add(SYSTEM_SHEET, r, colName(k), msg);
        if (!code) at('code', '编号未填写。');
        else if (code.length > 20) at('code', `编号「${code}」超过 20 个字符。`);
        if (!title) at('title', '名称未填写。');
        else if (title.length > 200) at('title', '名称不能超过 200 个字符。');
        const kind = KIND_WORDS[kindText.normalize('NFKC').replace(/\s+/g, '').toLowerCase()];
        if (!kind)
          at(
            'kind',
            kindText
              ? `类型「${kindText}」无法识别，应为 类别、基础指标、评分指标 或 加分项。`
              : '类型未填写（类别、基础指标、评分指标 或 加分项）。',
          );
        const pc = get('points');
        let points: number | null = null;
        if (pc.text !== '') {
          const n = readNumber(pc.value, pc.text);
          if (n === undefined) at('points', `分值应为数字，现为「${pc.text}」。`);
          else if (n < 0) at('points', `分值不能为负数（${pc.text}）。`);
          else if (n > 1000) at('points', `分值不能超过 1000（${pc.text}）。`);
          else points = n;
        }
        if ((kind === 'scored' || kind === 'bonus') && pc.text === '')
          at('points', `${INDICATOR_KIND_LABEL[kind]}须填写分值。`);
        if (kind === 'basic' && pc.text !== '') at('points', '基础指标为一票否决项，不计分，请清空分值。');
        const standard = get('standard').text;
        if (standard.length > 5000) at('standard', '评分标准不能超过 5000 个字符。');
        const evidence = get('evidence')
          .text.split('\n')
          .map((t) => t.replace(/^\s*(?:\d{1,2}[.、．)）]|[①-⑳]|[-·•])\s*/, '').trim())
          .filter((t) => t !== '');
        const seen = new Set<string>();
        for (const e of evidence) {
          if (e.length > 200) at('evidence', `佐证材料「${e.slice(0, 20)}…」超过 200 个字符。`);
          if (seen.has(e)) at('evidence', `佐证材料「${e}」重复。`);
          seen.add(e);
        }
        rows.push({
          row: r,
          code,
          title,
          kind: kind ?? 'scored',
          parentCode: get('parent').text || null,
          points,
          standard: standard || null,
          owners: splitDeptList(get('owners').text),
          evidence,
        });
      }
      if (rows.length === 0) problems.add(SYSTEM_SHEET, null, null, '表头以下没有任何指标。');
    }
  }

  // ----- the tree -----
  const byCode = new Map<string, ParsedRow>();
  for (const r of rows) {
    if (!r.code) continue;
    const first = byCode.get(r.code);
    if (first)
      problems.add(SYSTEM_SHEET, r.row, colName('code'), `编号「${r.code}」与第 ${first.row} 行重复。`);
    else byCode.set(r.code, r);
  }
  const children = new Map<string, ParsedRow[]>();
  for (const r of rows) {
    if (!r.parentCode) continue;
    const p = byCode.get(r.parentCode);
    if (!p) {
      problems.add(SYSTEM_SHEET, r.row, colName('parent'), `找不到上级编号「${r.parentCode}」。`);
    } else if (p === r) {
      problems.add(SYSTEM_SHEET, r.row, colName('parent'), '上级编号不能是本项自己。');
    } else if (p.kind !== 'category') {
      problems.add(
        SYSTEM_SHEET,
        r.row,
        colName('parent'),
        `上级「${p.code}」（第 ${p.row} 行）是${INDICATOR_KIND_LABEL[p.kind]}，只有“类别”可以有下级指标。`,
      );
    } else {
      children.set(p.code, [...(children.get(p.code) ?? []), r]);
    }
  }
  // cycles among categories
  const inCycle = new Set<ParsedRow>();
  for (const r of rows) {
    const chain: ParsedRow[] = [];
    let cur: ParsedRow | undefined = r;
    while (cur && !chain.includes(cur)) {
      chain.push(cur);
      cur = cur.parentCode ? byCode.get(cur.parentCode) : undefined;
      if (cur && cur.kind !== 'category') cur = undefined;
    }
    if (cur && cur === r && !inCycle.has(r)) {
      for (const c of chain) inCycle.add(c);
      problems.add(
        SYSTEM_SHEET,
        r.row,
        colName('parent'),
        `上级关系形成循环：${chain.map((c) => c.code).join(' → ')} → ${r.code}。`,
      );
    }
  }
  // category sums (only when no cycle)
  const sumOf = (r: ParsedRow, depth = 0): number => {
    const kids = children.get(r.code);
    if (!kids || depth > 50) return r.points ?? 0;
    if (r.points !== null) return r.points;
    return kids.reduce((a, k) => a + sumOf(k, depth + 1), 0);
  };
  for (const r of rows) {
    if (r.kind !== 'category' || r.points === null || inCycle.has(r)) continue;
    const kids = children.get(r.code);
    if (!kids) continue;
    const s = kids.reduce((a, k) => a + sumOf(k), 0);
    if (Math.abs(s - r.points) > EPS) {
      problems.add(
        SYSTEM_SHEET,
        r.row,
        colName('points'),
        `类别「${r.code} ${r.title}」的分值 ${fmtPoints(r.points)} 与其下各项分值之和 ${fmtPoints(s)} 不一致。`,
      );
    }
  }
  for (const [k, t] of [
    ['scored', scoredTotal],
    ['bonus', bonusTotal],
  ] as const) {
    if (t === null) continue;
    const s = rows.filter((r) => r.kind === k).reduce((a, r) => a + (r.points ?? 0), 0);
    if (Math.abs(s - t) > EPS) {
      const label = k === 'scored' ? '评分指标总分' : '加分项总分';
      problems.add(
        INFO_SHEET,
        info[label]?.row ?? null,
        'B 列「内容」',
        `“${label}”为 ${fmtPoints(t)}，但「${SYSTEM_SHEET}」中${INDICATOR_KIND_LABEL[k]}的分值之和为 ${fmtPoints(s)}。`,
      );
    }
  }

  // ----- owner departments -----
  const depts = ws.db
    .prepare(
      'SELECT id, name, short_name, aliases, kind FROM departments WHERE deleted = 0 ORDER BY sort, name',
    )
    .all() as { id: string; name: string; short_name: string | null; aliases: string; kind: string }[];
  const { city } = ws.db.prepare('SELECT city FROM workspace WHERE id = ?').get(ws.id) as { city: string };
  const matcher = createDeptMatcher(
    depts.map((d) => ({
      id: d.id,
      name: d.name,
      shortName: d.short_name,
      aliases: (JSON.parse(d.aliases || '[]') as string[] | null) ?? [],
      kind: d.kind,
    })),
    city,
  );
  const ownerIds = new Map<number, string[]>();
  for (const r of rows) {
    const ids: string[] = [];
    for (const n of r.owners) {
      const m = matcher.match(n);
      if (m.deptId) {
        if (!ids.includes(m.deptId)) ids.push(m.deptId);
      } else {
        const hint = m.suggestions.length
          ? `（是否为：${m.suggestions.map((s) => s.name).join('、')}？）`
          : '';
        problems.add(
          SYSTEM_SHEET,
          r.row,
          colName('owners'),
          `找不到责任单位「${n}」${hint}。请改为工作区“部门单位”中已有单位的全称或简称，或先添加该单位。`,
        );
      }
    }
    ownerIds.set(r.row, ids);
  }

  if (problems.list.length) throwProblems(fileName, problems.list);
  return { parsed: { version, name, scoredTotal, bonusTotal, note, rows }, ownerIds, fileName };
}

// ---------- import: writing ----------

interface ExistingIndicator {
  id: string;
  code: string;
  deleted: number;
}

/** Depth of each row in the tree (roots 0), for inserting parents before children. */
function depths(rows: readonly ParsedRow[]): Map<ParsedRow, number> {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const out = new Map<ParsedRow, number>();
  const depth = (r: ParsedRow, guard = 0): number => {
    const known = out.get(r);
    if (known !== undefined) return known;
    const p = r.parentCode ? byCode.get(r.parentCode) : undefined;
    const d = p && guard < 100 ? depth(p, guard + 1) + 1 : 0;
    out.set(r, d);
    return d;
  };
  for (const r of rows) depth(r);
  return out;
}

/** Inserts an evidence item with an id laptops agree on (a random one if that id is taken). */
function insertEvidence(tx: Tx, indicatorId: string, title: string, sort: number): void {
  const sid = stableId(`evidence|${indicatorId}|${title}`);
  const values = { indicator_id: indicatorId, title, sort };
  if (tx.get('indicator_evidence', sid)) tx.insert('indicator_evidence', values);
  else tx.insert('indicator_evidence', values, sid);
}

function syncEvidence(ws: Workspace, tx: Tx, indicatorId: string, titles: readonly string[]): boolean {
  const existing = ws.db
    .prepare(
      `SELECT e.id, e.title, e.sort, e.deleted, ${EVIDENCE_SATISFIED_SQL} AS satisfied
       FROM indicator_evidence e WHERE e.indicator_id = ? ORDER BY e.deleted, e.sort`,
    )
    .all(indicatorId) as { id: string; title: string; sort: number; deleted: number; satisfied: number }[];
  let changed = false;
  const used = new Set<string>();
  titles.forEach((title, j) => {
    const sort = (j + 1) * 10;
    const found = existing.find((e) => e.title === title && !used.has(e.id));
    if (found) {
      used.add(found.id);
      if (found.deleted === 1 && tx.restore('indicator_evidence', found.id)) changed = true;
      if (tx.update('indicator_evidence', found.id, { sort }).length) changed = true;
    } else {
      insertEvidence(tx, indicatorId, title, sort);
      changed = true;
    }
  });
  let extra = titles.length;
  for (const e of existing) {
    if (used.has(e.id) || e.deleted === 1) continue;
    if (e.satisfied) {
      // keeps uploaded evidence: listed after the file's items
      extra++;
      if (tx.update('indicator_evidence', e.id, { sort: extra * 10 }).length) changed = true;
    } else if (tx.remove('indicator_evidence', e.id)) changed = true;
  }
  return changed;
}

/**
 * Imports an indicator-system workbook: a new version is created; an existing version is
 * updated by code (self-assessments, task/material links and evidence kept), new codes added,
 * missing codes removed. One transaction; nothing is written when the file has any problem.
 */
export async function importSystem(
  ws: Workspace,
  file: ImportFile,
  makeCurrent: boolean,
): Promise<z.output<typeof SystemImportResult>> {
  const { parsed, ownerIds } = await parseSystemWorkbook(file, ws);
  const { version } = parsed;
  const existing = ws.db
    .prepare('SELECT id, code, deleted FROM indicators WHERE system_version = ? ORDER BY deleted, sort')
    .all(version) as ExistingIndicator[];
  const existingByCode = new Map<string, ExistingIndicator>();
  for (const e of existing) if (!existingByCode.has(e.code)) existingByCode.set(e.code, e);
  const idOf = new Map<string, string>();
  for (const r of parsed.rows) {
    idOf.set(r.code, existingByCode.get(r.code)?.id ?? stableId(`indicator|${version}|${r.code}`));
  }
  const depth = depths(parsed.rows);
  const ordered = parsed.rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (depth.get(a.r) ?? 0) - (depth.get(b.r) ?? 0) || a.i - b.i);
  const ownersNow = ws.db.prepare(
    'SELECT dept_id FROM indicator_departments WHERE indicator_id = ? AND deleted = 0 ORDER BY dept_id',
  );
  let created = 0;
  let updated = 0;
  let removed = 0;
  const wasCurrent = currentVersion(ws) === version;
  ws.writer.transact(ws.actor(), (tx) => {
    const sid = systemId(version);
    const sysValues = {
      version,
      name: parsed.name,
      scored_total: parsed.scoredTotal,
      bonus_total: parsed.bonusTotal,
      note: parsed.note,
    };
    const sys = tx.get('indicator_system', sid);
    if (sys) {
      if (sys.deleted === 1) tx.restore('indicator_system', sid);
      tx.update('indicator_system', sid, sysValues);
    } else {
      tx.insert('indicator_system', sysValues, sid);
    }
    for (const { r, i } of ordered) {
      const id = idOf.get(r.code) as string;
      const values = {
        system_version: version,
        code: r.code,
        title: r.title,
        kind: r.kind,
        parent_id: r.parentCode ? (idOf.get(r.parentCode) ?? null) : null,
        points: r.points,
        standard: r.standard,
        sort: (i + 1) * 10,
      };
      const owners = ownerIds.get(r.row) ?? [];
      const old = existingByCode.get(r.code);
      if (old) {
        let changed = false;
        if (old.deleted === 1 && tx.restore('indicator', id)) changed = true;
        // a row that only moved (another row added or removed above it) is not "updated"
        if (tx.update('indicator', id, values).some((f) => f !== 'sort')) changed = true;
        const before = (ownersNow.all(id) as { dept_id: string }[]).map((o) => o.dept_id).join(',');
        if (before !== [...owners].sort().join(',')) {
          syncLinks(ws, tx, 'indicator_department', id, owners);
          changed = true;
        }
        if (syncEvidence(ws, tx, id, r.evidence)) changed = true;
        if (changed) updated++;
      } else {
        tx.insert('indicator', values, id);
        insertLinks(tx, 'indicator_department', id, owners);
        r.evidence.forEach((title, j) => insertEvidence(tx, id, title, (j + 1) * 10));
        created++;
      }
    }
    const keep = new Set(parsed.rows.map((r) => r.code));
    for (const e of existing) {
      if (e.deleted === 0 && !keep.has(e.code) && tx.remove('indicator', e.id)) removed++;
    }
    if (makeCurrent) tx.update('workspace', ws.id, { indicator_version: version });
  });
  return {
    version,
    name: parsed.name,
    created,
    updated,
    removed,
    current: makeCurrent || wasCurrent,
  };
}
