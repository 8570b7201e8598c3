/**
 * Issue 7 ("Speed"), the compliance readers:
 *   (o) a 500,000-row × 21-column GBK CSV of 行政处罚 rows (DOMAIN.md §3.3 columns), parse only
 *       (openTable → batches): rows/s printed; the full check's row is added next to it.
 *   (p) a 200,000-row × 20-column xlsx: our streamed reader vs exceljs's streaming reader
 *       (ExcelJS.stream.xlsx.WorkbookReader) on the same file; target: ours ≥ 3× faster.
 * Each measurement runs in a child process of its own (`node --import tsx compliance-measure.ts
 * <kind> <file>`, or its esbuild bundle for (q) and (r)) that reports rows, milliseconds and its peak memory
 * (process.resourceUsage().maxRSS); every peak must stay under 500 MB. The files are generated
 * once (seeded, the same every run) and cached in the temp folder.
 *
 * To add a measurement: a kind in MEASURES (compliance-measure.ts: what the child runs on a file) and a row in
 * complianceBenchRows that calls measureInChild(kind, file).
 *
 * Alone: npx tsx test/bench/compliance-bench.ts   (--reseed: regenerate the files;
 * --check-only: just (q) and (r), the full check, which run the esbuild-built code)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as EsbuildNs from 'esbuild';
import { BUILTIN_RULE_SETS } from '../../main/core/compliance/builtin';
import { RuleSetDefinition } from '../../main/core/contract/compliance';
import { csvText, writeXlsx, type XlsxCell } from '../helpers/compliance-files';
import { injectDefects, PENALTY_HEADERS, validPenaltyRow } from '../helpers/compliance-rows';
import { encodeGbk } from '../helpers/gbk';
import { BENCH_BUILD_DIR, externalDependencies } from './build';
import { benchDir } from './compliance-measure';
import type { BenchRow } from './materials-bench';
import { rng } from './text';
import { ms, stats } from './timing';

export const CSV_ROWS = 500_000;
export const XLSX_ROWS = 200_000;
export const XLSX_COLUMNS = 20;
export const PEAK_RSS_LIMIT_MB = 500;
export const XLSX_MIN_RATIO = 3;
const OURS_RUNS = 3;
const FILES_VERSION = 1;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MEASURE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'compliance-measure.ts');

// ---------------------------------------------------------------- data

/** The 21 columns of the bench files (行政处罚, DOMAIN.md §3.3). */
export const PENALTY_HEADER = [
  '行政相对人名称',
  '行政相对人类别',
  '行政相对人代码_1（统一社会信用代码）',
  '法定代表人',
  '法定代表人证件类型',
  '法定代表人证件号码',
  '证件类型',
  '证件号码',
  '行政处罚决定书文号',
  '违法行为类型',
  '违法事实',
  '处罚依据',
  '处罚类别',
  '处罚内容',
  '罚款金额（万元）',
  '处罚决定日期',
  '处罚有效期',
  '公示截止期',
  '处罚机关',
  '处罚机关统一社会信用代码',
  '数据来源单位',
];

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_W = [3, 7, 9, 10, 5, 8, 4, 2];
const ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A valid 统一社会信用代码 (mod-11 organisation code, mod-31 check) from a random 8-digit body. */
function uscc(r: () => number, kind = '91'): string {
  let body = '';
  for (let i = 0; i < 8; i++) body += String(Math.floor(r() * 10));
  let s = 0;
  for (let i = 0; i < 8; i++) s += Number(body[i]) * (ORG_W[i] as number);
  const c9 = 11 - (s % 11);
  const org = body + (c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9));
  const pre = `${kind}469002${org}`;
  let t = 0;
  for (let i = 0; i < 17; i++) t += USCC_CHARS.indexOf(pre[i] as string) * (USCC_W[i] as number);
  return pre + USCC_CHARS[(31 - (t % 31)) % 31];
}

