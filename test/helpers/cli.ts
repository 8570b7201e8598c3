/**
 * The CLI run in-process for the integration tests: `runCli` with stdout and stderr captured as
 * text, `--json` output parsed, a workspace made from the bundled qionghai template through
 * `workspace create`, a core opened on that workspace (as the desktop app would) and the text of
 * a .docx the CLI wrote.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Core } from '../../main/core/core';
import { runCli } from '../../main/cli/run';
import { call, makeCore } from './core';
import { readDocx } from './docx';

/** A stream the CLI writes to, kept as text; not a terminal. */
class Capture {
  text = '';
  readonly isTTY = false;
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with the given arguments (after `--data-dir`). */
export type Cli = (...argv: string[]) => Promise<CliRun>;
/** Runs the CLI with `--json` added, expects exit code 0 and returns the parsed output. */
export type CliJson = <T>(...argv: string[]) => Promise<T>;

export interface CliHarnessOptions {
  /** cliJson also expects no 错误 in stderr. */
  noErrorText?: boolean;
}

/** The CLI with `--data-dir dataDir`, run in `root` with an empty environment. */
export function cliHarness(
  root: string,
  dataDir: string,
  options: CliHarnessOptions = {},
): { cli: Cli; cliJson: CliJson } {
  const cli: Cli = async (...argv) => {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runCli(['--data-dir', dataDir, ...argv], { stdout, stderr, env: {}, cwd: root });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  const cliJson: CliJson = async <T>(...argv: string[]) => {
    const r = await cli(...argv, '--json');
    if (options.noErrorText) expect(r.stderr, r.stderr).not.toMatch(/错误/);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  return { cli, cliJson };
}

export interface TemplateWorkspaceOptions {
  /** --me: the project lead; left out when not given. */
  me?: string;
  /** --start; 2027-01 unless told. */
  start?: string;
}

/** `workspace create --template qionghai --dir <dir> [--me <me>] --start <start>`. */
export function createTemplateWorkspace(
  cli: Cli,
  dir: string,
  options: TemplateWorkspaceOptions = {},
): Promise<CliRun> {
  const me = options.me ? ['--me', options.me] : [];
  return cli(
    'workspace',
    'create',
    '--template',
    'qionghai',
    '--dir',
    dir,
    ...me,
    '--start',
    options.start ?? '2027-01',
  );
}

export interface CliWorkspace {
  /** The test file's folder (the CLI's working directory), removed after its tests. */
  root: string;
  /** The CLI's data folder (`--data-dir`), in root. */
  dataDir: string;
  /** The workspace, in root. */
  ws: string;
  cli: Cli;
  cliJson: CliJson;
  /** Runs `fn` with a core (data folder root/core-data) that has the workspace open. */
  withCore<T>(fn: (core: Core) => Promise<T>): Promise<T>;
}

export interface CliWorkspaceOptions extends TemplateWorkspaceOptions, CliHarnessOptions {
  /** More checks of what `workspace create` printed (its exit code 0 is always expected). */
  created?: (r: CliRun) => void;
}

/**
 * A folder for a test file with the CLI's data folder and a workspace named `wsName` made from
 * the template through the CLI. The paths are known at once; beforeAll (registered here, so it
 * runs before the file's own) creates the folder and the workspace, afterAll removes the folder.
 */
export function cliWorkspace(
  prefix: string,
  wsName: string,
  options: CliWorkspaceOptions = {},
): CliWorkspace {
  // not the helpers' tempDir: that one is removed after each test, this folder lives for the file
  const root = path.join(os.tmpdir(), `${prefix}${randomBytes(6).toString('hex')}`);
  const dataDir = path.join(root, 'data');
  const ws = path.join(root, wsName);
  const { cli, cliJson } = cliHarness(root, dataDir, options);

  beforeAll(async () => {
    fs.mkdirSync(root);
    const r = await createTemplateWorkspace(cli, ws, options);
    options.created?.(r);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function withCore<T>(fn: (core: Core) => Promise<T>): Promise<T> {
    const t = makeCore({ dataDir: path.join(root, 'core-data'), openLast: false });
    try {
      await call(t.core, 'workspace.open', { dir: ws });
      return await fn(t.core);
    } finally {
      t.close();
    }
  }

  return { root, dataDir, ws, cli, cliJson, withCore };
}

/** The text of word/document.xml of a .docx file, tags removed. */
export function docxText(file: string): string {
  return readDocx(fs.readFileSync(file))
    .text('word/document.xml')
    .replace(/<[^>]+>/g, '');
}
