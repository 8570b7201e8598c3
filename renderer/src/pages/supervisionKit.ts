/** Shared by the supervision pages: links to the task list, number formats, small hooks. */
import dayjs from 'dayjs';
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { TaskFilter } from '../../../main/core/contract/records';
import { navigate } from '../route';

/**
 * Opens the task list with exactly this filter. The task list reads the `filter` parameter
 * (JSON of a TaskFilter): that is the agreed interface between figures and the list.
 */
export function openTasks(filter: TaskFilter): void {
  navigate('tasks', { filter: JSON.stringify(filter) });
}

/** Opens the task list showing one task. */
export function openTask(id: string): void {
  openTasks({ ids: [id] });
}

/** 0.8567 → "85.7%"; null (nothing to measure) → "—". */
export function pct(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined) return '—';
  return `${(rate * 100).toFixed(digits)}%`;
}

/** A department's display name: the short name where there is one. */
export function deptShort(d: { shortName: string | null; deptName: string }): string {
  return d.shortName ?? d.deptName;
}

/** A value that follows `value` after `ms` without changes (search boxes). */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Height available to an element (for tables with a fixed scroll height). */
export function useHeight<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [h, setH] = useState(400);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setH(el.clientHeight));
    ro.observe(el);
    setH(el.clientHeight);
    return () => ro.disconnect();
  }, []);
  return [ref, h];
}

/** Today as YYYY-MM-DD on this machine. */
export function todayStr(): string {
  return dayjs().format('YYYY-MM-DD');
}