function idNumber(r: () => number): string {
  const y = 1950 + Math.floor(r() * 50);
  const m = 1 + Math.floor(r() * 12);
  const d = 1 + Math.floor(r() * 28);
  const pre = `469002${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(Math.floor(r() * 1000)).padStart(3, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(pre[i]) * (ID_W[i] as number);
  return pre + ID_CHECK[s % 11];
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢符';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文华海南琼博鳌嘉积椰林';
const TRADE = [
  '商贸',
  '建筑工程',
  '餐饮管理',
  '农业开发',
  '旅游文化',
  '物流',
  '房地产开发',
  '医药',
  '汽车维修',
  '电子科技',
  '水产养殖',
  '酒店管理',
];
const PLACE = ['琼海', '嘉积', '博鳌', '万泉', '长坡', '大路', '潭门', '中原', '阳江', '会山'];
const ORGS: [string, string][] = [
  ['琼海市市场监督管理局', '11469002MB1234567X'],
  ['琼海市生态环境局', '11469002MB2345678Y'],
  ['琼海市交通运输局', '11469002MB3456789P'],
  ['琼海市应急管理局', '11469002MB4567890Q'],
  ['琼海市卫生健康委员会', '11469002MB5678901R'],
  ['琼海市住房和城乡建设局', '11469002MB6789012T'],
];
const ACTS: [string, string, string][] = [
  ['未按规定公示年度报告', '《企业信息公示暂行条例》第八条', '警告'],
  ['销售不符合食品安全标准的食品', '《中华人民共和国食品安全法》第一百二十四条', '罚款'],
  ['未取得许可擅自从事经营活动', '《无证无照经营查处办法》第十三条', '罚款;没收违法所得'],
  ['超标排放大气污染物', '《中华人民共和国大气污染防治法》第九十九条', '罚款'],
  ['道路运输车辆未按规定进行年审', '《中华人民共和国道路运输条例》第七十条', '罚款'],
  ['安全生产培训记录不全', '《中华人民共和国安全生产法》第九十七条', '警告;罚款'],
];

const pad2 = (n: number) => String(n).padStart(2, '0');

/** One 行政处罚 row (21 cells); dates as YYYY-MM-DD. About 1 % of rows carry a wrong check digit. */
export function penaltyRow(i: number, r: () => number): string[] {
  const person = r() < 0.3;
  const name =
    SURNAMES[Math.floor(r() * SURNAMES.length)]! +
    GIVEN[Math.floor(r() * GIVEN.length)]! +
    (r() < 0.5 ? GIVEN[Math.floor(r() * GIVEN.length)]! : '');
  const company = `海南${PLACE[Math.floor(r() * PLACE.length)]}${TRADE[Math.floor(r() * TRADE.length)]}有限公司`;
  const [act, basis, kind] = ACTS[Math.floor(r() * ACTS.length)]!;
  const [org, orgCode] = ORGS[Math.floor(r() * ORGS.length)]!;
  const y = 2024 + Math.floor(r() * 3);
  const m = 1 + Math.floor(r() * 12);
  const d = 1 + Math.floor(r() * 28);
  const fine = kind.includes('罚款') ? (Math.floor(r() * 5000) / 100).toFixed(2) : '';
  let code = person ? '' : uscc(r);
  if (code && r() < 0.01) code = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
  return [
    person ? name : company,
    person ? '自然人' : '法人及非法人组织',
    code,
    person ? '' : name,
    person ? '' : '身份证',
    person ? '' : idNumber(r),
    person ? '身份证' : '',
    person ? idNumber(r) : '',
    `琼海${org.slice(3, 5)}罚〔${y}〕${1000 + (i % 9000)}号`,
    act!,
    `经查，当事人${act}，违反了${basis}的规定，事实清楚，证据确凿。`,
    basis!,
    kind!,
    fine ? `${kind}，罚款人民币${Math.round(Number(fine) * 10000)}元` : `${kind}`,
    fine,
    `${y}-${pad2(m)}-${pad2(d)}`,
    `${y + 1}-${pad2(m)}-${pad2(d)}`,
    `${y + (kind === '警告' ? 0 : 1)}-${pad2(m)}-${pad2(d)}`,
    org!,
    orgCode!,
    org!,
  ];
}

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The cached 500,000-row GBK CSV (generated when missing or with reseed). */
export function penaltyCsv(reseed = false): string {
  const file = path.join(benchDir(), `penalty-${CSV_ROWS}-v${FILES_VERSION}.gbk.csv`);
  if (!reseed && fs.existsSync(file)) return file;
  const tmp = `${file}.part`;
  const fd = fs.openSync(tmp, 'w');
  try {
    const r = rng(7);
    let text = PENALTY_HEADER.join(',') + '\r\n';
    for (let i = 0; i < CSV_ROWS; i++) {
      text += penaltyRow(i, r).map(csvField).join(',') + '\r\n';
      if (text.length > 1 << 20) {
        fs.writeSync(fd, encodeGbk(text));
        text = '';
      }
    }
    fs.writeSync(fd, encodeGbk(text));
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return file;
}

/** The cached 200,000 × 20 xlsx (the first 20 columns; amounts as numbers, dates as dates). */
export async function penaltyXlsx(reseed = false): Promise<string> {
  const file = path.join(benchDir(), `penalty-${XLSX_ROWS}x${XLSX_COLUMNS}-v${FILES_VERSION}.xlsx`);
  if (!reseed && fs.existsSync(file)) return file;
  const rows = function* (): Generator<XlsxCell[]> {
    const r = rng(11);
    yield PENALTY_HEADER.slice(0, XLSX_COLUMNS);
    for (let i = 0; i < XLSX_ROWS; i++) {
      const row: XlsxCell[] = penaltyRow(i, r).slice(0, XLSX_COLUMNS);
      for (const c of [15, 16, 17]) {
        const v = row[c] as string;
        row[c] = new Date(Date.UTC(Number(v.slice(0, 4)), Number(v.slice(5, 7)) - 1, Number(v.slice(8, 10))));
      }
      if (row[14] !== '') row[14] = Number(row[14]);
      yield row;
    }
  };
  const tmp = `${file}.part`;
  await writeXlsx(tmp, [{ name: '行政处罚', rows }], { level: 6 });
  fs.renameSync(tmp, file);
  return file;
}

export interface ChildMeasure {
  rows: number;
  ms: number;
  /** Peak resident memory of the child, MB. */
  peakMb: number;
}

/**
 * Runs MEASURES[kind] on the file in a fresh process: `node --import tsx` on compliance-measure.ts, or
 * `node <built>` when `built` (buildMeasure) is given.
 */
export function measureInChild(kind: string, file: string, built?: string | null): ChildMeasure {
  const args = built ? [built, kind, file] : ['--import', 'tsx', MEASURE_SCRIPT, kind, file];
  const r = spawnSync(process.execPath, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new Error(`${kind} failed (exit ${r.status}): ${r.stderr || r.error?.message || ''}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildMeasure;
}

