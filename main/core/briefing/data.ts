/**
 * The figures of the briefing deck, gathered once from the same functions the screens use: the
 * dashboard (dashboardSummary), the league table for the period (leagueTable), the indicator list
 * and readiness, the monitoring overview, the tracked metrics and the rectification list. The
 * slide builders (slides.ts) only format this object, so every number on a slide equals the
 * screen's.
 */
import type { z } from 'zod';
import type {
  BriefingInput,
  BriefingSection,
  Metric,
  MonitoringResult,
  Readiness,
  Streak,
  WeakPoint,
} from '../contract/indicators';
import {
  INDICATOR_KIND_LABEL,
  RECT_SOURCE_LABEL,
  RECT_SOURCES,
  type INDICATOR_KINDS,
} from '../contract/labels';
import { listIndicators, readiness } from '../indicators/indicators';
import { listMetrics } from '../monitoring/metrics';
import { monitoringOverview } from '../monitoring/monitoring';
import { computeStreak } from '../monitoring/rules';
import { listRectifications, type Rectification } from '../rectification/rectifications';
import { dashboardSummary, type DashboardSummary } from '../supervision/dashboard';
import { leagueTable, type LeagueRow } from '../supervision/league';
import { addDays, periodOf, periodsBetween } from '../tasks/periods';
import { listTasks, localToday } from '../tasks/tasks';
import type { Workspace } from '../workspace/workspace';

export type LeafKind = Exclude<(typeof INDICATOR_KINDS)[number], 'category'>;

export interface KindStatus {
  kind: LeafKind;
  label: string;
  met: number;
  inProgress: number;
  notMet: number;
}

export interface MonthFlow {
  month: string;
  /** Items created in that month. */
  opened: number;
  /** Items closed (销号) in that month. */
  closed: number;
}

export interface UpcomingTask {
  code: string;
  title: string;
  deptName: string | null;
  dueDate: string | null;
}

export interface BriefingData {
  city: string;
  title: string;
  presenter: string | null;
  sections: BriefingSection[];
  today: string;
  period: {
    from: string;
    to: string;
    /** First and last day. */
    start: string;
    end: string;
    /** "2027年1月—3月", "2027年3月", "2026年11月—2027年2月". */
    label: string;
    months: string[];
  };
  dashboard: DashboardSummary;
  /** League table over the tasks due in the period (the league page with that period). */
  league: LeagueRow[];
  readiness: Readiness;
  indicatorsByKind: KindStatus[];
  monitoring: {
    /** Results up to the period's last month, at most the last 12, oldest first. */
    results: MonitoringResult[];
    latest: MonitoringResult | null;
    streak: Streak;
    /** Weak points nobody decided on yet. */
    weakPoints: WeakPoint[];
  };
  /** Metrics with their values up to the period's last month. */
  metrics: Metric[];
  rect: {
    flow: MonthFlow[];
    open: number;
    openBySource: { source: (typeof RECT_SOURCES)[number]; label: string; count: number }[];
    overdue: Rectification[];
    /** Open items with a deadline up to the end of the month after the period (overdue ones too). */
    dueSoon: Rectification[];
  };
  next: {
    month: string;
    start: string;
    end: string;
    /** Open supervised tasks due in the month after the period. */
    tasks: UpcomingTask[];
    taskTotal: number;
  };
}

