/**
 * Shared pieces of the benchmark rows: median/p95 of samples, timing a call after warm-ups, a
 * throw-away core in a temp folder, monthly dimension scores that rise and fall, and running a
 * row file on its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCore, type Core } from '../../main/core/core';
import type { CommandName, Input, Output } from '../../main/core/contract/index';
import type { BenchRow } from './materials-bench';

export const ms = (n: number) => `${n.toFixed(1)} ms`;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

export function stats(samples: number[]): { median: number; p95: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const mid =
    s.length % 2
      ? (s[(s.length - 1) / 2] ?? NaN)
      : ((s[s.length / 2 - 1] ?? NaN) + (s[s.length / 2] ?? NaN)) / 2;
  return { median: mid, p95: quantile(s, 0.95), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

/** Runs `once` `warmups` times untimed, then `runs` times timed; median and p95 of those. */
export async function timeRuns(
  once: () => Promise<unknown>,
  runs: number,
  warmups = 3,
): Promise<ReturnType<typeof stats> & { runs: number }> {
  for (let i = 0; i < warmups; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await once();
    samples.push(performance.now() - t);
  }
  return { ...stats(samples), runs };
}

export interface TimedRow {
  name: string;
  /** What was timed, as the log line names it. */
  label: string;
  timing: { median: number; p95: number; runs: number };
  /** In brackets after the figures in the log line. */
  detail: string;
  target: number | null;
  note: string;
}

/** Logs `  <label>: median …, p95 … over N runs (<detail>)` and a blank line; returns the row. */
export function reportRow(log: (s?: string) => void, r: TimedRow): BenchRow {
  const t = r.timing;
  log(`  ${r.label}: median ${ms(t.median)}, p95 ${ms(t.p95)} over ${t.runs} runs (${r.detail})`);
  log();
  return { name: r.name, median: t.median, p95: t.p95, runs: t.runs, target: r.target, note: r.note };
}

export interface BenchCore {
  /** The temp folder: the core's data folder is in it, and files the row writes go there. */
  root: string;
  core: Core;
  /** Invokes a command; throws with its message when it fails. */
  must<N extends CommandName>(name: N, input: Input<N>): Promise<Output<N>>;
  /** Closes the core and removes the folder. */
  close(): void;
}

/** A core (runtime 'test', the given clock) with its data folder in a new temp folder. */
export function benchCore(prefix: string, clock: () => Date): BenchCore {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const core = createCore({ runtime: 'test', dataDir: path.join(root, 'data'), clock });
  return {
    root,
    core,
    must: async (name, input) => {
      const r = await core.invoke(name, input);
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      return r.value;
    },
    close: () => {
      core.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Month `i` of a sine with the given period (months) and amplitude, to 2 decimals. */
export function wave(i: number, period: number, amp: number): number {
  return Math.round(Math.sin((i / period) * Math.PI * 2) * amp * 100) / 100;
}

/**
 * The five dimension scores of month `i` of a series: each oscillates with its own period, so
 * falls and below-mean months (weak points) recur.
 */
export function wavingDims(i: number) {
  return {
    incentive: 86 + wave(i, 5, 1.2),
    system: 81 + wave(i, 6, 1),
    culture: 78 + wave(i, 4, 0.8),
    service: 83 + wave(i, 8, 1.5),
    environment: 90 + wave(i, 7, 0.6),
  };
}

/**
 * When the file `metaUrl` is the script run (npx tsx <file>), runs the row and prints its
 * result; exit code 1 when it misses its target or fails.
 */
export function runStandalone(metaUrl: string, row: (log: (s?: string) => void) => Promise<BenchRow>): void {
  if (!process.argv[1] || pathToFileURL(path.resolve(process.argv[1])).href !== metaUrl) return;
  row((s = '') => process.stdout.write(`${s}\n`)).then(
    (r) => {
      const missed = r.target !== null && r.median >= r.target;
      process.stdout.write(
        `${r.name}: median ${ms(r.median)}` +
          `${r.target !== null ? ` — target < ${r.target} ms: ${missed ? 'FAIL' : 'PASS'}` : ''} — ${r.note}\n`,
      );
      process.exitCode = missed ? 1 : 0;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