const perSec = (rows: number, msec: number) => Math.round((rows / msec) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');

function medianOf(
  kind: string,
  file: string,
  runs: number,
  built?: string | null,
): { ms: number; rows: number; peakMb: number } {
  const all = Array.from({ length: runs }, () => measureInChild(kind, file, built));
  return {
    ms: stats(all.map((m) => m.ms)).median,
    rows: all[0]?.rows ?? 0,
    peakMb: Math.max(...all.map((m) => m.peakMb)),
  };
}

// ---------------------------------------------------------------- rows

/** The compliance rows (o), (p) of `npm run bench`, logged like the others. */
export async function complianceBenchRows(
  log: (s?: string) => void,
  opts: { reseed?: boolean } = {},
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  log('Compliance readers: generating/reusing the bench files…');
  const t0 = performance.now();
  const csv = penaltyCsv(opts.reseed);
  const xlsx = await penaltyXlsx(opts.reseed);
  log(
    `  files ready in ${ms(performance.now() - t0)}: ${path.basename(csv)} ${(fs.statSync(csv).size / 1048576).toFixed(1)} MB, ` +
      `${path.basename(xlsx)} ${(fs.statSync(xlsx).size / 1048576).toFixed(1)} MB`,
  );

  // (o) CSV parse only
  const parse = medianOf('read-ours', csv, OURS_RUNS);
  const gbk = measureInChild('decode-gbk', csv);
  const gb18030 = measureInChild('decode-gb18030', csv);
  log(
    `  (o) ${fmt(CSV_ROWS)}-row × 21 GBK CSV, parse only: median ${ms(parse.ms)} over ${OURS_RUNS} runs — ` +
      `${fmt(perSec(parse.rows, parse.ms))} rows/s, peak ${parse.peakMb.toFixed(0)} MB`,
  );
  log(
    `      decoding alone: TextDecoder('gbk') ${ms(gbk.ms)}, ('gb18030') ${ms(gb18030.ms)} (the reader uses gb18030)`,
  );
  const csvMemOk = parse.peakMb < PEAK_RSS_LIMIT_MB;
  rows.push({
    name: '(o) compliance: 500k-row GBK CSV, parse only',
    median: parse.ms,
    p95: null,
    runs: OURS_RUNS,
    target: csvMemOk ? null : 0,
    note: `${fmt(perSec(parse.rows, parse.ms))} rows/s; peak ${parse.peakMb.toFixed(0)} MB${csvMemOk ? '' : ` ≥ ${PEAK_RSS_LIMIT_MB} MB`}`,
  });

  // (p) xlsx ours vs exceljs
  const ours = medianOf('read-ours', xlsx, OURS_RUNS);
  const theirs = measureInChild('read-exceljs', xlsx);
  if (ours.rows !== theirs.rows)
    throw new Error(`row counts differ: ours ${ours.rows}, exceljs ${theirs.rows}`);
  const ratio = theirs.ms / ours.ms;
  const memOk = ours.peakMb < PEAK_RSS_LIMIT_MB;
  log(
    `  (p) ${fmt(XLSX_ROWS)} × ${XLSX_COLUMNS} xlsx: ours median ${ms(ours.ms)} over ${OURS_RUNS} runs ` +
      `(${fmt(perSec(ours.rows, ours.ms))} rows/s, peak ${ours.peakMb.toFixed(0)} MB); exceljs streaming reader ${ms(theirs.ms)} ` +
      `(${fmt(perSec(theirs.rows, theirs.ms))} rows/s, peak ${theirs.peakMb.toFixed(0)} MB); ours ${ratio.toFixed(1)}× faster (target ≥ ${XLSX_MIN_RATIO}×)`,
  );
  log();
  rows.push({
    name: '(p) compliance: 200k×20 xlsx read vs exceljs',
    median: ours.ms,
    p95: null,
    runs: OURS_RUNS,
    target: memOk ? Math.floor(theirs.ms / XLSX_MIN_RATIO) : 0,
    note:
      `${ratio.toFixed(1)}× exceljs stream (${ms(theirs.ms)}); ${fmt(perSec(ours.rows, ours.ms))} rows/s; ` +
      `peak ${ours.peakMb.toFixed(0)} MB${memOk ? '' : ` ≥ ${PEAK_RSS_LIMIT_MB} MB`}`,
  });
  rows.push(...(await complianceCheckBenchRows(log, opts)));
  return rows;
}

// ---------------------------------------------------------------- the full check

export const CHECK_MIN_ROWS_PER_S = 150_000;
export const CHECK_MIN_RATIO = 0.5;
const CHECK_RUNS = 3;
/** Rows per generation chunk; each chunk gets 27 kinds × 4 injected defects (~1.1 % of rows). */
const CHUNK = 10_000;

/**
 * Valid 行政处罚 rows of the bundled rule set (test/helpers/compliance-rows) with ~1 % injected
 * defects, generated chunk by chunk (never all rows in memory).
 */
function* checkRows(total: number, seed: number): Generator<string[][]> {
  const r = rng(seed);
  for (let from = 0; from < total; from += CHUNK) {
    const chunk: string[][] = [];
    for (let i = from; i < Math.min(total, from + CHUNK); i++) chunk.push(validPenaltyRow(r, i));
    injectDefects(chunk, r, { perKind: 4 });
    yield chunk;
  }
}

/** The cached 500,000 × 21 GBK CSV for the full check. */
export function checkCsv(reseed = false): string {
  const file = path.join(benchDir(), `check-penalty-${CSV_ROWS}-v${FILES_VERSION}.gbk.csv`);
  if (!reseed && fs.existsSync(file)) return file;
  const tmp = `${file}.part`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, encodeGbk(csvText([[...PENALTY_HEADERS]])));
    for (const chunk of checkRows(CSV_ROWS, 21)) fs.writeSync(fd, encodeGbk(csvText(chunk)));
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return file;
}

