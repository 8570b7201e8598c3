/**
 * createCore({ dataDir }) -> { invoke(name, input), on(event, cb), close() }
 *
 * The whole application behind one function call. Plain Node: no electron, no DOM. The
 * Electron shell, the web host, the CLI and the tests all talk to it the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppState } from './app/app-state';
import {
  commands,
  type AppInfo,
  type CommandName,
  type EventName,
  type EventPayload,
  type Input,
  type Output,
  type ParsedInput,
  type PickPathInput,
} from './contract/index';
import type { AppErrorShape, Result } from './contract/errors';
import type { AppBridge } from './contract/bridge';
import { LATEST_VERSION } from './db/open';
import type { EntityName } from './records/entities';
import { AppError } from './util/errors';
import { APP_VERSION } from './version';
import { Workspace } from './workspace/workspace';
import { buildHandlers } from './handlers';
import { generateInstances } from './tasks/recurrence';
import { localToday } from './tasks/tasks';

z.config(z.locales.zhCN());

/** Services only the hosting shell can provide (dialogs, the OS file opener). */
export interface PlatformServices {
  pickPath?(input: PickPathInput): Promise<string | null>;
  openPath?(file: string): Promise<void>;
  /** Where the sync access token is kept (Electron: safeStorage; web host: a 0600 file). */
  secrets?: {
    get(key: string): Promise<string | null>;
    set(key: string, value: string | null): Promise<void>;
  };
}

/** Automatic sync (opt-in: the desktop app and the web host turn it on; tests stay deterministic). */
export interface AutoSyncOptions {
  /** Between runs when idle (default 60 s). */
  intervalMs?: number;
  /** After a local change (default 3 s). */
  debounceMs?: number;
}

export interface CoreOptions {
  dataDir: string;
  /** Folder holding templates/ etc.; default: the repository's resources/ folder. */
  resourcesDir?: string;
  /** better_sqlite3.node built for the running runtime (Electron passes its own build). */
  nativeBinding?: string;
  runtime?: AppInfo['runtime'];
  platform?: PlatformServices;
  /** Reopen the workspace opened last time (default true). */
  openLast?: boolean;
  /** Record opened workspaces in the per-machine recent list (default true; the CLI says false). */
  rememberRecent?: boolean;
  clock?: () => Date;
  /** Sync automatically with the configured server (default off). */
  autoSync?: boolean | AutoSyncOptions;
}

export interface Core extends AppBridge {
  close(): void;
  /** The open workspace, for in-process callers (CLI, tests). */
  readonly workspace: Workspace | null;
  readonly dataDir: string;
}

export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

type Listener = (payload: unknown) => void;

/** State shared by the command handlers. */
export interface CoreContext {
  readonly dataDir: string;
  readonly resourcesDir: string;
  readonly nativeBinding: string | undefined;
  readonly runtime: AppInfo['runtime'];
  readonly platform: PlatformServices;
  readonly appState: AppState;
  readonly clock: () => Date;
  /** Automatic sync settings, or null when off. */
  readonly autoSync: AutoSyncOptions | null;
  /** Called after every commit of records (local or pulled), and when the core closes. */
  readonly hooks: { commit: Set<(entities: EntityName[]) => void>; close: Set<() => void> };
  /**
   * Fetches a blob missing on this laptop from the sync server (set by the sync engine);
   * resolves true when the file is now here.
   */
  fetchBlob?: (ws: Workspace, sha256: string) => Promise<boolean>;
  ws: Workspace | null;
  lastError: string | null;
  requireWs(): Workspace;
  openWorkspace(dir: string): Workspace;
  setWorkspace(ws: Workspace | null): void;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export function defaultResourcesDir(): string {
  if (process.env.CWB_RESOURCES) return process.env.CWB_RESOURCES;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'resources');
    if (fs.existsSync(path.join(candidate, 'templates'))) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve('resources');
}

function formatZodError(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `字段「${i.path.map(String).join('.')}」：${i.message}` : i.message))
    .join('；');
}

function toErrorShape(e: unknown): AppErrorShape {
  if (e instanceof AppError) return e.toShape();
  if (e instanceof z.ZodError) return { code: 'BAD_INPUT', message: formatZodError(e) };
  const msg = e instanceof Error ? e.message : String(e);
  if (/SQLITE_BUSY|database is locked/i.test(msg)) {
    return { code: 'IO_ERROR', message: '工作区数据库正被其他程序占用，请稍后重试。' };
  }
  if (/SQLITE_FULL|ENOSPC/i.test(msg)) return { code: 'IO_ERROR', message: '磁盘空间不足，未能保存。' };
  return { code: 'INTERNAL', message: `内部错误：${msg}` };
}

