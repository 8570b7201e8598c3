/**
 * A small command registry. A command is a name ("templates", "workspace create"), a Chinese
 * summary, its options and a run function. Later features add a module under commands/ that
 * calls `defineCommand` and register it in commands/index.ts; parsing, help, usage errors,
 * --json and exit codes come for free.
 */
import type { CommandContext } from './context';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One-letter alias (-x). */
  short?: string;
  /** May be given several times (values collected in order). */
  multiple?: boolean;
  required?: boolean;
  /** Placeholder shown in help: --dir <文件夹>. */
  value?: string;
  /** Chinese description for the help text. */
  description: string;
  /** Allowed values (a wrong value is a usage error, exit code 2). */
  choices?: readonly string[];
  /** Returns a Chinese message when the value is malformed (usage error), else null. */
  check?: (value: string) => string | null;
  /**
   * Given as a bare argument (`tasks import 清单.xlsx`) instead of `--name <值>`; string options
   * only, at most one per command. The value still arrives under the option's name.
   */
  positional?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed values, typed from the option specs. */
export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]: O[K]['type'] extends 'boolean'
    ? boolean
    : O[K]['multiple'] extends true
      ? string[]
      : O[K]['required'] extends true
        ? string
        : string | undefined;
};

export type RawValues = Record<string, string | boolean | string[] | undefined>;

/** What a command returns: nothing (exit 0) or an explicit exit code. */
export type RunResult = void | number;

export interface CommandSpec<O extends OptionSpecs> {
  /** One word, or "group sub" (two words). */
  name: string;
  summary: string;
  /** Longer explanation shown in the command's help. */
  description?: string;
  options: O;
  examples?: readonly string[];
  run(ctx: CommandContext, values: OptionValues<O>): Promise<RunResult> | RunResult;
}

/** A command with its value types erased, as stored in the registry. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  readonly options: OptionSpecs;
  readonly examples: readonly string[];
  run(ctx: CommandContext, values: RawValues): Promise<RunResult> | RunResult;
}

export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    description: spec.description,
    options: spec.options,
    examples: spec.examples ?? [],
    // The parser (parse.ts) fills every declared option according to its spec, so the raw
    // record has exactly the shape OptionValues<O> describes.
    run: (ctx, values) => spec.run(ctx, values as OptionValues<O>),
  };
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  'data-dir': {
    type: 'string',
    value: '<目录>',
    description:
      '程序数据文件夹（最近使用的工作区、默认备份位置）；默认取环境变量 CWB_DATA_DIR，否则与桌面版相同',
  },
  json: { type: 'boolean', description: '以 JSON 输出结果：标准输出只有一个 JSON 文档，便于脚本处理' },
  help: { type: 'boolean', short: 'h', description: '显示帮助' },
} as const satisfies OptionSpecs;

export class CommandRegistry {
  private readonly commands = new Map<string, Command>();
  /** Descriptions of command groups ("workspace" → "工作区"). */
  private readonly groupSummaries = new Map<string, string>();

  register(...commands: Command[]): this {
    for (const c of commands) {
      const words = c.name.split(' ');
      if (words.length < 1 || words.length > 2 || words.some((w) => !/^[a-z][a-z0-9-]*$/.test(w))) {
        throw new Error(`bad command name: "${c.name}"`);
      }
      if (this.commands.has(c.name)) throw new Error(`command registered twice: ${c.name}`);
      if (words.length === 1 && this.isGroup(c.name)) throw new Error(`"${c.name}" is already a group`);
      if (words.length === 2 && this.commands.has(words[0] ?? ''))
        throw new Error(`"${words[0]}" is already a command`);
      for (const [name, o] of Object.entries(c.options)) {
        if (Object.hasOwn(GLOBAL_OPTIONS, name))
          throw new Error(`${c.name}: option --${name} clashes with a global option`);
        if (o.short && o.short.length !== 1)
          throw new Error(`${c.name}: short option of --${name} must be one letter`);
        if (o.positional && (o.type !== 'string' || o.multiple))
          throw new Error(`${c.name}: positional --${name} must be a single string`);
      }
      if (Object.values(c.options).filter((o) => o.positional).length > 1)
        throw new Error(`${c.name}: at most one positional argument`);
      this.commands.set(c.name, c);
    }
    return this;
  }

  describeGroup(group: string, summary: string): this {
    this.groupSummaries.set(group, summary);
    return this;
  }

  get(name: string): Command | undefined {
    return this.commands.get(name);
  }

  isGroup(word: string): boolean {
    for (const name of this.commands.keys()) if (name.startsWith(`${word} `)) return true;
    return false;
  }

  groupSummary(group: string): string | undefined {
    return this.groupSummaries.get(group);
  }

  /** Commands in registration order (optionally those of one group). */
  list(group?: string): Command[] {
    const all = [...this.commands.values()];
    return group ? all.filter((c) => c.name.startsWith(`${group} `)) : all;
  }
}