/** The cached 200,000 × 20 xlsx for the full check (the 21 columns less an optional one; dates as dates). */
export async function checkXlsx(reseed = false): Promise<string> {
  const file = path.join(benchDir(), `check-penalty-${XLSX_ROWS}x${XLSX_COLUMNS}-v${FILES_VERSION + 1}.xlsx`);
  if (!reseed && fs.existsSync(file)) return file;
  // leave out the first optional column (no requiredWhen): the rows stay valid
  const def = RuleSetDefinition.parse(BUILTIN_RULE_SETS.find((d) => d.code === 'xzcf'));
  const drop = PENALTY_HEADERS.findIndex((h) => {
    const f = def.fields.find((x) => x.name === h);
    return f !== undefined && !f.required && f.requiredWhen === null;
  });
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/;
  const cell = (v: string): XlsxCell => {
    const m = iso.exec(v);
    return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : v;
  };
  const rows = function* (): Generator<XlsxCell[]> {
    yield PENALTY_HEADERS.filter((_, i) => i !== drop);
    for (const chunk of checkRows(XLSX_ROWS, 22))
      for (const row of chunk) yield row.filter((_, i) => i !== drop).map(cell);
  };
  const tmp = `${file}.part`;
  await writeXlsx(tmp, [{ name: '行政处罚', rows }], { level: 6 });
  fs.renameSync(tmp, file);
  return file;
}

