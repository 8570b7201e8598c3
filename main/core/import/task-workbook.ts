/**
 * Preview of a task-list workbook as departments actually send it: title rows above the
 * header, two-row headers, merged cells, category rows, 合计/填表说明 footers, dates in every
 * spelling, department names with variants. Pure: the caller passes the bytes, the known
 * departments and indicators and "today"; nothing is written. Rows with errors are not
 * importable until fixed (e.g. by mapping an unmatched department with applyDeptMapping).
 */
import ExcelJS from 'exceljs';
import type { RECURRENCES, TASK_PRIORITIES } from '../contract/labels';
import type { TaskInput } from '../contract/records';
import {
  createDeptMatcher,
  type DeptMatcher,
  type DeptRef,
  type DeptSuggestion,
  foldText,
  splitDeptList,
} from '../departments/match';
import { AppError } from '../util/errors';
import { parseDueDate, type RecurrenceHint } from './dates';
import { assertXlsx, displayName, type ImportFile, readImportFile } from './file';
import { normalizeHeader, TASK_FIELD_LABEL, type TaskField } from './headers';
import {
  columnLetter,
  findHeader,
  HEADER_SEARCH_ROWS,
  type HeaderLayout,
  type Scalar,
  SheetGrid,
} from './sheet';

export type { TaskField } from './headers';
export type { DeptRef, DeptSuggestion } from '../departments/match';

type Priority = (typeof TASK_PRIORITIES)[number];
type Recurrence = (typeof RECURRENCES)[number];

export interface IndicatorRef {
  id: string;
  code: string;
  title: string;
}

export interface TaskImportContext {
  /** From the workspace settings (e.g. 琼海市); used to strip the city prefix from unit names. */
  city: string;
  departments: readonly DeptRef[];
  indicators: readonly IndicatorRef[];
  /** Supplies the year for dates written without one and the sane range for deadlines. */
  today: Date;
}

/** The TaskInput-shaped object a row would create (status, progress, recurStart … are the committer's). */
export interface ImportedTask {
  code: string | null;
  title: string;
  description: string | null;
  standard: string | null;
  leadDeptId: string | null;
  coopDeptIds: string[];
  indicatorIds: string[];
  dueDate: string | null;
  priority: Priority;
  recurrence: Recurrence;
}
// Compile-time guarantee that a preview task can be handed to tasks.create.
type _AssignableToTaskInput = ImportedTask extends TaskInput ? true : never;
const _taskInputCheck: _AssignableToTaskInput = true;
void _taskInputCheck;

export type ImportProblemKind =
  | 'title_missing'
  | 'title_too_long'
  | 'text_too_long'
  | 'dept_unmatched'
  | 'lead_multiple'
  | 'lead_missing'
  | 'dept_group'
  | 'date_invalid'
  | 'date_warning'
  | 'date_missing'
  | 'indicator_unmatched'
  | 'priority_unknown'
  | 'recurrence_unknown'
  | 'code_invalid'
  | 'duplicate';

export interface ImportProblem {
  kind: ImportProblemKind;
  /** Column letter as Excel shows it ('C'). */
  column: string;
  /** Header text of that column ('牵头单位'). */
  header: string;
  severity: 'error' | 'warning';
  /** Chinese, naming the value and what to do. */
  message: string;
  /** The cell value or unit name concerned (the department name for dept_unmatched). */
  value?: string;
}

export interface ImportDeptRef {
  /** The name as written in the cell: the key of applyDeptMapping's mapping. */
  raw: string;
  /** Which cell it came from. */
  source: 'lead' | 'coop';
  deptId: string | null;
  match: 'exact' | 'normalized' | 'group' | 'mapped' | 'ignored' | 'none';
}

export interface TaskImportRow {
  sheet: string;
  /** Spreadsheet row number as Excel shows it (1-based). */
  rowNumber: number;
  /** Category from a 类别 column or the last category row above (一、基础指标类任务). */
  category: string | null;
  /** Raw text per mapped column (values of vertically merged cells included). */
  cells: Partial<Record<TaskField, string>>;
  task: ImportedTask;
  depts: ImportDeptRef[];
  problems: ImportProblem[];
  /** No errors: the row can be committed. */
  importable: boolean;
}

export interface ImportColumn {
  field: TaskField;
  column: string;
  header: string;
}

export interface SkippedRow {
  rowNumber: number;
  reason: 'category' | 'total' | 'header';
  text: string;
}

export interface UnmatchedDepartment {
  name: string;
  rows: number[];
  suggestions: DeptSuggestion[];
}

