import os from 'node:os';
import { STAFF_ROLES, type StaffRole, type WorkspaceSummary } from '../../core/contract/index';
import type { CommandContext } from '../context';
import { CommandError } from '../errors';
import { formatFields, formatTable } from '../io';
import { defineCommand } from '../registry';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The OS user name ("me" on this laptop) when --me is not given. */
function osUserName(ctx: CommandContext): string {
  let name: string;
  try {
    name = os.userInfo().username;
  } catch {
    name = ctx.io.env.USERNAME ?? ctx.io.env.USER ?? '';
  }
  name = name.trim().slice(0, 40);
  return name || '本机用户';
}

export function countsText(s: WorkspaceSummary): string {
  const c = s.counts;
  return `部门单位 ${c.departments} 个，任务 ${c.tasks} 项，指标 ${c.indicators} 项，驻场人员 ${c.staff} 人`;
}

export const workspaceCreateCommand = defineCommand({
  name: 'workspace create',
  summary: '从内置模板创建一个新工作区',
  description:
    '在指定文件夹中建立工作区数据库，并写入模板中的部门单位、指标和任务；文件夹可以不存在，但不能已有工作区。',
  options: {
    template: {
      type: 'string',
      required: true,
      value: '<模板标识>',
      description: '模板标识，见 templates 命令',
    },
    dir: { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' },
    name: { type: 'string', value: '<名称>', description: '工作区名称，默认用模板名称' },
    me: { type: 'string', value: '<姓名>', description: '本机使用者姓名，默认为操作系统用户名' },
    role: {
      type: 'string',
      value: '<角色>',
      choices: STAFF_ROLES,
      description: '本机使用者的角色，默认 项目负责人',
    },
    start: {
      type: 'string',
      value: '<YYYY-MM>',
      description: '创建周期的第一个月，模板任务的截止日期由此推算；默认本月',
      check: (v) => (MONTH.test(v) ? null : '月份格式应为 YYYY-MM，例如 2027-01'),
    },
  },
  examples: [
    'workspace create --template qionghai --dir ./琼海创建',
    'workspace create --template qionghai --dir D:\\工作区\\琼海 --me 李明 --role 项目负责人 --start 2027-01',
  ],
  async run(ctx, o) {
    const templates = await ctx.call('workspace.templates', {});
    const template = templates.find((t) => t.id === o.template);
    if (!template) {
      const known = templates.map((t) => `${t.id}（${t.name}）`).join('、') || '无';
      throw new CommandError(`找不到模板「${o.template}」。可用的模板：${known}`, 'NOT_FOUND');
    }
    const summary = await ctx.call('workspace.create', {
      name: o.name ?? template.name,
      templateId: template.id,
      dir: ctx.resolvePath(o.dir),
      startMonth: o.start,
      me: { name: o.me ?? osUserName(ctx), role: (o.role as StaffRole | undefined) ?? '项目负责人' },
    });
    ctx.result(summary, (s) =>
      [
        `已创建工作区「${s.name}」\n`,
        formatFields(
          [
            ['文件夹', s.dir],
            ['城市', s.city],
            ['创建活动', s.campaignName],
            ['本机使用者', s.me ? `${s.me.name}（${s.me.role}）` : '未设置'],
            ['内容', countsText(s)],
          ],
          '  ',
        ),
      ].join(''),
    );
  },
});

export const workspaceInfoCommand = defineCommand({
  name: 'workspace info',
  summary: '查看工作区概况：名称、城市、创建活动、数据库版本、数量、设置和驻场人员',
  options: {
    dir: { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' },
  },
  examples: ['workspace info --dir ./琼海创建', 'workspace info --dir ./琼海创建 --json'],
  async run(ctx, o) {
    const summary = await ctx.openWorkspace(o.dir);
    const settings = await ctx.call('workspace.settings', {});
    const { staff, meId } = await ctx.call('staff.list', {});
    const app = await ctx.call('app.info', {});
    const value = {
      ...summary,
      supportedSchemaVersion: app.schemaVersion,
      settings,
      staff: staff.map((s) => ({ ...s, me: s.id === meId })),
    };
    ctx.result(value, (v) => {
      const staffRows = v.staff.map((s) => [
        s.name + (s.me ? '（本机）' : ''),
        s.role,
        s.phone ?? '',
        s.active ? '在岗' : '不在岗',
      ]);
      return [
        `工作区「${v.name}」\n`,
        formatFields(
          [
            ['文件夹', v.dir],
            ['城市', `${v.settings.city}（行政区划代码 ${v.settings.adminCode}）`],
            ['创建活动', v.campaignName],
            ['创建周期', `${v.settings.periodStart} 至 ${v.settings.periodEnd}`],
            ['排名目标', `前 ${v.settings.rankingTarget} 名`],
            ['指标体系版本', v.settings.indicatorVersion],
            ['模板', v.settings.templateId ?? '未使用模板'],
            ['数据库版本', `${v.schemaVersion}（本程序支持到 ${v.supportedSchemaVersion}）`],
            ['创建时间', v.settings.createdAt],
            ['内容', countsText(v)],
          ],
          '  ',
        ),
        `\n驻场人员（${v.staff.length} 人）：\n`,
        v.staff.length ? formatTable(['姓名', '角色', '电话', '状态'], staffRows, '  ') : '  （无）\n',
      ].join('');
    });
  },
});