/**
 * This file and the job worker bundled the way the app build ships them (esbuild, code
 * splitting, dependencies external except the bundled ones; the worker as job-worker.js next to
 * the entry, where main/core/jobs/jobs.ts looks for it), so (q) and (r) time the product's code
 * without tsx's on-the-fly compilation. Returns the entry, or null when esbuild is missing.
 */
export async function buildMeasure(): Promise<string | null> {
  let esbuild: typeof EsbuildNs;
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  const dir = path.join(BENCH_BUILD_DIR, 'compliance');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  await esbuild.build({
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    splitting: true,
    external: [...externalDependencies(), 'esbuild'],
    entryPoints: {
      measure: MEASURE_SCRIPT,
      'job-worker': path.join(REPO_ROOT, 'main/core/jobs/worker.ts'),
    },
    outdir: dir,
    chunkNames: 'chunks/[name]-[hash]',
  });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
  return path.join(dir, 'measure.js');
}

/**
 * (q) the full check of a 500,000-row GBK CSV next to parsing the same file, in the same run and
 * the same way (the built code, each measurement in its own process): ≥ 150,000 rows/s and ≥
 * half the parse-only throughput; the check is a 'compliance.check' job, as the app runs it (two
 * threads over the CSV). (r) the same for a 200,000 × 20 xlsx (one thread). Peak memory of the
 * whole process (threads included) < 500 MB.
 */
