/** What a command's run function gets: the core (created lazily), output helpers, progress. */
import path from 'node:path';
import { createCore, type Core } from '../core/core';
import type { CommandName, EventPayload, Input, Output, WorkspaceSummary } from '../core/contract/index';
import { CommandError } from './errors';
import type { CliIo } from './io';

export interface CommandContext {
  readonly io: CliIo;
  /** --json given: write exactly one JSON document to stdout (via `result`), no progress. */
  readonly json: boolean;
  readonly dataDir: string;
  /** Resolves a path given on the command line against the caller's working directory. */
  resolvePath(p: string): string;
  /** The core (runtime 'cli'; never reopens the desktop app's last workspace). */
  core(): Core;
  /** Calls a core command; a failure becomes a CommandError (exit code 1) with the core's message. */
  call<N extends CommandName>(name: N, input: Input<N>): Promise<Output<N>>;
  /** Opens the workspace in `dir` (relative to the working directory). */
  openWorkspace(dir: string): Promise<WorkspaceSummary>;
  /** The command's result: `value` as JSON with --json, else the text `render` returns. */
  result<T>(value: T, render: (value: T) => string): void;
  /** A note for the user on stderr (also with --json, where stdout is reserved for the document). */
  note(message: string): void;
  /** Runs `work` while showing the core's job.progress events on stderr (not with --json). */
  withProgress<T>(work: () => Promise<T>): Promise<T>;
}

export interface OwnedContext extends CommandContext {
  close(): void;
}

export function createContext(io: CliIo, opts: { json: boolean; dataDir: string }): OwnedContext {
  let core: Core | null = null;
  const cwd = io.cwd ?? process.cwd();

  const getCore = (): Core => {
    core ??= createCore({ dataDir: opts.dataDir, runtime: 'cli', openLast: false, rememberRecent: false });
    return core;
  };

  const call = async <N extends CommandName>(name: N, input: Input<N>): Promise<Output<N>> => {
    const r = await getCore().invoke(name, input);
    if (!r.ok) throw new CommandError(r.error.message, r.error.code);
    return r.value;
  };

  return {
    io,
    json: opts.json,
    dataDir: opts.dataDir,
    resolvePath: (p) => path.resolve(cwd, p),
    core: getCore,
    call,
    openWorkspace: (dir) => call('workspace.open', { dir: path.resolve(cwd, dir) }),
    result(value, render) {
      io.stdout.write(opts.json ? `${JSON.stringify(value, null, 2)}\n` : render(value));
    },
    note(message) {
      io.stderr.write(`${message}\n`);
    },
    async withProgress(work) {
      if (opts.json) return work();
      const bar = new ProgressLine(io.stderr);
      const off = getCore().on('job.progress', (p) => bar.update(p));
      try {
        return await work();
      } finally {
        off();
        bar.end();
      }
    },
    close() {
      core?.close();
      core = null;
    },
  };
}

type JobProgress = EventPayload<'job.progress'>;

/** One redrawn line on a terminal; a few plain lines otherwise (logs, pipes). */
export class ProgressLine {
  private lastDraw = 0;
  private lastMessage = '';
  private lastStep = -1;
  private open = false;

  constructor(private readonly out: CliIo['stderr']) {}

  update(p: JobProgress): void {
    const pct = p.total && p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : null;
    const text = pct === null || p.state !== 'running' ? p.message : `${p.message} ${pct}%`;
    const final = p.state !== 'running';
    if (this.out.isTTY) {
      const now = Date.now();
      if (!final && now - this.lastDraw < 80) return;
      this.lastDraw = now;
      this.out.write(`\r\x1b[K${text}${final ? '\n' : ''}`);
      this.open = !final;
      return;
    }
    // Not a terminal: a line when the message changes, at each quarter, and at the end.
    const step = pct === null ? -1 : Math.floor(pct / 25);
    if (final ? p.message !== this.lastMessage : p.message !== this.lastMessage || step > this.lastStep) {
      this.out.write(`${text}\n`);
      this.lastMessage = p.message;
      this.lastStep = step;
    }
  }

  end(): void {
    if (this.open) this.out.write('\n');
    this.open = false;
  }
}