export interface TaskImportPreview {
  fileName: string;
  sheet: string;
  /** First header row (1-based). */
  headerRow: number;
  /** 2 when a group row sits above sub-headers. */
  headerRows: number;
  columns: ImportColumn[];
  /** Columns with a header that is not imported (责任人, 进展情况 …). */
  ignoredColumns: { column: string; header: string }[];
  rows: TaskImportRow[];
  skipped: SkippedRow[];
  unmatchedDepartments: UnmatchedDepartment[];
  /** Sheet-level information for the user (which sheet, missing columns, footers, …). */
  notices: string[];
  counts: { rows: number; ready: number; withErrors: number; withWarnings: number; skipped: number };
}

// ---------- helpers ----------

const TITLE_MAX = 200;
const TEXT_MAX = 5000;
const CODE_MAX = 40;

const SECTION =
  /^(?:[一二三四五六七八九十百]+[、.,]|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十百\d]+(?:部分|章|节|类|项|批|篇)|[一二三四五六七八九十]+$)/;
const TOTAL = /^(?:合计|总计|小计)/;
const STOP =
  /^(?:填表说明|填报说明|说明[:：]|注[:：]|注\d|备注[:：]|填报人|填表人|制表人|审核人|联系人|联系电话|负责人[:：]|分管领导|单位负责人|填报单位\(盖章\)|单位\(盖章\)|\(盖章\))/;

/** Collapses whitespace; line breaks and spaces between CJK characters disappear. */
function tidyTitle(s: string): string {
  return s
    .replace(/[\s\u3000]+/g, ' ')
    .trim()
    .replace(/(?<=[\u0080-\uffff]) (?=[\u0080-\uffff])/g, '');
}

function tidyText(s: string): string | null {
  const t = s
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return t === '' ? null : t;
}

const PRIORITY_WORDS: Record<string, Priority> = {
  紧急: 'urgent',
  特急: 'urgent',
  加急: 'urgent',
  急: 'urgent',
  非常紧急: 'urgent',
  高: 'high',
  重要: 'high',
  较急: 'high',
  重点: 'high',
  较高: 'high',
  优先: 'high',
  一般: 'normal',
  普通: 'normal',
  正常: 'normal',
  常规: 'normal',
  中: 'normal',
  低: 'normal',
  较低: 'normal',
  不急: 'normal',
};

function parsePriority(text: string): { value: Priority; unknown: boolean } {
  const t = foldText(text);
  if (!t) return { value: 'normal', unknown: false };
  const v = PRIORITY_WORDS[t];
  return v ? { value: v, unknown: false } : { value: 'normal', unknown: true };
}

const RECURRENCE_WORDS: readonly [RegExp, Recurrence | 'unsupported'][] = [
  [/^(?:一次性|单次|一次|无|否|不重复|\/|-)$/, 'none'],
  [/^(?:每周|周|按周|周报|每星期|每周一次|逐周)$/, 'weekly'],
  [/^(?:每月|月|按月|月度|月报|每月一次|逐月)$/, 'monthly'],
  [/^(?:每季度|每季|季度|按季|季报|每季度一次|逐季)$/, 'quarterly'],
  [/^(?:每年|年度|每半年|半年|按年|年报)$/, 'unsupported'],
];

function parseRecurrence(text: string): Recurrence | 'unsupported' | 'unknown' | null {
  const t = foldText(text);
  if (!t) return null;
  for (const [re, v] of RECURRENCE_WORDS) if (re.test(t)) return v;
  return 'unknown';
}

// ---------- indicators ----------

interface IndicatorMatch {
  ids: string[];
  unmatched: string[];
  ambiguous: { text: string; names: string[] }[];
}

function codeKey(text: string): { prefix: string; n: number } | null {
  const t = foldText(text)
    .toLowerCase()
    .replace(/^第/, '')
    .replace(/[项号条]$/, '');
  const m = /^(.*?)[-_.·]?0*(\d{1,3})$/.exec(t);
  if (!m) return null;
  const prefix = (m[1] ?? '').replace(/指标$/, '').replace(/[-_.·]$/, '');
  return { prefix, n: Number(m[2]) };
}