export function createCore(opts: CoreOptions): Core {
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const listeners = new Map<string, Set<Listener>>();

  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const cb of listeners.get(event) ?? []) {
      try {
        cb(payload);
      } catch {
        // a listener's failure must not break the core
      }
    }
  };

  const hooks: CoreContext['hooks'] = { commit: new Set(), close: new Set() };
  const onCommit = (entities: EntityName[]) => {
    emit('records.changed', { entities });
    for (const h of hooks.commit) {
      try {
        h(entities);
      } catch {
        // a hook's failure must not fail the write that already committed
      }
    }
  };
  const generatedFor = new WeakMap<Workspace, string>();

  const ctx: CoreContext = {
    dataDir,
    resourcesDir: opts.resourcesDir ?? defaultResourcesDir(),
    nativeBinding: opts.nativeBinding,
    runtime: opts.runtime ?? 'test',
    platform: opts.platform ?? {},
    appState: new AppState(dataDir, opts.rememberRecent !== false),
    clock: opts.clock ?? (() => new Date()),
    autoSync: opts.autoSync ? (opts.autoSync === true ? {} : opts.autoSync) : null,
    hooks,
    ws: null,
    lastError: null,
    requireWs() {
      const ws = ctx.ws;
      if (!ws) throw new AppError('NO_WORKSPACE', '尚未打开工作区，请先创建或打开一个工作区。');
      // Recurring tasks: once a day (by the workspace clock), create the new periods' instances.
      const today = localToday(ctx.clock());
      if (generatedFor.get(ws) !== today) {
        generatedFor.set(ws, today);
        try {
          generateInstances(ws, today);
        } catch (e) {
          ctx.lastError = `生成周期任务时出错：${toErrorShape(e).message}`;
        }
      }
      return ws;
    },
    openWorkspace(dir: string) {
      return Workspace.open(path.resolve(dir), {
        nativeBinding: opts.nativeBinding,
        onCommit,
        clock: opts.clock,
      });
    },
    setWorkspace(ws: Workspace | null) {
      if (ctx.ws && ctx.ws !== ws) ctx.ws.close();
      ctx.ws = ws;
      if (ws) {
        const s = ws.summary();
        ctx.appState.touch({ dir: ws.dir, name: s.name, city: s.city }, ctx.clock());
      }
      emit('workspace.changed', { workspace: ws ? ws.summary() : null });
    },
    emit,
  };

  if (opts.openLast !== false && ctx.appState.last) {
    try {
      const ws = ctx.openWorkspace(ctx.appState.last);
      ctx.ws = ws;
    } catch (e) {
      ctx.lastError = `上次使用的工作区未能打开：${toErrorShape(e).message}`;
    }
  }

  const handlers = buildHandlers(ctx, onCommit);

  async function invoke<N extends CommandName>(name: N, input: Input<N>): Promise<Result<Output<N>>> {
    try {
      if (typeof name !== 'string' || !Object.hasOwn(commands, name)) {
        throw new AppError('UNKNOWN_COMMAND', `未知命令「${String(name)}」。`);
      }
      let size = 0;
      try {
        size = Buffer.byteLength(JSON.stringify(input ?? {}) ?? '', 'utf8');
      } catch {
        throw new AppError('BAD_INPUT', '参数无法序列化。');
      }
      if (size > MAX_INPUT_BYTES) {
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `参数过大（${(size / 1048576).toFixed(1)} MB），上限为 8 MB。`,
        );
      }
      const parsed = commands[name].input.safeParse(input ?? {});
      if (!parsed.success) throw new AppError('BAD_INPUT', formatZodError(parsed.error));
      const handler = handlers[name] as (i: ParsedInput<N>) => Output<N> | Promise<Output<N>>;
      const value = await handler(parsed.data as ParsedInput<N>);
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: toErrorShape(e) };
    }
  }

  return {
    invoke,
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(cb as Listener);
      return () => set.delete(cb as Listener);
    },
    close() {
      for (const h of hooks.close) {
        try {
          h();
        } catch {
          // closing goes on
        }
      }
      hooks.close.clear();
      ctx.ws?.close();
      ctx.ws = null;
      listeners.clear();
    },
    get workspace() {
      return ctx.ws;
    },
    dataDir,
  };
}

export { APP_VERSION, LATEST_VERSION };
