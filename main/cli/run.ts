/**
 * runCli(argv, io) → exit code. The program in one function so tests can run it in-process;
 * index.ts calls it with the process's arguments.
 *
 * Exit codes: 0 success; 1 the command failed (the core's Chinese message on stderr, prefixed
 * "错误："); 2 usage error (what is wrong, then the help of that command, on stderr).
 */
import { buildRegistry } from './commands/index';
import { createContext, type OwnedContext } from './context';
import { CommandError, UsageError } from './errors';
import { helpFor, type HelpEnv } from './help';
import type { CliIo } from './io';
import { parseInvocation } from './parse';
import { DATA_DIR_ENV, resolveDataDir } from './paths';
import type { CommandRegistry } from './registry';

export type { CliIo, Writer } from './io';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export async function runCli(
  argv: readonly string[],
  io: CliIo,
  registry: CommandRegistry = buildRegistry(),
): Promise<number> {
  const fromEnv = io.env[DATA_DIR_ENV]?.trim();
  const helpEnv: HelpEnv = {
    prog: io.prog ?? 'npm run cli --',
    dataDir: resolveDataDir(undefined, io.env, io.cwd ?? process.cwd()),
    dataDirSource: fromEnv ? `来自环境变量 ${DATA_DIR_ENV}` : '与桌面版相同',
  };
  const jsonWanted = argv.includes('--json');

  let ctx: OwnedContext | null = null;
  try {
    const inv = parseInvocation(argv, registry);
    if (inv.kind === 'none') {
      if (inv.globals.help) {
        io.stdout.write(helpFor(registry, '', helpEnv) ?? '');
        return EXIT_OK;
      }
      throw new UsageError('请指定要执行的命令。', '');
    }
    if (inv.kind === 'help') {
      const text = helpFor(registry, inv.topic, helpEnv);
      if (text === null) throw new UsageError(`未知命令「${inv.topic}」`, '');
      io.stdout.write(text);
      return EXIT_OK;
    }
    const dataDir = resolveDataDir(inv.globals.dataDir, io.env, io.cwd ?? process.cwd());
    ctx = createContext(io, { json: inv.globals.json, dataDir });
    const code = await inv.command.run(ctx, inv.values);
    return typeof code === 'number' ? code : EXIT_OK;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`错误：${e.message}\n\n${helpFor(registry, e.helpFor, helpEnv) ?? ''}`);
      return EXIT_USAGE;
    }
    const failure =
      e instanceof CommandError
        ? e
        : new CommandError(`内部错误：${e instanceof Error ? e.message : String(e)}`, 'INTERNAL');
    io.stderr.write(`错误：${failure.message}\n`);
    if (jsonWanted)
      io.stdout.write(
        `${JSON.stringify({ error: { code: failure.code, message: failure.message } }, null, 2)}\n`,
      );
    return EXIT_FAILED;
  } finally {
    ctx?.close();
  }
}
