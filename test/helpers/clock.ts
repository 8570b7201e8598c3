/** A settable clock for tests: pass `clock.now` as the core's clock and move time at will. */
export interface FakeClock {
  now: () => Date;
  set(iso: string): void;
  advanceDays(days: number): void;
  /** The current local date (YYYY-MM-DD). */
  today(): string;
}

export function fakeClock(startIso: string): FakeClock {
  let t = new Date(startIso).getTime();
  const today = () => {
    const d = new Date(t);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  };
  return {
    now: () => new Date(t),
    set(iso) {
      t = new Date(iso).getTime();
    },
    advanceDays(days) {
      t += days * 86_400_000;
    },
    today,
  };
}

/** Local noon of a calendar date, so day arithmetic never crosses midnight in any time zone. */
export function noon(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12, 0, 0).toISOString();
}
