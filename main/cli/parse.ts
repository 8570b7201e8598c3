/** Command line parsing on node:util parseArgs, with Chinese usage errors. */
import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import {
  GLOBAL_OPTIONS,
  type Command,
  type CommandRegistry,
  type OptionSpec,
  type OptionSpecs,
  type RawValues,
} from './registry';

export interface GlobalValues {
  dataDir: string | undefined;
  json: boolean;
  help: boolean;
}

export type Invocation =
  /** No command given. */
  | { kind: 'none'; globals: GlobalValues }
  /** `help [command…]` or a group name with --help. */
  | { kind: 'help'; topic: string; globals: GlobalValues }
  | { kind: 'command'; command: Command; values: RawValues; globals: GlobalValues };

/** What parseArgs returns for a dynamic option set. */
type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

type ParseOptions = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

function toParseOptions(specs: OptionSpecs): ParseOptions {
  const out: ParseOptions = {};
  for (const [name, s] of Object.entries(specs)) {
    out[name] = {
      type: s.type,
      ...(s.short ? { short: s.short } : {}),
      ...(s.multiple ? { multiple: true } : {}),
    };
  }
  return out;
}

export function optionLabel(name: string, spec: OptionSpec): string {
  if (spec.positional) return spec.value ?? `<${name}>`;
  return spec.type === 'string' ? `--${name} ${spec.value ?? '<值>'}` : `--${name}`;
}

const quoted = (msg: string) => /'([^']+)'/.exec(msg)?.[1] ?? '';

/** Turns a parseArgs error into a Chinese message. */
function translate(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? String(e);
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `未知选项「${quoted(msg)}」`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `多余的参数「${quoted(msg)}」（参数值含空格时请加引号）`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const opt = quoted(msg).replace(/ <value>$/, '');
      if (/does not take an argument/.test(msg)) return `选项「${opt}」不接受值`;
      return `选项「${opt}」缺少值`;
    }
    default:
      return `无法解析命令行：${msg}`;
  }
}

function parseGlobals(values: ParsedValues): GlobalValues {
  const dataDir = values['data-dir'];
  return {
    dataDir: typeof dataDir === 'string' ? dataDir : undefined,
    json: values.json === true,
    help: values.help === true,
  };
}

/** Options given before the command words: globals only (their values may follow). */
function takeLeadingOptions(argv: readonly string[]): number {
  let i = 0;
  while (i < argv.length) {
    const a = argv[i] ?? '';
    if (a === '--' || !a.startsWith('-') || a === '-') break;
    i += a === '--data-dir' ? 2 : 1;
  }
  return Math.min(i, argv.length);
}

/** True if `args` ask for help (before a `--` terminator). */
function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

function parseGlobalsOnly(args: readonly string[], helpFor: string): GlobalValues {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: toParseOptions(GLOBAL_OPTIONS),
      strict: true,
      allowPositionals: false,
    });
    return parseGlobals(values);
  } catch (e) {
    throw new UsageError(translate(e), helpFor);
  }
}

/**
 * Finds the command in argv (global options may come before or after it) and parses and
 * validates its options. Throws UsageError for anything wrong with the command line.
 */
export function parseInvocation(argv: readonly string[], registry: CommandRegistry): Invocation {
  const lead = takeLeadingOptions(argv);
  const before = argv.slice(0, lead);
  const word1 = argv[lead];
  if (word1 === undefined || word1 === '--') {
    return { kind: 'none', globals: parseGlobalsOnly(before, '') };
  }

  if (word1 === 'help') {
    const topic = argv
      .slice(lead + 1)
      .filter((a) => !a.startsWith('-'))
      .slice(0, 2)
      .join(' ');
    return {
      kind: 'help',
      topic,
      globals: parseGlobalsOnly(
        argv
          .slice(lead + 1)
          .filter((a) => a.startsWith('-'))
          .concat(before),
        '',
      ),
    };
  }

  let name = word1;
  let restStart = lead + 1;
  if (registry.isGroup(word1)) {
    const word2 = argv[lead + 1];
    if (word2 === undefined || word2.startsWith('-')) {
      const rest = argv.slice(lead + 1).concat(before);
      if (wantsHelp(rest))
        return {
          kind: 'help',
          topic: word1,
          globals: { dataDir: undefined, json: false, help: true },
        };
      const subs = registry
        .list(word1)
        .map((c) => c.name.split(' ')[1])
        .join('、');
      throw new UsageError(`请指定「${word1}」的子命令：${subs}`, word1);
    }
    name = `${word1} ${word2}`;
    restStart = lead + 2;
    if (!registry.get(name)) throw new UsageError(`未知命令「${name}」`, word1);
  }
  const command = registry.get(name);
  if (!command) throw new UsageError(`未知命令「${word1}」`, '');

  const rest = argv.slice(restStart).concat(before);
  if (wantsHelp(rest)) {
    return { kind: 'help', topic: command.name, globals: { dataDir: undefined, json: false, help: true } };
  }

  const positional = Object.entries(command.options).find(([, s]) => s.positional)?.[0];
  let parsed: ParsedValues;
  try {
    const r = parseArgs({
      args: rest,
      options: { ...toParseOptions(command.options), ...toParseOptions(GLOBAL_OPTIONS) },
      strict: true,
      allowPositionals: positional !== undefined,
    });
    parsed = r.values;
    if (positional !== undefined && r.positionals.length > 0) {
      const [first, ...extra] = r.positionals;
      if (extra.length > 0)
        throw new UsageError(`多余的参数「${extra[0]}」（参数值含空格时请加引号）`, command.name);
      if (parsed[positional] !== undefined)
        throw new UsageError(
          `${optionLabel(positional, command.options[positional] as OptionSpec)} 给出了两次`,
          command.name,
        );
      parsed[positional] = first;
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(translate(e), command.name);
  }

  const values: RawValues = {};
  for (const [key, spec] of Object.entries(command.options)) {
    const v = parsed[key];
    const label = optionLabel(key, spec);
    if (spec.type === 'boolean') {
      values[key] = v === true;
      continue;
    }
    const list = v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
    for (const item of list) {
      const what = spec.positional ? `参数 ${label}` : `选项 --${key}`;
      if (item.trim() === '')
        throw new UsageError(`${spec.positional ? what : `选项 ${label}`} 的值不能为空`, command.name);
      if (spec.choices && !spec.choices.includes(item)) {
        throw new UsageError(`${what} 的值「${item}」无效，可选：${spec.choices.join('、')}`, command.name);
      }
      const problem = spec.check?.(item);
      if (problem) throw new UsageError(`${what} 的值「${item}」无效：${problem}`, command.name);
    }
    if (spec.required && list.length === 0)
      throw new UsageError(`${spec.positional ? '缺少参数' : '缺少必填选项'} ${label}`, command.name);
    values[key] = spec.multiple ? list : list[list.length - 1];
  }
  return { kind: 'command', command, values, globals: parseGlobals(parsed) };
}