function createIndicatorMatcher(indicators: readonly IndicatorRef[]): (cell: string) => IndicatorMatch {
  const byCode = new Map<string, string[]>();
  const byKey = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, k: string, id: string) => {
    const list = map.get(k);
    if (list) {
      if (!list.includes(id)) list.push(id);
    } else map.set(k, [id]);
  };
  for (const ind of indicators) {
    push(byCode, foldText(ind.code).toLowerCase(), ind.id);
    const k = codeKey(ind.code);
    if (k) {
      push(byKey, `${k.prefix}#${k.n}`, ind.id);
      push(byKey, `#${k.n}`, ind.id);
    }
  }
  const titles = indicators.map((i) => ({ id: i.id, t: foldText(i.title).toLowerCase() }));
  const label = (id: string) => {
    const ind = indicators.find((i) => i.id === id);
    return ind ? `${ind.code} ${ind.title}` : id;
  };

  const one = (text: string): string[] => {
    const folded = foldText(text).toLowerCase();
    if (!folded) return [];
    const code = byCode.get(folded);
    if (code) return code;
    const k = codeKey(text);
    if (k) {
      const hit = byKey.get(`${k.prefix}#${k.n}`);
      if (hit) return hit;
    }
    if (folded.length >= 4) {
      return titles.filter((x) => x.t.includes(folded) || folded.includes(x.t)).map((x) => x.id);
    }
    return [];
  };

  const cache = new Map<string, IndicatorMatch>();
  return (cell: string) => {
    const cached = cache.get(cell);
    if (cached) return cached;
    const out: IndicatorMatch = { ids: [], unmatched: [], ambiguous: [] };
    const take = (text: string, ids: string[]) => {
      if (ids.length === 1) {
        if (!out.ids.includes(ids[0] as string)) out.ids.push(ids[0] as string);
      } else out.ambiguous.push({ text, names: ids.slice(0, 4).map(label) });
    };
    const whole = one(cell);
    if (whole.length === 1) take(cell, whole);
    else {
      for (const piece of cell.split(/[,，;；\n/]+/).map((p) => p.trim())) {
        if (!piece) continue;
        const hit = one(piece);
        if (hit.length > 0) {
          take(piece, hit);
          continue;
        }
        for (const token of piece.split(/[、\s]+/).filter((x) => x !== '')) {
          const h = one(token);
          if (h.length > 0) take(token, h);
          else out.unmatched.push(token);
        }
      }
    }
    cache.set(cell, out);
    return out;
  };
}

// ---------- rows ----------

interface ColumnInfo {
  col: number;
  letter: string;
  header: string;
}

interface Columns {
  byField: Map<TaskField, ColumnInfo>;
}

function problem(
  cols: Columns,
  field: TaskField,
  severity: 'error' | 'warning',
  kind: ImportProblemKind,
  message: string,
  value?: string,
): ImportProblem {
  const c = cols.byField.get(field);
  const p: ImportProblem = {
    kind,
    column: c?.letter ?? '',
    header: c?.header ?? TASK_FIELD_LABEL[field],
    severity,
    message,
  };
  if (value !== undefined) p.value = value;
  return p;
}

const DERIVED_KINDS: ReadonlySet<ImportProblemKind> = new Set([
  'dept_unmatched',
  'lead_multiple',
  'lead_missing',
]);

function unmatchedMessage(raw: string, suggestions: readonly DeptSuggestion[] | undefined): string {
  const hint =
    suggestions && suggestions.length > 0 ? `（可能是：${suggestions.map((s) => s.name).join('、')}）` : '';
  return `「${raw}」不在部门单位名单中${hint}。请在导入预览中为它选择对应单位（或选择忽略），也可以先到“部门单位”中添加该单位。`;
}

/** Lead/cooperating ids and the department problems of a row, from its refs. */
function deriveDepts(
  depts: readonly ImportDeptRef[],
  cols: Columns,
  suggestions: ReadonlyMap<string, readonly DeptSuggestion[]>,
): { leadDeptId: string | null; coopDeptIds: string[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const leadRefs = depts.filter((d) => d.source === 'lead' && d.match !== 'ignored');
  const first = leadRefs[0];
  const leadDeptId = first?.deptId ?? null;
  const promoted = leadRefs.slice(1);
  if (first && promoted.length > 0) {
    problems.push(
      problem(
        cols,
        'lead',
        'warning',
        'lead_multiple',
        `牵头单位填写了多个单位，已将「${first.raw}」作为牵头单位，「${promoted.map((d) => d.raw).join('、')}」作为配合单位。`,
      ),
    );
  }
  if (!first && cols.byField.has('lead')) {
    problems.push(
      problem(cols, 'lead', 'warning', 'lead_missing', '未填写牵头单位，导入后请为该任务指定牵头单位。'),
    );
  }
  const coop: string[] = [];
  for (const d of [...promoted, ...depts.filter((x) => x.source === 'coop')]) {
    if (d.deptId && d.deptId !== leadDeptId && !coop.includes(d.deptId)) coop.push(d.deptId);
  }
  const reported = new Set<string>();
  for (const d of depts) {
    if (d.match !== 'none' || reported.has(`${d.source}|${d.raw}`)) continue;
    reported.add(`${d.source}|${d.raw}`);
    problems.push(
      problem(
        cols,
        d.source,
        'error',
        'dept_unmatched',
        unmatchedMessage(d.raw, suggestions.get(d.raw)),
        d.raw,
      ),
    );
  }
  return { leadDeptId, coopDeptIds: coop, problems };
}

function sortProblems(problems: ImportProblem[], order: ReadonlyMap<string, number>): ImportProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        (order.get(a.p.column) ?? 999) - (order.get(b.p.column) ?? 999) ||
        (a.p.severity === b.p.severity ? 0 : a.p.severity === 'error' ? -1 : 1) ||
        a.i - b.i,
    )
    .map((x) => x.p);
}

