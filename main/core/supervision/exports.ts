/**
 * Every supervision list exports to xlsx through the one workbook writer: the task list (with
 * its filter), the department league table and the rectification list. Lights and statuses are
 * written in Chinese with the light colours as cell fills.
 */
import type { z } from 'zod';
import { listDepartments } from '../departments/departments';
import {
  DEPT_KIND_LABEL,
  DEPT_ROLE_LABEL,
  LIGHT_LABEL,
  PRIORITY_LABEL,
  RECT_SOURCE_LABEL,
  RECT_STATUS_LABEL,
  RECURRENCE_LABEL,
  STATUS_LABEL,
  TASK_KIND_LABEL,
} from '../contract/labels';
import type { TaskFilter } from '../contract/records';
import { defineSheet, writeWorkbook, type XlsxFill } from '../export/xlsx';
import { listRectifications, type RectFilter } from '../rectification/rectifications';
import { listTasks, localToday } from '../tasks/tasks';
import { getSettings } from '../workspace/settings';
import type { Workspace } from '../workspace/workspace';
import { leagueTable, type LeagueQuery } from './league';

const LIGHT_FILL: Partial<Record<string, XlsxFill>> = {
  red: 'red',
  yellow: 'yellow',
  green: 'green',
  done: 'blue',
};

function reasonText(reason: string | null): string {
  if (!reason) return '';
  const [kind, n] = reason.split(':');
  if (kind === 'overdue') return `逾期${n}天`;
  if (kind === 'stale') return `${n}天无进展`;
  if (kind === 'due_soon') return n === '0' ? '今日到期' : `${n}天后到期`;
  return '';
}

export async function exportTasks(
  ws: Workspace,
  filter: z.input<typeof TaskFilter>,
  now: Date,
): Promise<Buffer> {
  const s = getSettings(ws);
  const result = listTasks(ws, { ...filter, limit: 100000 }, now);
  const depts = new Map(
    (
      ws.db.prepare('SELECT id, name, short_name FROM departments').all() as {
        id: string;
        name: string;
        short_name: string | null;
      }[]
    ).map((d) => [d.id, d.short_name ?? d.name]),
  );
  const inds = new Map(
    (ws.db.prepare('SELECT id, code FROM indicators').all() as { id: string; code: string }[]).map((i) => [
      i.id,
      i.code,
    ]),
  );
  const sheet = defineSheet({
    name: '任务清单',
    title: `${s.city}社会信用体系建设示范区创建任务清单`,
    subtitle: `导出时间：${localToday(now)}，共 ${result.total} 项`,
    columns: [
      { key: 'code', header: '编号', width: 14 },
      { key: 'title', header: '任务名称', width: 40, wrap: true },
      { key: 'kind', header: '类型', width: 12 },
      { key: 'lead', header: '牵头单位', width: 16 },
      { key: 'coop', header: '配合单位', width: 24, wrap: true },
      { key: 'indicators', header: '关联指标', width: 14 },
      { key: 'standard', header: '完成标准', width: 40, wrap: true },
      { key: 'due', header: '截止日期', type: 'date' },
      { key: 'status', header: '状态', width: 9 },
      { key: 'light', header: '亮灯', width: 8, align: 'center' },
      { key: 'reason', header: '亮灯原因', width: 12 },
      { key: 'progress', header: '进度', type: 'percent', decimals: 0 },
      { key: 'priority', header: '优先级', width: 8 },
      { key: 'recurrence', header: '周期', width: 8 },
      { key: 'feedback', header: '反馈次数', type: 'int' },
    ],
    rows: result.rows.map((t) => ({
      cells: {
        code: t.code,
        title: t.title,
        kind: t.kind === 'instance' ? (t.periodLabel ?? '本期') : TASK_KIND_LABEL[t.kind],
        lead: t.leadDeptName ?? '',
        coop: t.coopDeptIds.map((id) => depts.get(id) ?? '').join('、'),
        indicators: t.indicatorIds.map((id) => inds.get(id) ?? '').join('、'),
        standard: t.standard ?? '',
        due: t.dueDate,
        status: STATUS_LABEL[t.status],
        light: LIGHT_LABEL[t.light],
        reason: reasonText(t.lightReason),
        progress: t.progress / 100,
        priority: PRIORITY_LABEL[t.priority],
        recurrence: RECURRENCE_LABEL[t.recurrence],
        feedback: t.feedbackCount,
      },
      cellFills: LIGHT_FILL[t.light] ? { light: LIGHT_FILL[t.light] } : undefined,
    })),
    notes: result.truncated
      ? [`说明：符合条件的任务超过 ${result.rows.length} 项，只导出了前 ${result.rows.length} 项。`]
      : undefined,
    freezeColumns: 2,
    landscape: true,
  });
  return writeWorkbook({ sheets: [sheet], created: now });
}

