import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import dayjs from 'dayjs';
import type { StaffRole, WorkspaceSummary } from '../contract/workspace';
import { systemId } from '../db/migrations/0008-indicators-monitoring';
import { openDb, type Db } from '../db/open';
import { closeDocs } from '../docs/store';
import type { EntityName } from '../records/entities';
import { insertLinks } from '../records/links';
import { HLC_HIGH_KEY, Writer, type Actor, type Tx } from '../records/writer';
import { AppError } from '../util/errors';
import { Hlc } from '../util/hlc';
import { stableId, uuidv7 } from '../util/ids';
import type { LoadedTemplate } from './template-schema';

export const DB_FILE = 'workspace.sqlite';
export const BLOBS_DIR = 'blobs';

export interface WorkspaceOptions {
  nativeBinding?: string;
  clock?: () => Date;
  onCommit?: (entities: EntityName[]) => void;
}

export interface NewWorkspace {
  name: string;
  city: string;
  adminCode: string;
  campaignName: string;
  periodStart: string;
  periodEnd: string;
  rankingTarget: number;
  indicatorVersion: string;
  templateId: string | null;
  me: { name: string; role: StaffRole };
  colleagues: { name: string; role: StaffRole }[];
}

function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

function setMeta(db: Db, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  else
    db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
}

/** The physical clock of the HLC: the workspace's clock (tests skew it), in ms. */
function hlcClock(opts: WorkspaceOptions): () => number {
  const clock = opts.clock;
  return clock ? () => clock().getTime() : Date.now;
}