const GROUP_TOWNS = /^各(?:镇|乡镇)(?:\((?:区|园区|管委会)\)|、区)?(?:人民政府|政府)?$/;

interface ParseEnv {
  grid: SheetGrid;
  layout: HeaderLayout;
  cols: Columns;
  colOrder: Map<string, number>;
  ctx: TaskImportContext;
  matcher: DeptMatcher;
  indicators: (cell: string) => IndicatorMatch;
  date1904: boolean;
  suggestions: Map<string, DeptSuggestion[]>;
}

/** 「一」+「基础类」 → 「一、基础类」; 「（二）」+「提升类」 → 「（二）提升类」. */
function sectionLabel(parts: readonly string[]): string {
  let out = '';
  for (const raw of parts) {
    const p = tidyTitle(raw);
    if (!p || out.includes(p)) continue;
    out = out === '' || /[、.．)）:：]$/.test(out) ? out + p : `${out}、${p}`;
  }
  return out;
}

type RowKind =
  | { kind: 'blank' }
  | { kind: 'stop'; text: string }
  | { kind: 'skip'; reason: SkippedRow['reason']; text: string }
  | { kind: 'task' };

function classify(
  env: ParseEnv,
  r: number,
  own: (f: TaskField) => string,
  value: (f: TaskField) => string,
): RowKind {
  const { grid, layout } = env;
  let firstOwn = '';
  let ownCount = 0;
  const masters = new Set<string>();
  for (let c = 1; c <= grid.colCount; c++) {
    const g = grid.cell(r, c);
    if (g.text === '' || g.masterRow !== r) continue;
    ownCount++;
    masters.add(`${g.masterCol}`);
    if (!firstOwn) firstOwn = g.text;
  }
  if (ownCount === 0) return { kind: 'blank' };
  const lead = foldText(firstOwn);
  if (STOP.test(lead)) return { kind: 'stop', text: firstOwn };
  if (TOTAL.test(lead)) return { kind: 'skip', reason: 'total', text: firstOwn };
  const substantiveFields = ['description', 'standard', 'lead', 'coop', 'dueDate', 'indicators'] as const;
  // One merged cell across the row (「一、基础指标类任务」), unless a merged unit or date above reaches into it.
  if (masters.size === 1 && ownCount >= 2 && !substantiveFields.some((f) => value(f) !== '')) {
    return { kind: 'skip', reason: 'category', text: tidyTitle(firstOwn) };
  }
  let headerLike = 0;
  for (const [f, h] of layout.fields) {
    const t = own(f);
    if (t !== '' && normalizeHeader(t) === normalizeHeader(h.header)) headerLike++;
  }
  if (headerLike >= 2) return { kind: 'skip', reason: 'header', text: firstOwn };
  const substantive = substantiveFields.some((f) => own(f) !== '');
  if (substantive) return { kind: 'task' };
  const seq = foldText(own('seq'));
  const title = value('title');
  if (title === '') {
    const label = own('seq') || own('category') || firstOwn;
    if (SECTION.test(foldText(label)) || own('category') !== '') {
      return {
        kind: 'skip',
        reason: 'category',
        text: sectionLabel([own('seq'), own('category'), firstOwn]),
      };
    }
    return { kind: 'blank' };
  }
  if (SECTION.test(seq) || SECTION.test(foldText(title))) {
    return {
      kind: 'skip',
      reason: 'category',
      text: sectionLabel([own('seq'), title]),
    };
  }
  return { kind: 'task' };
}