export async function exportLeague(ws: Workspace, q: LeagueQuery, now: Date): Promise<Buffer> {
  const s = getSettings(ws);
  const rows = leagueTable(ws, q, now);
  const sheet = defineSheet({
    name: '部门排行',
    title: `${s.city}创建任务部门排行`,
    subtitle: `统计范围：截止日期在 ${q.from} 至 ${q.to} 的已下发任务，导出时间：${localToday(now)}`,
    columns: [
      { key: 'rank', header: '名次', type: 'int', align: 'center' },
      { key: 'dept', header: '单位', width: 28 },
      { key: 'total', header: '任务数', type: 'int' },
      { key: 'done', header: '已办结', type: 'int' },
      { key: 'rate', header: '完成率', type: 'percent' },
      { key: 'onTime', header: '按时办结', type: 'int' },
      { key: 'onTimeRate', header: '按时办结率', type: 'percent' },
      { key: 'overdue', header: '逾期', type: 'int' },
      { key: 'delay', header: '平均延误天数', type: 'number', decimals: 1 },
      { key: 'red', header: '红灯', type: 'int' },
      { key: 'yellow', header: '黄灯', type: 'int' },
    ],
    rows: rows.map((r) => ({
      cells: {
        rank: r.rank || null,
        dept: r.deptName,
        total: r.total,
        done: r.done,
        rate: r.completionRate,
        onTime: r.onTime,
        onTimeRate: r.onTimeRate,
        overdue: r.overdue,
        delay: r.avgDelayDays,
        red: r.red,
        yellow: r.yellow,
      },
      cellFills: r.overdue > 0 ? { overdue: 'red' as const } : undefined,
    })),
    notes: [
      '说明：完成率 = 已办结 ÷ 任务数；按时办结率 = 截止日期前办结 ÷ 任务数；逾期 = 未办结且已过截止日期；',
      '平均延误天数按延误任务计算（已办结的按实际延误，未办结的按已逾期天数）。',
    ],
  });
  return writeWorkbook({ sheets: [sheet], created: now });
}

export async function exportDepartments(ws: Workspace, includeArchived: boolean, now: Date): Promise<Buffer> {
  const s = getSettings(ws);
  const rows = listDepartments(ws, { includeArchived });
  const sheet = defineSheet({
    name: '部门单位',
    title: `${s.city}社会信用体系建设示范区创建成员单位`,
    subtitle: `导出时间：${localToday(now)}，共 ${rows.length} 个单位`,
    columns: [
      { key: 'name', header: '单位全称', width: 32 },
      { key: 'short', header: '简称', width: 16 },
      { key: 'kind', header: '类型', width: 12 },
      { key: 'role', header: '创建角色', width: 10 },
      { key: 'open', header: '未办结牵头任务', type: 'int' },
      { key: 'total', header: '牵头任务', type: 'int' },
      { key: 'contact', header: '联系人', width: 10 },
      { key: 'phone', header: '联系电话', width: 16 },
      { key: 'aliases', header: '别名', width: 30, wrap: true },
      { key: 'archived', header: '状态', width: 8 },
    ],
    rows: rows.map((d) => ({
      cells: {
        name: d.name,
        short: d.shortName ?? '',
        kind: DEPT_KIND_LABEL[d.kind],
        role: DEPT_ROLE_LABEL[d.role],
        open: d.openTaskCount,
        total: d.taskCount,
        contact: d.contact ?? '',
        phone: d.phone ?? '',
        aliases: d.aliases.join('、'),
        archived: d.archived ? '已归档' : '在册',
      },
      fill: d.archived ? ('grey' as const) : undefined,
    })),
  });
  return writeWorkbook({ sheets: [sheet], created: now });
}

export async function exportRectifications(ws: Workspace, filter: RectFilter, now: Date): Promise<Buffer> {
  const s = getSettings(ws);
  const today = localToday(now);
  const rows = listRectifications(ws, filter, today);
  const sheet = defineSheet({
    name: '整改清单',
    title: `${s.city}社会信用体系建设示范区创建整改清单`,
    subtitle: `导出时间：${today}，共 ${rows.length} 项`,
    columns: [
      { key: 'code', header: '编号', width: 10 },
      { key: 'source', header: '问题来源', width: 14 },
      { key: 'problem', header: '问题描述', width: 40, wrap: true },
      { key: 'dept', header: '责任单位', width: 18 },
      { key: 'measures', header: '整改措施', width: 40, wrap: true },
      { key: 'deadline', header: '整改时限', type: 'date' },
      { key: 'status', header: '状态', width: 9 },
      { key: 'verification', header: '验收意见', width: 30, wrap: true },
      { key: 'evidence', header: '佐证材料（份）', type: 'int' },
    ],
    rows: rows.map((r) => ({
      cells: {
        code: r.code,
        source: RECT_SOURCE_LABEL[r.source],
        problem: r.problem,
        dept: r.deptName ?? '',
        measures: r.measures ?? '',
        deadline: r.deadline,
        status: RECT_STATUS_LABEL[r.status],
        verification: r.verification ?? '',
        evidence: r.attachmentCount,
      },
      cellFills: r.overdue
        ? { deadline: 'red' as const }
        : r.status === 'closed'
          ? { status: 'green' as const }
          : undefined,
    })),
  });
  return writeWorkbook({ sheets: [sheet], created: now });
}