/** An open workspace: its folder, database, write path and clock. */
export class Workspace {
  private _writer: Writer;
  private _hlc: Hlc;
  readonly id: string;
  readonly preMigrationBackup: string | null;
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly db: Db,
    preMigrationBackup: string | null,
    private readonly opts: WorkspaceOptions,
  ) {
    this.preMigrationBackup = preMigrationBackup;
    let node = getMeta(db, 'node_id');
    if (!node) {
      node = randomBytes(8).toString('hex');
      setMeta(db, 'node_id', node);
    }
    this._hlc = new Hlc(node, hlcClock(opts));
    const high = getMeta(db, HLC_HIGH_KEY);
    if (high) this._hlc.seed(high);
    this._writer = new Writer(db, this._hlc, opts.clock ?? (() => new Date()), opts.onCommit);
    const id = getMeta(db, 'workspace_id');
    if (!id) throw new AppError('NOT_A_WORKSPACE', `「${dir}」中的数据库缺少工作区标识，无法打开。`);
    this.id = id;
  }

  /**
   * Creates an empty workspace database with a given id (a laptop joining a workspace that
   * exists on the sync server; its records arrive by the first pull). No rows are written.
   */
  static createEmpty(dir: string, workspaceId: string, opts: WorkspaceOptions = {}): Workspace {
    if (Workspace.exists(dir)) throw new AppError('CONFLICT', `文件夹「${dir}」中已经有一个工作区。`);
    fs.mkdirSync(path.join(dir, BLOBS_DIR), { recursive: true });
    const { db } = openDb(Workspace.dbPath(dir), { create: true, nativeBinding: opts.nativeBinding });
    try {
      setMeta(db, 'workspace_id', workspaceId);
      return new Workspace(dir, db, null, opts);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  static dbPath(dir: string): string {
    return path.join(dir, DB_FILE);
  }

  static exists(dir: string): boolean {
    return fs.existsSync(Workspace.dbPath(dir));
  }

  static open(dir: string, opts: WorkspaceOptions = {}): Workspace {
    const file = Workspace.dbPath(dir);
    if (!fs.existsSync(file)) {
      throw new AppError('NOT_FOUND', `文件夹「${dir}」中没有工作区（缺少 ${DB_FILE}）。`);
    }
    const { db, preMigrationBackup } = openDb(file, { nativeBinding: opts.nativeBinding });
    try {
      return new Workspace(dir, db, preMigrationBackup, opts);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Creates a workspace in an empty (or new) folder, filled from a template when given. */
  static create(
    dir: string,
    init: NewWorkspace,
    template: LoadedTemplate | null,
    opts: WorkspaceOptions = {},
  ): Workspace {
    if (Workspace.exists(dir)) throw new AppError('CONFLICT', `文件夹「${dir}」中已经有一个工作区。`);
    fs.mkdirSync(path.join(dir, BLOBS_DIR), { recursive: true });
    const { db } = openDb(Workspace.dbPath(dir), { create: true, nativeBinding: opts.nativeBinding });
    const wsId = uuidv7();
    let ws: Workspace;
    try {
      setMeta(db, 'workspace_id', wsId);
      ws = new Workspace(dir, db, null, opts);
    } catch (e) {
      db.close();
      throw e;
    }
    const meId = uuidv7();
    const actor: Actor = { id: meId, name: init.me.name };
    try {
      ws.writer.transact(actor, (tx) => {
        tx.insert(
          'workspace',
          {
            name: init.name,
            city: init.city,
            admin_code: init.adminCode,
            campaign_name: init.campaignName,
            period_start: init.periodStart,
            period_end: init.periodEnd,
            ranking_target: init.rankingTarget,
            indicator_version: init.indicatorVersion,
            template_id: init.templateId,
          },
          wsId,
        );
        tx.insert('staff', { name: init.me.name, role: init.me.role, active: true }, meId);
        for (const c of init.colleagues) tx.insert('staff', { name: c.name, role: c.role, active: true });
        if (template) seedFromTemplate(tx, template, init.periodStart);
      });
    } catch (e) {
      // e.g. seeding failed: release the file so the caller can remove the half-made folder
      ws.close();
      throw e;
    }
    setMeta(db, 'me_staff_id', meId);
    return ws;
  }

  get meId(): string | null {
    return getMeta(this.db, 'me_staff_id');
  }

  setMe(staffId: string): void {
    setMeta(this.db, 'me_staff_id', staffId);
  }

  /** The write path (every synced write goes through it). */
  get writer(): Writer {
    return this._writer;
  }

  /** This laptop's hybrid logical clock (its node id is in every stamp). */
  get hlc(): Hlc {
    return this._hlc;
  }

  /** Resets this laptop's sync identity (after restoring a backup made elsewhere). */
  resetNodeId(): void {
    const node = randomBytes(8).toString('hex');
    setMeta(this.db, 'node_id', node);
    // the clock and the write path stamp with the node id: switch them over now, not on reopen
    this._hlc = new Hlc(node, hlcClock(this.opts));
    const high = getMeta(this.db, HLC_HIGH_KEY);
    if (high) this._hlc.seed(high);
    this._writer = new Writer(this.db, this._hlc, this.opts.clock ?? (() => new Date()), this.opts.onCommit);
  }

  /** Who is acting: "me" on this laptop, or a fallback name (CLI, scripts). */
  actor(fallback = '本机用户'): Actor {
    const id = this.meId;
    if (id) {
      const row = this.db.prepare('SELECT name FROM staff WHERE id = ?').get(id) as
        { name: string } | undefined;
      if (row) return { id, name: row.name };
    }
    return { id: null, name: fallback };
  }

  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  summary(): WorkspaceSummary {
    const w = this.db.prepare('SELECT name, city, campaign_name FROM workspace WHERE id = ?').get(this.id) as
      { name: string; city: string; campaign_name: string } | undefined;
    if (!w) throw new AppError('NOT_A_WORKSPACE', '工作区设置缺失，数据库可能已损坏。');
    const count = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    const meId = this.meId;
    const me = meId
      ? (this.db
          .prepare('SELECT id, name, role, phone, email, active FROM staff WHERE id = ? AND deleted = 0')
          .get(meId) as
          | {
              id: string;
              name: string;
              role: StaffRole;
              phone: string | null;
              email: string | null;
              active: number;
            }
          | undefined)
      : undefined;
    return {
      id: this.id,
      dir: this.dir,
      name: w.name,
      city: w.city,
      campaignName: w.campaign_name,
      schemaVersion: this.schemaVersion(),
      me: me ? { ...me, active: me.active === 1 } : null,
      counts: {
        departments: count('SELECT COUNT(*) n FROM departments WHERE deleted = 0 AND archived = 0'),
        tasks: count('SELECT COUNT(*) n FROM tasks WHERE deleted = 0'),
        indicators: count('SELECT COUNT(*) n FROM indicators WHERE deleted = 0'),
        staff: count('SELECT COUNT(*) n FROM staff WHERE deleted = 0'),
      },
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeDocs(this);
    } catch {
      // the search text is derived; closing must go on
    }
    try {
      this.db.pragma('optimize');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // a checkpoint failure must not prevent closing
    }
    this.db.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** End of the Nth month (1-based) counted from the campaign start. */
export function dueDateForMonth(periodStart: string, month: number): string {
  return dayjs(periodStart)
    .add(month - 1, 'month')
    .endOf('month')
    .format('YYYY-MM-DD');
}

function seedFromTemplate(tx: Tx, t: LoadedTemplate, periodStart: string): void {
  const deptIds = new Map<string, string>();
  t.departments.forEach((d, i) => {
    const id = tx.insert('department', {
      name: d.name,
      short_name: d.shortName ?? null,
      aliases: d.aliases,
      kind: d.kind,
      role: d.role,
      sort: (i + 1) * 10,
      archived: false,
    });
    deptIds.set(d.key, id);
  });
  tx.insert(
    'indicator_system',
    {
      version: t.indicators.version,
      name: t.indicators.name,
      scored_total: t.indicators.scoredTotal ?? null,
      bonus_total: t.indicators.bonusTotal ?? null,
      note: t.indicators.note ?? null,
    },
    systemId(t.indicators.version),
  );
  const indIds = new Map<string, string>();
  t.indicators.items.forEach((it, i) => {
    const id = tx.insert('indicator', {
      system_version: t.indicators.version,
      code: it.code,
      title: it.title,
      kind: it.kind,
      parent_id: it.parent ? (indIds.get(it.parent) ?? null) : null,
      points: it.points ?? null,
      standard: it.standard ?? null,
      sort: (i + 1) * 10,
    });
    indIds.set(it.key, id);
    insertLinks(
      tx,
      'indicator_department',
      id,
      it.owners.flatMap((k) => deptIds.get(k) ?? []),
    );
    it.evidence.forEach((title, j) =>
      tx.insert('indicator_evidence', { indicator_id: id, title, sort: (j + 1) * 10 }),
    );
  });
  for (const task of t.tasks) {
    // A recurring template task becomes a series starting in its first month; once the team
    // issues it (下发), one instance per period is generated.
    const series = task.recurrence !== 'none';
    const taskId = tx.insert('task', {
      code: task.code,
      title: task.title,
      description: task.description ?? null,
      standard: task.standard,
      lead_dept_id: deptIds.get(task.lead) ?? null,
      due_date: series ? null : dueDateForMonth(periodStart, task.dueMonth),
      status: 'draft',
      priority: task.priority,
      recurrence: task.recurrence,
      progress: 0,
      kind: series ? 'series' : 'task',
      recur_start: series ? dueDateForMonth(periodStart, task.dueMonth).slice(0, 8) + '01' : null,
    });
    for (const c of task.coop) {
      const deptId = deptIds.get(c);
      if (deptId)
        tx.insert('task_department', { task_id: taskId, dept_id: deptId }, stableId(`${taskId}|${deptId}`));
    }
    for (const k of task.indicators) {
      const indId = indIds.get(k);
      if (indId)
        tx.insert('task_indicator', { task_id: taskId, indicator_id: indId }, stableId(`${taskId}|${indId}`));
    }
  }
}