function buildRow(env: ParseEnv, r: number, section: string | null): TaskImportRow {
  const { grid, layout, cols, ctx } = env;
  const cellsByField = new Map<TaskField, { value: Scalar; text: string }>();
  for (const [f, h] of layout.fields) cellsByField.set(f, grid.dataCell(r, h.col));
  const text = (f: TaskField) => cellsByField.get(f)?.text ?? '';
  const cells: Partial<Record<TaskField, string>> = {};
  for (const [f, c] of cellsByField) if (c.text !== '') cells[f] = c.text;
  const problems: ImportProblem[] = [];

  // title, texts, code
  const title = tidyTitle(text('title'));
  if (!title) {
    problems.push(
      problem(cols, 'title', 'error', 'title_missing', '缺少任务名称。请在该行填写任务名称后重新导入。'),
    );
  } else if (title.length > TITLE_MAX) {
    problems.push(
      problem(
        cols,
        'title',
        'error',
        'title_too_long',
        `任务名称有 ${title.length} 个字，超过 ${TITLE_MAX} 字上限。请精简任务名称，把具体内容移到“任务描述”列。`,
      ),
    );
  }
  const longText = (f: TaskField, label: string): string | null => {
    const t = tidyText(text(f));
    if (t && t.length > TEXT_MAX) {
      problems.push(
        problem(
          cols,
          f,
          'error',
          'text_too_long',
          `${label}有 ${t.length} 个字，超过 ${TEXT_MAX} 字上限，请精简后重新导入。`,
        ),
      );
    }
    return t;
  };
  const description = longText('description', '任务描述');
  const standard = longText('standard', '完成标准');
  let code: string | null = null;
  const codeText = foldText(text('code'));
  const seqText = foldText(text('seq'));
  if (codeText && !/^\d+(?:\.\d+)?$/.test(codeText)) {
    if (codeText.length > CODE_MAX) {
      problems.push(
        problem(
          cols,
          'code',
          'warning',
          'code_invalid',
          `编号「${codeText}」超过 ${CODE_MAX} 个字符，已忽略，导入时将自动编号。`,
          codeText,
        ),
      );
    } else code = codeText;
  } else if (
    !cols.byField.has('code') &&
    /[A-Za-z]/.test(seqText) &&
    /\d/.test(seqText) &&
    seqText.length <= CODE_MAX
  ) {
    code = seqText;
  }

  // departments
  const depts: ImportDeptRef[] = [];
  const addRefs = (source: 'lead' | 'coop') => {
    for (const raw of splitDeptList(text(source))) {
      if (source === 'coop' && GROUP_TOWNS.test(foldText(raw))) {
        const towns = ctx.departments.filter((d) => d.kind === 'town');
        if (towns.length > 0) {
          for (const t of towns) depts.push({ raw, source, deptId: t.id, match: 'group' });
          problems.push(
            problem(
              cols,
              'coop',
              'warning',
              'dept_group',
              `「${raw}」已展开为全部 ${towns.length} 个镇（${towns.map((t) => t.shortName ?? t.name).join('、')}）作为配合单位；如需包含其他单位请在导入后调整。`,
              raw,
            ),
          );
          continue;
        }
      }
      const m = env.matcher.match(raw);
      if (m.kind !== 'none' && m.deptId) depts.push({ raw, source, deptId: m.deptId, match: m.kind });
      else {
        depts.push({ raw, source, deptId: null, match: 'none' });
        if (!env.suggestions.has(raw)) env.suggestions.set(raw, m.suggestions);
      }
    }
  };
  addRefs('lead');
  addRefs('coop');
  const derived = deriveDepts(depts, cols, env.suggestions);
  problems.push(...derived.problems);

  // due date and recurrence
  let dueDate: string | null = null;
  let recurrence: Recurrence = 'none';
  let recurrenceHint: RecurrenceHint | null = null;
  const due = cellsByField.get('dueDate');
  if (due) {
    const v = due.value;
    const parsed = parseDueDate(typeof v === 'boolean' ? due.text : v, {
      date1904: env.date1904,
      today: ctx.today,
    });
    if (parsed.kind === 'invalid') {
      problems.push(problem(cols, 'dueDate', 'error', 'date_invalid', parsed.message, due.text));
    } else if (parsed.kind === 'date' || parsed.kind === 'none') {
      if (parsed.kind === 'date') dueDate = parsed.date;
      recurrenceHint = parsed.recurrence;
      for (const w of parsed.warnings)
        problems.push(problem(cols, 'dueDate', 'warning', 'date_warning', w, due.text));
    }
  }
  const rec = cols.byField.has('recurrence') ? parseRecurrence(text('recurrence')) : null;
  if (rec === 'unknown' || rec === 'unsupported') {
    problems.push(
      problem(
        cols,
        'recurrence',
        'warning',
        'recurrence_unknown',
        rec === 'unknown'
          ? `无法识别周期「${text('recurrence')}」，已按一次性任务导入。可填写：每周、每月、每季度、一次性。`
          : `系统暂不支持周期「${text('recurrence')}」，已按一次性任务导入，请在导入后调整。`,
        text('recurrence'),
      ),
    );
  } else if (rec) recurrence = rec;
  if (rec === null && recurrenceHint) recurrence = recurrenceHint;
  if (due && due.text === '' && recurrence === 'none') {
    problems.push(
      problem(cols, 'dueDate', 'warning', 'date_missing', '未填写完成时限，导入后该任务没有截止日期。'),
    );
  }

  // indicators, priority
  const indicatorIds: string[] = [];
  if (text('indicators')) {
    const im = env.indicators(text('indicators'));
    indicatorIds.push(...im.ids);
    for (const u of im.unmatched) {
      problems.push(
        problem(
          cols,
          'indicators',
          'warning',
          'indicator_unmatched',
          `关联指标「${u}」未找到，导入后不会关联该指标。可填写指标编号（如 基础-01）或指标名称。`,
          u,
        ),
      );
    }
    for (const a of im.ambiguous) {
      problems.push(
        problem(
          cols,
          'indicators',
          'warning',
          'indicator_unmatched',
          `关联指标「${a.text}」对应多个指标（${a.names.join('；')}），未关联。请改填指标编号。`,
          a.text,
        ),
      );
    }
  }
  const pr = parsePriority(text('priority'));
  if (pr.unknown) {
    problems.push(
      problem(
        cols,
        'priority',
        'warning',
        'priority_unknown',
        `无法识别优先级「${text('priority')}」，已按“一般”导入。可填写：一般、重要、紧急。`,
        text('priority'),
      ),
    );
  }

  const category = tidyTitle(text('category')) || section;
  const sorted = sortProblems(problems, env.colOrder);
  return {
    sheet: grid.name,
    rowNumber: r,
    category,
    cells,
    task: {
      code,
      title,
      description,
      standard,
      leadDeptId: derived.leadDeptId,
      coopDeptIds: derived.coopDeptIds,
      indicatorIds,
      dueDate,
      priority: pr.value,
      recurrence,
    },
    depts,
    problems: sorted,
    importable: !sorted.some((p) => p.severity === 'error'),
  };
}

