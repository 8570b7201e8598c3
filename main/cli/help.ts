/** Help text (Chinese) generated from the registry. */
import { APP_VERSION } from '../core/version';
import { displayWidth, padEnd } from './io';
import { optionLabel } from './parse';
import { GLOBAL_OPTIONS, type Command, type CommandRegistry, type OptionSpecs } from './registry';

export interface HelpEnv {
  prog: string;
  /** Where data goes when --data-dir is not given, and why ("环境变量 CWB_DATA_DIR" / "桌面版默认"). */
  dataDir: string;
  dataDirSource: string;
}

function optionLines(specs: OptionSpecs): string[] {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const left = (spec.short ? `-${spec.short}, ` : '') + optionLabel(name, spec);
    let desc = spec.description;
    if (spec.required) desc += '（必填）';
    if (spec.multiple) desc += '（可重复给出，或用逗号分隔多个）';
    if (spec.choices) desc += `。可选：${spec.choices.join('、')}`;
    return [left, desc] as const;
  });
  const width = Math.max(0, ...rows.map(([l]) => displayWidth(l)));
  return rows.map(([l, d]) => `  ${padEnd(l, width)}  ${d}`);
}

function commandLines(commands: Command[]): string[] {
  const width = Math.max(0, ...commands.map((c) => displayWidth(c.name)));
  return commands.map((c) => `  ${padEnd(c.name, width)}  ${c.summary}`);
}

function globalLines(env: HelpEnv): string[] {
  return [
    ...optionLines(GLOBAL_OPTIONS),
    `  （未指定 --data-dir 时使用：${env.dataDir}，${env.dataDirSource}）`,
  ];
}

export function programHelp(registry: CommandRegistry, env: HelpEnv): string {
  return [
    `信用创建工作台 命令行工具 ${APP_VERSION}`,
    '与桌面版使用同一个核心和同样的工作区文件，适合批量操作和脚本。',
    '',
    `用法：${env.prog} <命令> [选项]`,
    '',
    '命令：',
    ...commandLines(registry.list()),
    '',
    '全局选项（可放在命令前或命令后）：',
    ...globalLines(env),
    '',
    `查看某个命令的说明：${env.prog} <命令> --help`,
    '退出码：0 成功；1 命令执行失败；2 用法错误（未知命令或选项、缺少必填选项）。',
    '',
  ].join('\n');
}

export function groupHelp(registry: CommandRegistry, group: string, env: HelpEnv): string {
  const summary = registry.groupSummary(group);
  return [
    `用法：${env.prog} ${group} <子命令> [选项]`,
    ...(summary ? ['', summary] : []),
    '',
    '子命令：',
    ...commandLines(registry.list(group)),
    '',
    `查看子命令的说明：${env.prog} ${group} <子命令> --help`,
    '',
  ].join('\n');
}

export function commandHelp(command: Command, env: HelpEnv): string {
  // the bare argument first (`tasks import <文件> --dir <文件夹>`), then required options
  const required = Object.entries(command.options)
    .filter(([, s]) => s.required || s.positional)
    .sort(([, a], [, b]) => Number(!!b.positional) - Number(!!a.positional))
    .map(([n, s]) => (s.required ? optionLabel(n, s) : `[${optionLabel(n, s)}]`));
  const hasOptional = Object.values(command.options).some((s) => !s.required && !s.positional);
  const usage = [env.prog, command.name, ...required, ...(hasOptional ? ['[选项]'] : [])].join(' ');
  const lines = [`用法：${usage}`, '', command.summary + (command.summary.endsWith('。') ? '' : '。')];
  if (command.description) lines.push(command.description);
  if (Object.keys(command.options).length > 0) lines.push('', '选项：', ...optionLines(command.options));
  lines.push('', '全局选项：', ...globalLines(env));
  if (command.examples.length > 0) {
    lines.push('', '示例：', ...command.examples.map((e) => `  ${env.prog} ${e}`));
  }
  lines.push('');
  return lines.join('\n');
}

/** Help for a topic ('' = program, a group, or a command); null if unknown. */
export function helpFor(registry: CommandRegistry, topic: string, env: HelpEnv): string | null {
  if (topic === '') return programHelp(registry, env);
  const command = registry.get(topic);
  if (command) return commandHelp(command, env);
  if (registry.isGroup(topic)) return groupHelp(registry, topic, env);
  return null;
}
