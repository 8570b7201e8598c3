import { formatTable } from '../io';
import { defineCommand } from '../registry';

export const templatesCommand = defineCommand({
  name: 'templates',
  summary: '列出内置的创建模板（标识、名称、部门单位/指标/任务数量）',
  options: {},
  examples: ['templates', 'templates --json'],
  async run(ctx) {
    const list = await ctx.call('workspace.templates', {});
    ctx.result(list, (ts) => {
      if (ts.length === 0) return '没有可用的模板。\n';
      return (
        formatTable(
          ['标识', '城市', '部门单位', '指标', '任务', '名称'],
          ts.map((t) => [
            t.id,
            t.city,
            String(t.counts.departments),
            String(t.counts.indicators),
            String(t.counts.tasks),
            t.name,
          ]),
        ) + `\n共 ${ts.length} 个模板。创建工作区：workspace create --template <标识> --dir <文件夹>\n`
      );
    });
  },
});