function markDuplicates(rows: TaskImportRow[], cols: Columns, colOrder: Map<string, number>): void {
  const titles = new Map<string, number>();
  const codes = new Map<string, number>();
  for (const row of rows) {
    const extra: ImportProblem[] = [];
    const t = row.task.title;
    if (t) {
      const first = titles.get(t);
      if (first === undefined) titles.set(t, row.rowNumber);
      else {
        extra.push(
          problem(
            cols,
            'title',
            'warning',
            'duplicate',
            `与第 ${first} 行的任务名称相同，请确认是否重复填报。`,
            t,
          ),
        );
      }
    }
    const c = row.task.code;
    if (c) {
      const first = codes.get(c);
      if (first === undefined) codes.set(c, row.rowNumber);
      else {
        extra.push(
          problem(
            cols,
            'code',
            'warning',
            'duplicate',
            `编号「${c}」与第 ${first} 行重复，导入时该行将自动编号。`,
            c,
          ),
        );
        row.task = { ...row.task, code: null };
      }
    }
    if (extra.length > 0) row.problems = sortProblems([...row.problems, ...extra], colOrder);
  }
}

function summarize(
  preview: Omit<TaskImportPreview, 'unmatchedDepartments' | 'counts'>,
  suggestions: ReadonlyMap<string, readonly DeptSuggestion[]>,
): TaskImportPreview {
  const unmatched = new Map<string, UnmatchedDepartment>();
  for (const row of preview.rows) {
    for (const d of row.depts) {
      if (d.match !== 'none') continue;
      const u = unmatched.get(d.raw);
      if (u) {
        if (!u.rows.includes(row.rowNumber)) u.rows.push(row.rowNumber);
      } else {
        unmatched.set(d.raw, {
          name: d.raw,
          rows: [row.rowNumber],
          suggestions: [...(suggestions.get(d.raw) ?? [])],
        });
      }
    }
  }
  const withErrors = preview.rows.filter((r) => !r.importable).length;
  return {
    ...preview,
    unmatchedDepartments: [...unmatched.values()],
    counts: {
      rows: preview.rows.length,
      ready: preview.rows.length - withErrors,
      withErrors,
      withWarnings: preview.rows.filter((r) => r.problems.some((p) => p.severity === 'warning')).length,
      skipped: preview.skipped.length,
    },
  };
}

// ---------- entry points ----------