export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${y}年${m}月`;
}

/** "1月" or, across a year boundary, "2026年12月". */
export function shortMonth(month: string, sameYear = true): string {
  const [y, m] = month.split('-').map(Number);
  return sameYear ? `${m}月` : `${y}年${m}月`;
}

export function periodLabel(from: string, to: string): string {
  if (from === to) return monthLabel(from);
  const [fy] = from.split('-');
  const [ty, tm] = to.split('-').map(Number);
  return fy === String(ty) ? `${monthLabel(from)}—${tm}月` : `${monthLabel(from)}—${monthLabel(to)}`;
}

/** Local month (YYYY-MM) of a stored UTC timestamp. */
function localMonth(iso: string): string {
  return localToday(new Date(iso)).slice(0, 7);
}

/** Issued and not yet done (the dashboard's open statuses). */
const OPEN_TASK_STATUSES = ['issued', 'signed', 'handling', 'feedback'] as const;

export function collectBriefing(
  ws: Workspace,
  input: z.output<typeof BriefingInput>,
  now: Date,
): BriefingData {
  const today = localToday(now);
  const summary = ws.summary();
  const first = periodOf('monthly', `${input.from}-01`);
  const last = periodOf('monthly', `${input.to}-01`);
  const months = periodsBetween('monthly', first.start, last.end).map((p) => p.key);

  const dashboard = dashboardSummary(ws, now);
  const league = leagueTable(ws, { from: first.start, to: last.end }, now);

  const ready = readiness(ws);
  const byKind = new Map<LeafKind, KindStatus>();
  for (const i of listIndicators(ws)) {
    if (i.kind === 'category') continue;
    const k = byKind.get(i.kind) ?? {
      kind: i.kind,
      label: INDICATOR_KIND_LABEL[i.kind],
      met: 0,
      inProgress: 0,
      notMet: 0,
    };
    if (i.status === 'met') k.met++;
    else if (i.status === 'in_progress') k.inProgress++;
    else k.notMet++;
    byKind.set(i.kind, k);
  }
  const indicatorsByKind = (['basic', 'scored', 'bonus'] as const)
    .map((k) => byKind.get(k))
    .filter((k): k is KindStatus => k !== undefined);

  const overview = monitoringOverview(ws, now);
  const upTo = [...overview.results]
    .filter((r) => r.month <= input.to)
    .sort((a, b) => a.month.localeCompare(b.month));
  const results = upTo.slice(-12);
  const latest = results.at(-1) ?? null;
  const weakPoints = overview.weakPoints.filter((w) => w.decision === null && w.month <= input.to);

  const metrics = listMetrics(ws).map((m) => {
    const values = m.values.filter((v) => v.month <= input.to).slice(-12);
    const latestValue = values.at(-1) ?? null;
    const prev = values.at(-2) ?? null;
    return {
      ...m,
      values,
      latest: latestValue,
      change:
        latestValue?.rate != null && prev?.rate != null
          ? Math.round((latestValue.rate - prev.rate) * 100) / 100
          : null,
      onTarget: latestValue?.rate != null ? latestValue.rate >= m.target : null,
    };
  });

  // slides name departments by their short names (市发改委), as the league chart does
  const shortName = new Map(
    (
      ws.db.prepare('SELECT id, name, short_name FROM departments').all() as {
        id: string;
        name: string;
        short_name: string | null;
      }[]
    ).map((d) => [d.id, d.short_name ?? d.name]),
  );
  const short = (id: string | null, name: string | null) => (id ? (shortName.get(id) ?? name) : name);
  const rects = listRectifications(ws, {}, today).map((r) => ({
    ...r,
    deptName: short(r.deptId, r.deptName),
  }));
  const flow = months.map((month) => ({
    month,
    opened: rects.filter((r) => localMonth(r.createdAt) === month).length,
    closed: rects.filter((r) => r.status === 'closed' && r.closedAt && localMonth(r.closedAt) === month)
      .length,
  }));
  const open = rects.filter((r) => r.status !== 'closed');
  const next = periodOf('monthly', addDays(last.end, 1));
  const upcoming = listTasks(
    ws,
    {
      supervisedOnly: true,
      dueFrom: next.start,
      dueTo: next.end,
      statuses: [...OPEN_TASK_STATUSES],
      limit: 200,
    },
    now,
  );

  return {
    city: summary.city,
    title: input.title ?? `${summary.city}社会信用体系建设示范区创建工作汇报`,
    presenter: input.presenter,
    sections: [...input.sections],
    today,
    period: {
      from: input.from,
      to: input.to,
      start: first.start,
      end: last.end,
      label: periodLabel(input.from, input.to),
      months,
    },
    dashboard,
    league,
    readiness: ready,
    indicatorsByKind,
    // the streak as of the period's last month (later months must not count in this deck)
    monitoring: { results, latest, streak: computeStreak(upTo, overview.streak.target), weakPoints },
    metrics,
    rect: {
      flow,
      open: open.length,
      openBySource: RECT_SOURCES.map((source) => ({
        source,
        label: RECT_SOURCE_LABEL[source],
        count: open.filter((r) => r.source === source).length,
      })),
      overdue: open.filter((r) => r.overdue),
      dueSoon: open.filter((r) => r.deadline !== null && r.deadline <= next.end),
    },
    next: {
      month: next.key,
      start: next.start,
      end: next.end,
      tasks: upcoming.rows.map((t) => ({
        code: t.code,
        title: t.title,
        deptName: short(t.leadDeptId, t.leadDeptName),
        dueDate: t.dueDate,
      })),
      taskTotal: upcoming.total,
    },
  };
}
