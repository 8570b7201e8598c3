import fs from 'node:fs';
import path from 'node:path';
import { MAX_STAMP_AHEAD_MS } from '../../main/core/sync/protocol';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/util/errors';
import { format, Hlc, MAX_DRIFT_MS, parse } from '../../main/core/util/hlc';
import { sha256hex, stableId, uuidv7 } from '../../main/core/util/ids';
import { APP_VERSION } from '../../main/core/version';
import { REPO_ROOT } from '../helpers/core';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit millisecond timestamp at the front of a UUIDv7. */
const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('uuidv7', () => {
  it('has the RFC 9562 version 7 layout and carries the current time', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    expect(id).toMatch(UUID_V7);
    expect(msOf(id)).toBeGreaterThanOrEqual(before);
    expect(msOf(id)).toBeLessThanOrEqual(after + 1);
  });

  it('is unique and strictly increasing within a process (many per millisecond)', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('stays increasing when the same or an earlier time is passed in (clock goes backwards)', () => {
    const base = Date.now() + 10_000;
    const a = uuidv7(base);
    const b = uuidv7(base);
    const c = uuidv7(base - 60_000);
    const d = uuidv7(base - 1);
    expect(a < b && b < c && c < d).toBe(true);
    for (const id of [a, b, c, d]) expect(id).toMatch(UUID_V7);
    // the timestamp never goes backwards
    expect(msOf(c)).toBeGreaterThanOrEqual(msOf(a));
  });

  it('rolls over to the next millisecond when the 12-bit sequence is exhausted', () => {
    const base = Date.now() + 20_000;
    const ids = Array.from({ length: 0x1000 + 10 }, () => uuidv7(base));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(msOf(ids[ids.length - 1]!)).toBe(msOf(ids[0]!) + 1);
  });
});

describe('stableId', () => {
  it('is deterministic and UUID-shaped (version 8, RFC variant)', () => {
    const a = stableId('task-1|dept-2');
    expect(a).toBe(stableId('task-1|dept-2'));
    expect(a).toMatch(UUID_V8);
    expect(stableId('task-1|dept-3')).not.toBe(a);
    for (let i = 0; i < 200; i++) expect(stableId(`key-${i}`)).toMatch(UUID_V8);
  });

  it('is derived from sha256 of the key', () => {
    const hex = sha256hex('abc');
    expect(hex).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const id = stableId('abc').replace(/-/g, '');
    expect(id.slice(0, 12)).toBe(hex.slice(0, 12));
    expect(id.slice(13, 16)).toBe(hex.slice(13, 16));
  });
});

describe('Hlc', () => {
  it('formats stamps as 13-digit ms, 4-hex counter and node id, and parses them back', () => {
    const s = format(1_700_000_000_123, 0x2a, 'node1');
    expect(s).toBe('1700000000123-002a-node1');
    expect(parse(s)).toEqual({ ms: 1_700_000_000_123, counter: 0x2a, node: 'node1' });
    expect(() => parse('garbage')).toThrow(AppError);
  });

  it('now() is strictly increasing even when the physical clock stands still or goes backwards', () => {
    const times = [1000, 1000, 1000, 900, 500, 1001, 1001, 2000, 10, 2000];
    let i = 0;
    const hlc = new Hlc('n', () => times[Math.min(i++, times.length - 1)]!);
    const stamps = times.map(() => hlc.now());
    for (let k = 1; k < stamps.length; k++) expect(stamps[k]! > stamps[k - 1]!).toBe(true);
    // never behind the highest physical time seen
    expect(parse(stamps[stamps.length - 1]!).ms).toBeGreaterThanOrEqual(2000);
    // going back to 500 did not move the clock back
    expect(parse(stamps[4]!).ms).toBe(1000);
  });

  it('keeps increasing past 0xffff stamps in one millisecond', () => {
    const hlc = new Hlc('n', () => 5000);
    let prev = hlc.now();
    for (let k = 0; k < 0x10005; k++) {
      const s = hlc.now();
      if (!(s > prev)) throw new Error(`not increasing at ${k}: ${prev} -> ${s}`);
      prev = s;
    }
    expect(parse(prev).ms).toBe(5001);
  });

  it('receive() moves the clock past a remote stamp within the drift bound', () => {
    let phys = 1_000_000;
    const hlc = new Hlc('local', () => phys);
    const first = hlc.now();
    const remote = format(phys + MAX_DRIFT_MS - 1, 7, 'remote');
    hlc.receive(remote);
    const next = hlc.now();
    expect(next > remote).toBe(true);
    expect(next > first).toBe(true);
    // an old remote stamp does not move the clock backwards
    phys += 10;
    hlc.receive(format(1, 0, 'old'));
    expect(hlc.now() > next).toBe(true);
  });

  it('receive() refuses stamps more than 30 minutes in the future with a Chinese message', () => {
    const phys = 1_000_000_000;
    const hlc = new Hlc('local', () => phys);
    const before = hlc.now();
    // laptops' clocks may be ±10 minutes off; 30 minutes bounds the drift (the sync protocol's limit)
    expect(MAX_DRIFT_MS).toBe(MAX_STAMP_AHEAD_MS);
    expect(MAX_DRIFT_MS).toBe(30 * 60 * 1000);
    let err: unknown;
    try {
      hlc.receive(format(phys + MAX_DRIFT_MS + 1, 0, 'remote'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CONFLICT');
    expect((err as AppError).message).toMatch(/时间戳.*分钟/);
    // the refused stamp did not advance the clock
    const after = hlc.now();
    expect(parse(after).ms).toBe(parse(before).ms);
    // exactly at the bound is accepted
    expect(() => hlc.receive(format(phys + MAX_DRIFT_MS, 0, 'remote'))).not.toThrow();
  });
});

describe('APP_VERSION', () => {
  it('equals the version in package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(APP_VERSION).toBe(pkg.version);
  });
});