async function loadWorkbook(data: Buffer, name: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it reads at runtime.
    await wb.xlsx.load(data as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch (e) {
    throw new AppError(
      'BAD_INPUT',
      `「${name}」无法读取：文件可能已损坏，或包含本程序无法识别的内容。请在 Excel/WPS 中打开后另存为新的 .xlsx 再导入。`,
      { fileName: name, cause: e instanceof Error ? e.message : String(e) },
    );
  }
  return wb;
}

function fieldList(fields: readonly TaskField[]): string {
  return fields.map((f) => `“${TASK_FIELD_LABEL[f]}”`).join('、');
}

/**
 * Reads a task-list workbook and returns what would be imported, row by row, with problems.
 * Throws AppError BAD_INPUT (naming the file, and the sheet where relevant) for files that are
 * not .xlsx, too large, corrupt, without a recognisable header, or without data rows.
 */
export async function previewTaskWorkbook(
  input: ImportFile,
  ctx: TaskImportContext,
): Promise<TaskImportPreview> {
  const fileName = displayName(input.fileName);
  assertXlsx(input.data, fileName);
  const wb = await loadWorkbook(input.data, fileName);
  const grids = wb.worksheets.map((ws) => new SheetGrid(ws));
  if (grids.length === 0) throw new AppError('BAD_INPUT', `「${fileName}」中没有工作表。`, { fileName });

  const searched = grids.map((grid) => ({ grid, ...findHeader(grid) }));
  const ordered = [...searched.filter((s) => !s.grid.hidden), ...searched.filter((s) => s.grid.hidden)];
  const chosen = ordered.find((s) => s.layout !== null);
  if (!chosen?.layout) {
    const names = searched.map((s) => `「${s.grid.name}」`).join('');
    const best = searched.reduce((a, b) => (b.partial.length > a.partial.length ? b : a));
    const partial =
      best.partial.length > 0 ? `；「${best.grid.name}」中只识别到 ${fieldList(best.partial)}` : '';
    throw new AppError(
      'BAD_INPUT',
      `「${fileName}」的工作表${names}前 ${HEADER_SEARCH_ROWS} 行中${searched.length > 1 ? '都' : ''}找不到表头（需要至少包含“任务名称”和“牵头单位”或“完成时限”等列${partial}）。请检查表头文字，或把任务清单放在第一个工作表。`,
      { fileName, sheets: searched.map((s) => s.grid.name) },
    );
  }
  const { grid, layout } = chosen;

  const byField = new Map<TaskField, ColumnInfo>();
  for (const [f, h] of layout.fields)
    byField.set(f, { col: h.col, letter: columnLetter(h.col), header: h.header });
  const cols: Columns = { byField };
  const columns: ImportColumn[] = [...byField.entries()]
    .sort((a, b) => a[1].col - b[1].col)
    .map(([field, c]) => ({ field, column: c.letter, header: c.header }));
  const colOrder = new Map(columns.map((c, i) => [c.column, i]));

  const env: ParseEnv = {
    grid,
    layout,
    cols,
    colOrder,
    ctx,
    matcher: createDeptMatcher(ctx.departments, ctx.city),
    indicators: createIndicatorMatcher(ctx.indicators),
    date1904: wb.properties.date1904 === true,
    suggestions: new Map(),
  };

  const rows: TaskImportRow[] = [];
  const skipped: SkippedRow[] = [];
  const notices: string[] = [];
  let section: string | null = null;
  let blank = 0;
  let pendingBlank = 0; // blank rows after the last content row are not worth a notice
  let stoppedAt: { row: number; text: string } | null = null;
  const firstData = layout.row + layout.rows;
  for (let r = firstData; r <= grid.rowCount; r++) {
    if (!grid.hasRow(r)) {
      pendingBlank++;
      continue;
    }
    const own = (f: TaskField) => {
      const h = layout.fields.get(f);
      if (!h) return '';
      const c = grid.dataCell(r, h.col);
      return c.inherited ? '' : c.text;
    };
    const value = (f: TaskField) => {
      const h = layout.fields.get(f);
      return h ? grid.dataCell(r, h.col).text : '';
    };
    const k = classify(env, r, own, value);
    if (k.kind === 'blank') {
      pendingBlank++;
      continue;
    }
    blank += pendingBlank;
    pendingBlank = 0;
    if (k.kind === 'stop') {
      stoppedAt = { row: r, text: k.text };
      break;
    }
    if (k.kind === 'skip') {
      skipped.push({ rowNumber: r, reason: k.reason, text: k.text });
      if (k.reason === 'category') section = k.text;
      continue;
    }
    rows.push(buildRow(env, r, section));
  }
  if (rows.length === 0) {
    throw new AppError(
      'BAD_INPUT',
      `「${fileName}」的工作表「${grid.name}」表头（第 ${layout.row} 行）下面没有任务数据。`,
      { fileName, sheet: grid.name },
    );
  }
  markDuplicates(rows, cols, colOrder);

  if (grids.length > 1) {
    const others = searched.filter((s) => s !== chosen && s.layout !== null).map((s) => `「${s.grid.name}」`);
    notices.push(
      `工作簿共有 ${grids.length} 个工作表，本次导入「${grid.name}」` +
        (others.length > 0
          ? `；${others.join('')}也像任务清单，如需导入请单独保存为一个文件后再导入。`
          : '。'),
    );
  } else {
    notices.push(`导入工作表「${grid.name}」。`);
  }
  notices.push(
    layout.rows === 2
      ? `表头位于第 ${layout.row}–${layout.row + 1} 行（两行表头）。`
      : `表头位于第 ${layout.row} 行。`,
  );
  if (!byField.has('lead')) notices.push('没有“牵头单位”列，导入的任务都没有牵头单位，请导入后补充。');
  if (!byField.has('dueDate')) notices.push('没有“完成时限”列，导入的任务都没有截止日期。');
  const ignored = layout.ignored.map((c) => ({ column: columnLetter(c.col), header: c.header }));
  if (ignored.length > 0) {
    notices.push(`以下列不导入：${ignored.map((c) => `${c.header}（${c.column} 列）`).join('、')}。`);
  }
  const cat = skipped.filter((s) => s.reason === 'category').length;
  const tot = skipped.filter((s) => s.reason === 'total').length;
  const hdr = skipped.filter((s) => s.reason === 'header').length;
  const parts = [
    cat > 0 ? `${cat} 个分类行` : '',
    tot > 0 ? `${tot} 个合计行` : '',
    hdr > 0 ? `${hdr} 个重复表头行` : '',
    blank > 0 ? `${blank} 个空行` : '',
  ].filter((p) => p !== '');
  if (parts.length > 0) notices.push(`已跳过 ${parts.join('、')}。`);
  const unstored = (['category', 'remark'] as const).filter((f) => rows.some((r) => r.cells[f]));
  if (unstored.length > 0) {
    const names = unstored.map((f) => `“${byField.get(f)?.header ?? TASK_FIELD_LABEL[f]}”`).join('、');
    notices.push(`${names}列的内容只在预览中显示，不会保存到任务中。`);
  }
  if (stoppedAt)
    notices.push(`第 ${stoppedAt.row} 行起为「${stoppedAt.text.slice(0, 20)}」等说明内容，未导入。`);

  return summarize(
    {
      fileName,
      sheet: grid.name,
      headerRow: layout.row,
      headerRows: layout.rows,
      columns,
      ignoredColumns: ignored,
      rows,
      skipped,
      notices,
    },
    env.suggestions,
  );
}

/** previewTaskWorkbook for a file on disk; files over the size limit are refused before reading. */
export async function previewTaskWorkbookFile(
  path: string,
  ctx: TaskImportContext,
): Promise<TaskImportPreview> {
  return previewTaskWorkbook(await readImportFile(path), ctx);
}

/**
 * Resolves unmatched department names: mapping[raw] = a department id, or null to ignore the
 * name. Returns a new preview (the input is not modified) with tasks, problems, counts and the
 * unmatched list recomputed. Mapping a name again (or to null) after an earlier mapping works.
 */
export function applyDeptMapping(
  preview: TaskImportPreview,
  mapping: Readonly<Record<string, string | null>>,
): TaskImportPreview {
  const has = (raw: string) => Object.prototype.hasOwnProperty.call(mapping, raw);
  const byField = new Map<TaskField, ColumnInfo>();
  preview.columns.forEach((c, i) => byField.set(c.field, { col: i + 1, letter: c.column, header: c.header }));
  const cols: Columns = { byField };
  const colOrder = new Map(preview.columns.map((c, i) => [c.column, i]));
  const suggestions = new Map(preview.unmatchedDepartments.map((u) => [u.name, u.suggestions]));
  const remappable = new Set<ImportDeptRef['match']>(['none', 'mapped', 'ignored']);

  const rows = preview.rows.map((row) => {
    if (!row.depts.some((d) => remappable.has(d.match) && has(d.raw))) return row;
    const depts = row.depts.map((d): ImportDeptRef => {
      if (!remappable.has(d.match) || !has(d.raw)) return d;
      const id = mapping[d.raw] ?? null;
      return id ? { ...d, deptId: id, match: 'mapped' } : { ...d, deptId: null, match: 'ignored' };
    });
    const derived = deriveDepts(depts, cols, suggestions);
    const problems = sortProblems(
      [...row.problems.filter((p) => !DERIVED_KINDS.has(p.kind)), ...derived.problems],
      colOrder,
    );
    return {
      ...row,
      depts,
      task: { ...row.task, leadDeptId: derived.leadDeptId, coopDeptIds: derived.coopDeptIds },
      problems,
      importable: !problems.some((p) => p.severity === 'error'),
    };
  });
  return summarize({ ...preview, rows }, suggestions);
}

/** One line per problem for the command line: 「第 12 行 G 列（完成时限）：…」. */
export function formatProblem(row: Pick<TaskImportRow, 'rowNumber'>, p: ImportProblem): string {
  const where = p.column ? `第 ${row.rowNumber} 行 ${p.column} 列（${p.header}）` : `第 ${row.rowNumber} 行`;
  return `${p.severity === 'error' ? '错误' : '提示'}  ${where}：${p.message}`;
}
