/**
 * The task list's filter in the address bar (#/tasks?filter=<json>): the dashboard and other
 * pages link to "the tasks behind a figure" with a TaskFilter. Parsed defensively: unknown keys
 * and values of the wrong shape are dropped, never trusted.
 */
import type { Light, TaskFilter, TaskStatus } from '../../../../main/core/contract/records';
import { LIGHT_LABEL, STATUS_LABEL, TASK_KIND_LABEL } from '../../labels';

export type Kind = keyof typeof TASK_KIND_LABEL;

/** What the page can show and edit (every key optional; limit is the page's own). */
export interface ListFilter {
  deptIds?: string[];
  statuses?: TaskStatus[];
  lights?: Light[];
  kinds?: Kind[];
  indicatorId?: string;
  dueFrom?: string;
  dueTo?: string;
  search?: string;
  overdue?: boolean;
  supervisedOnly?: boolean;
  leadOnly?: boolean;
  doneFrom?: string;
  doneTo?: string;
  seriesId?: string;
  ids?: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown, ok: (s: string) => boolean): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v.filter((x): x is string => typeof x === 'string' && ok(x));
  return out.length > 0 ? [...new Set(out)] : undefined;
}

function oneOf<K extends string>(labels: Record<K, string>) {
  return (s: string): s is K => Object.prototype.hasOwnProperty.call(labels, s);
}

/** Parses the `filter` query parameter; anything unusable becomes an empty filter. */
export function parseFilterParam(raw: string | null): ListFilter {
  if (!raw) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return {};
  }
  if (!isObject(v)) return {};
  const f: ListFilter = {};
  const isId = (s: string) => ID.test(s);
  f.deptIds = strings(v.deptIds, isId);
  f.statuses = strings(v.statuses, oneOf(STATUS_LABEL)) as TaskStatus[] | undefined;
  f.lights = strings(v.lights, oneOf(LIGHT_LABEL)) as Light[] | undefined;
  f.kinds = strings(v.kinds, oneOf(TASK_KIND_LABEL)) as Kind[] | undefined;
  f.ids = strings(v.ids, isId)?.slice(0, 100000);
  if (typeof v.indicatorId === 'string' && isId(v.indicatorId)) f.indicatorId = v.indicatorId;
  if (typeof v.seriesId === 'string' && isId(v.seriesId)) f.seriesId = v.seriesId;
  if (typeof v.dueFrom === 'string' && DATE.test(v.dueFrom)) f.dueFrom = v.dueFrom;
  if (typeof v.dueTo === 'string' && DATE.test(v.dueTo)) f.dueTo = v.dueTo;
  if (typeof v.search === 'string' && v.search.trim()) f.search = v.search.trim().slice(0, 100);
  if (v.overdue === true) f.overdue = true;
  if (v.supervisedOnly === true) f.supervisedOnly = true;
  if (v.leadOnly === true) f.leadOnly = true;
  if (typeof v.doneFrom === 'string' && DATE.test(v.doneFrom)) f.doneFrom = v.doneFrom;
  if (typeof v.doneTo === 'string' && DATE.test(v.doneTo)) f.doneTo = v.doneTo;
  for (const k of Object.keys(f) as (keyof ListFilter)[]) if (f[k] === undefined) delete f[k];
  return f;
}

/** The command's filter (empty lists and blanks left out). */
export function toTaskFilter(f: ListFilter): TaskFilter {
  const out: TaskFilter = {};
  if (f.deptIds?.length) out.deptIds = f.deptIds;
  if (f.statuses?.length) out.statuses = f.statuses;
  if (f.lights?.length) out.lights = f.lights;
  if (f.kinds?.length) out.kinds = f.kinds;
  if (f.ids) out.ids = f.ids;
  if (f.indicatorId) out.indicatorId = f.indicatorId;
  if (f.seriesId) out.seriesId = f.seriesId;
  if (f.dueFrom) out.dueFrom = f.dueFrom;
  if (f.dueTo) out.dueTo = f.dueTo;
  if (f.search) out.search = f.search;
  if (f.overdue) out.overdue = true;
  if (f.supervisedOnly) out.supervisedOnly = true;
  if (f.leadOnly && f.deptIds?.length) out.leadOnly = true;
  if (f.doneFrom) out.doneFrom = f.doneFrom;
  if (f.doneTo) out.doneTo = f.doneTo;
  return out;
}

/** Link to the task list with a filter (for "查看各期任务" etc.). */
export function filterParam(f: ListFilter): Record<string, string> {
  return { filter: JSON.stringify(toTaskFilter(f)) };
}
