/**
 * The measurements of the compliance bench (compliance-bench.ts), each run in a child process
 * of its own: `node --import tsx test/bench/compliance-measure.ts <kind> <file>` or the esbuild
 * bundle of this file (compliance-bench.ts buildMeasure). Prints one JSON line: rows, ms and the
 * process's peak resident memory (threads included).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { BUILTIN_RULE_SETS } from '../../main/core/compliance/builtin';
import { openTable } from '../../main/core/compliance/readers/open';
import { checkTable } from '../../main/core/compliance/run';
import { RuleSetDefinition } from '../../main/core/contract/compliance';
import { runJob } from '../../main/core/jobs/jobs';

/** Check day of the full-check files (their rows are valid for any day from 2026-02-01). */
export const CHECK_TODAY = '2026-03-01';

export function benchDir(): string {
  const dir = path.join(os.tmpdir(), 'cwb-compliance-bench');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** What a child process measures on a file; returns the rows read. */
export const MEASURES: Record<string, (file: string) => Promise<number>> = {
  /** openTable → every batch (the cells touched so nothing is optimised away). */
  'read-ours': async (file) => {
    const t = await openTable(file);
    let rows = 0;
    let cells = 0;
    try {
      for await (const b of t.batches()) {
        rows += b.length;
        for (const row of b) cells += row.cells.length;
      }
    } finally {
      await t.close();
    }
    if (cells === 0) throw new Error('no cells read');
    return rows;
  },
  'read-exceljs': async (file) => {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      worksheets: 'emit',
      entries: 'ignore',
    });
    let rows = 0;
    let cells = 0;
    for await (const sheet of reader) {
      for await (const row of sheet) {
        rows++;
        cells += (row.values as unknown[]).length;
      }
      break;
    }
    if (cells === 0) throw new Error('no cells read');
    return rows;
  },
  /** The FULL check with the bundled 行政处罚 rule set, error workbook included. */
  'check-xzcf': async (file) => {
    const def = RuleSetDefinition.parse(BUILTIN_RULE_SETS.find((d) => d.code === 'xzcf'));
    const out = path.join(benchDir(), `check-${process.pid}.xlsx`);
    try {
      const r = await checkTable(file, path.basename(file), def, {
        today: CHECK_TODAY,
        errorWorkbookPath: out,
      });
      if (r.errorRows === 0 || r.errorRows > r.rows * 0.05)
        throw new Error(`unexpected error rows: ${r.errorRows} of ${r.rows}`);
      return r.rows;
    } finally {
      fs.rmSync(out, { force: true });
    }
  },
  /**
   * The full check as the app runs it: a 'compliance.check' job (its worker thread, which checks
   * a big CSV with a second worker thread), error workbook included.
   */
  'check-job': async (file) => {
    const def = RuleSetDefinition.parse(BUILTIN_RULE_SETS.find((d) => d.code === 'xzcf'));
    const out = path.join(benchDir(), `check-${process.pid}.xlsx`);
    try {
      const r = await runJob('compliance.check', {
        path: file,
        fileName: path.basename(file),
        def,
        today: CHECK_TODAY,
        errorWorkbookPath: out,
      });
      if (r.errorRows === 0 || r.errorRows > r.rows * 0.05)
        throw new Error(`unexpected error rows: ${r.errorRows} of ${r.rows}`);
      return r.rows;
    } finally {
      fs.rmSync(out, { force: true });
    }
  },
  /** Decoding alone, to compare TextDecoder('gbk') with ('gb18030'). */
  'decode-gbk': (file) => decodeOnly(file, 'gbk'),
  'decode-gb18030': (file) => decodeOnly(file, 'gb18030'),
};

async function decodeOnly(file: string, label: string): Promise<number> {
  const fh = await fs.promises.open(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  const dec = new TextDecoder(label);
  let chars = 0;
  let pos = 0;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      chars += dec.decode(buf.subarray(0, bytesRead), { stream: true }).length;
    }
  } finally {
    await fh.close();
  }
  return chars;
}

async function child(kind: string, file: string): Promise<void> {
  const measure = MEASURES[kind];
  if (!measure) throw new Error(`unknown measure ${kind}`);
  const t = performance.now();
  const rows = await measure(file);
  const elapsed = performance.now() - t;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ rows, ms: elapsed, peakMb })}\n`);
}

const [kind, file] = process.argv.slice(2);
if (kind && file) {
  child(kind, file).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