export async function complianceCheckBenchRows(
  log: (s?: string) => void,
  opts: { reseed?: boolean } = {},
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const csv = checkCsv(opts.reseed);
  const xlsx = await checkXlsx(opts.reseed);
  const built = await buildMeasure();
  const how = built ? 'built with esbuild' : 'under tsx (esbuild not available)';
  const parse = medianOf('read-ours', csv, CHECK_RUNS, built);
  const check = medianOf('check-job', csv, CHECK_RUNS, built);
  const parseRate = perSec(parse.rows, parse.ms);
  const checkRate = perSec(check.rows, check.ms);
  const ratio = checkRate / parseRate;
  const okCsv =
    checkRate >= CHECK_MIN_ROWS_PER_S && ratio >= CHECK_MIN_RATIO && check.peakMb < PEAK_RSS_LIMIT_MB;
  log(
    `  (q) ${fmt(CSV_ROWS)}-row × 21 GBK CSV (valid rows, ~1 % defects), ${how}, medians of ${CHECK_RUNS}: ` +
      `parse only ${ms(parse.ms)} — ${fmt(parseRate)} rows/s, peak ${parse.peakMb.toFixed(0)} MB; ` +
      `full check (job, 行政处罚, error workbook) ${ms(check.ms)} — ${fmt(checkRate)} rows/s, peak ${check.peakMb.toFixed(0)} MB; ` +
      `check/parse ${ratio.toFixed(2)} (targets ≥ ${CHECK_MIN_RATIO}, ≥ ${fmt(CHECK_MIN_ROWS_PER_S)} rows/s, < ${PEAK_RSS_LIMIT_MB} MB)`,
  );
  rows.push({
    name: '(q) compliance: 500k-row GBK CSV, full check',
    median: check.ms,
    p95: null,
    runs: CHECK_RUNS,
    // the time limit that both throughput targets imply (0 when the memory limit is broken)
    target:
      check.peakMb < PEAK_RSS_LIMIT_MB
        ? Math.floor(Math.min((CSV_ROWS / CHECK_MIN_ROWS_PER_S) * 1000, parse.ms / CHECK_MIN_RATIO))
        : 0,
    note: `${fmt(checkRate)} rows/s; ${ratio.toFixed(2)}× parse-only (${fmt(parseRate)} rows/s); peak ${check.peakMb.toFixed(0)} MB${okCsv ? '' : ' — FAIL'}`,
  });

  const xparse = medianOf('read-ours', xlsx, CHECK_RUNS, built);
  const xcheck = medianOf('check-job', xlsx, CHECK_RUNS, built);
  const xParseRate = perSec(xparse.rows, xparse.ms);
  const xRate = perSec(xcheck.rows, xcheck.ms);
  const xRatio = xRate / xParseRate;
  log(
    `  (r) ${fmt(XLSX_ROWS)} × ${XLSX_COLUMNS} xlsx, ${how}, medians of ${CHECK_RUNS}: parse only ${ms(xparse.ms)} — ` +
      `${fmt(xParseRate)} rows/s, peak ${xparse.peakMb.toFixed(0)} MB; full check (job) ${ms(xcheck.ms)} — ` +
      `${fmt(xRate)} rows/s, peak ${xcheck.peakMb.toFixed(0)} MB; check/parse ${xRatio.toFixed(2)}`,
  );
  log();
  rows.push({
    name: '(r) compliance: 200k×20 xlsx, full check',
    median: xcheck.ms,
    p95: null,
    runs: CHECK_RUNS,
    target: xcheck.peakMb < PEAK_RSS_LIMIT_MB ? null : 0,
    note: `${fmt(xRate)} rows/s; ${xRatio.toFixed(2)}× parse-only (${fmt(xParseRate)} rows/s); peak ${xcheck.peakMb.toFixed(0)} MB`,
  });
  return rows;
}

// ---------------------------------------------------------------- entry points

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const argv = process.argv.slice(2);
  const log = (s = '') => process.stdout.write(`${s}\n`);
  const run = (argv.includes('--check-only') ? complianceCheckBenchRows : complianceBenchRows)(log, {
    reseed: argv.includes('--reseed'),
  }).then((rows) => {
    let failed = 0;
    for (const r of rows) {
      const miss = r.target !== null && r.median >= r.target;
      if (miss) failed++;
      log(
        `${r.name}: median ${ms(r.median)}${r.target !== null ? ` — target < ${ms(r.target)}: ${miss ? 'FAIL' : 'PASS'}` : ''} — ${r.note}`,
      );
    }
    process.exitCode = failed ? 1 : 0;
  });
  run.catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
