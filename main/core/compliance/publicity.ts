/**
 * Publicity periods of administrative penalties (DOMAIN.md §7.1): pick the rule version by the
 * decision date and compute the window the 公示截止期 must fall in. Dates are YYYYMMDD integers
 * (what the engine's date parser yields) so the row check does no allocation.
 */
import type { PublicityVersion } from '../contract/compliance';
import { daysInMonth } from './codes';

/** YYYYMMDD + n months; the day is clamped to the month's end (2024-01-31 + 1 → 2024-02-29). */
export function addMonths(ymd: number, months: number): number {
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const nd = Math.min(d, daysInMonth(ny, nm));
  return ny * 10000 + nm * 100 + nd;
}

/** YYYYMMDD ± n days. */
export function addDays(ymd: number, days: number): number {
  const dt = new Date(
    Date.UTC(Math.floor(ymd / 10000), (Math.floor(ymd / 100) % 100) - 1, (ymd % 100) + days),
  );
  return dt.getUTCFullYear() * 10000 + (dt.getUTCMonth() + 1) * 100 + dt.getUTCDate();
}

export function ymdToIso(ymd: number): string {
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** 'YYYY-MM-DD' → YYYYMMDD (no validation beyond the digits). */
export function isoToYmd(iso: string): number {
  return Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}

/** 「3 个月」「1 年」「18 个月」 */
export function monthsText(months: number): string {
  return months > 0 && months % 12 === 0 ? `${months / 12} 年` : `${months} 个月`;
}

export interface CompiledPublicity {
  id: string;
  name: string;
  from: number;
  minMonths: number;
  maxMonths: number;
  /** Domains with a longer shortest period than minMonths, longest first. */
  domains: { keywords: string[]; minMonths: number }[];
}

/** Versions sorted by start date, ready for lookups. */
export function compilePublicity(versions: readonly PublicityVersion[]): CompiledPublicity[] {
  return versions
    .map((v) => ({
      id: v.id,
      name: v.name,
      from: isoToYmd(v.from),
      minMonths: v.minMonths,
      maxMonths: v.maxMonths,
      domains: v.domains
        .filter((d) => d.minMonths > v.minMonths)
        .sort((a, b) => b.minMonths - a.minMonths)
        .map((d) => ({ keywords: [...d.keywords], minMonths: d.minMonths })),
    }))
    .sort((a, b) => a.from - b.from);
}

/** The version in force on the decision date; null before the first one. */
export function publicityVersionFor(
  table: readonly CompiledPublicity[],
  decision: number,
): CompiledPublicity | null {
  for (let i = table.length - 1; i >= 0; i--) if (decision >= table[i]!.from) return table[i]!;
  return null;
}

/** Shortest period for a decision, raised when the text names one of the version's domains. */
export function domainMinMonths(
  v: CompiledPublicity,
  text: string,
): { minMonths: number; keyword: string | null } {
  for (const d of v.domains) {
    for (const k of d.keywords) if (text.includes(k)) return { minMonths: d.minMonths, keyword: k };
  }
  return { minMonths: v.minMonths, keyword: null };
}
