/**
 * Convergence property test: three laptops and the REAL server process behind a fault-injecting
 * proxy (drop before/after the server, duplicate, delay/reorder, 5xx, server restart during a
 * push), clocks skewed up to ±10 minutes, random operations on tasks, indicators and materials
 * (including document edits) with fixed seeds. After syncing until quiet, all three databases
 * and all Yjs documents are identical and every write that won by its stamp is present.
 */
import { describe, expect, it } from 'vitest';
import {
  docsSnapshot,
  lostWinners,
  randomOp,
  recordsSnapshot,
  rng,
  setupScenario,
  syncUntilQuiet,
  wsOfCore,
  NO_FAULTS,
} from '../helpers/sync-faults';

const SEEDS = [20270301, 7];
const STEPS = 45;

describe('three laptops converge under faults', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      const s = await setupScenario(seed, [0, 10 * 60_000 - 5000, -10 * 60_000 + 5000]);
      try {
        const r = rng(seed);
        const faults = {
          dropBefore: 0.05,
          dropAfter: 0.05,
          duplicate: 0.08,
          error5xx: 0.05,
          delayMs: 15,
          restartOnPush: 0.04,
        };
        s.proxy.faults = faults;
        const ops: Record<string, number> = {};
        for (let step = 0; step < STEPS; step++) {
          // every seed sees at least one server restart during a push: mid-way, every push of
          // one step kills the server (one restart at a time), the next step is random again
          s.proxy.faults = step === Math.floor(STEPS / 2) ? { ...faults, restartOnPush: 1 } : faults;
          if (step === Math.floor(STEPS / 2)) await s.laptops[0]!.core.invoke('sync.now', {});
          // the laptops work at the same time: their operations and syncs interleave
          await Promise.all(
            s.laptops.map(async (l) => {
              const op = await randomOp(l, r, step);
              ops[op] = (ops[op] ?? 0) + 1;
              if (r() < 0.3) await l.core.invoke('sync.now', {});
            }),
          );
        }
        console.log(
          `seed ${seed}: operations ${JSON.stringify(ops)}; proxy ${JSON.stringify(s.proxy.counts)} ${s.proxy.restartErrors.join('; ')}`,
        );
        expect(s.proxy.counts.dropAfter + s.proxy.counts.duplicate + s.proxy.counts.error5xx).toBeGreaterThan(
          0,
        );
        expect(s.proxy.counts.restarts).toBeGreaterThan(0);
        s.proxy.faults = NO_FAULTS;
        await syncUntilQuiet(s.laptops);

        const [a, ...others] = s.laptops.map((l) => wsOfCore(l.core));
        const recordsA = recordsSnapshot(a!);
        const docsA = docsSnapshot(a!);
        expect(Object.keys(docsA).length).toBeGreaterThan(0);
        for (const ws of others) {
          expect(recordsSnapshot(ws)).toEqual(recordsA);
          expect(docsSnapshot(ws)).toEqual(docsA);
        }
        expect(lostWinners(s.laptops)).toEqual([]);
        expect(ops['doc.edit'] ?? 0).toBeGreaterThan(0);
        for (const l of s.laptops) {
          const st = await l.core.invoke('sync.status', {});
          expect(st.ok && st.value.pending).toEqual({ changes: 0, docs: 0, blobs: 0 });
        }
      } finally {
        await s.close();
      }
    }, 120_000);
  }
});
