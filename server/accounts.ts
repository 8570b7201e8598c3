/**
 * Users, access tokens and workspace membership on the server. Tokens are random secrets shown
 * once; only their sha256 is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from '../main/core/util/ids';
import { nowIso, type ServerDb } from './db';

export type Role = 'owner' | 'member';

export interface UserRow {
  id: string;
  name: string;
  created_at: string;
  disabled: number;
}

export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface WorkspaceRow {
  id: string;
  name: string;
  created_at: string;
  created_by: string | null;
}

/** A failure of an account operation with a Chinese message (admin commands print it). */
export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountError';
  }
}

const TOKEN_PREFIX = 'cwb_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function createUser(db: ServerDb, name: string, now = Date.now()): UserRow {
  const clean = name.trim();
  if (!clean) throw new AccountError('用户姓名不能为空，请用 --name 指定，例如 --name 李明。');
  if (clean.length > 100) throw new AccountError('用户姓名过长（最多 100 个字符）。');
  const existing = db.prepare('SELECT id FROM users WHERE name = ?').get(clean) as { id: string } | undefined;
  if (existing) {
    throw new AccountError(
      `已有名为「${clean}」的用户（${existing.id}）。同名的人请加区分，例如「${clean}（发改委）」。`,
    );
  }
  const row: UserRow = { id: uuidv7(now), name: clean, created_at: nowIso(now), disabled: 0 };
  db.prepare('INSERT INTO users (id, name, created_at, disabled) VALUES (?, ?, ?, 0)').run(
    row.id,
    row.name,
    row.created_at,
  );
  return row;
}

/** Finds a user by id or by exact name. */
export function findUser(db: ServerDb, idOrName: string): UserRow {
  const key = idOrName.trim();
  const row = (db.prepare('SELECT * FROM users WHERE id = ?').get(key) ??
    db.prepare('SELECT * FROM users WHERE name = ?').get(key)) as UserRow | undefined;
  if (!row)
    throw new AccountError(`找不到用户「${key}」。可用 admin list 查看已有用户，或先 admin create-user。`);
  return row;
}

export interface IssuedToken {
  id: string;
  token: string;
  userId: string;
  expiresAt: string | null;
}

/** Issues a token for a user; `days` ≤ 0 or undefined-with-null means it never expires. */
export function issueToken(
  db: ServerDb,
  userId: string,
  opts: { name?: string; days?: number | null } = {},
  now = Date.now(),
): IssuedToken {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const id = uuidv7(now);
  const days = opts.days ?? null;
  const expiresAt = days !== null && days > 0 ? nowIso(now + days * 86_400_000) : null;
  db.prepare(
    'INSERT INTO tokens (id, user_id, token_hash, name, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)',
  ).run(id, userId, hashToken(token), opts.name ?? '', nowIso(now), expiresAt);
  return { id, token, userId, expiresAt };
}

/** Revokes a token given either the secret itself or its id; returns the token's id. */
export function revokeToken(db: ServerDb, by: { token?: string; id?: string }, now = Date.now()): string {
  const row = (
    by.token !== undefined
      ? db.prepare('SELECT id, revoked_at FROM tokens WHERE token_hash = ?').get(hashToken(by.token.trim()))
      : db.prepare('SELECT id, revoked_at FROM tokens WHERE id = ?').get((by.id ?? '').trim())
  ) as { id: string; revoked_at: string | null } | undefined;
  if (!row) throw new AccountError('找不到这个访问令牌。可用 admin list 查看令牌编号。');
  if (!row.revoked_at) db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ?').run(nowIso(now), row.id);
  return row.id;
}

export type AuthResult =
  | { ok: true; user: { id: string; name: string } }
  | { ok: false; reason: 'missing' | 'unknown' | 'revoked' | 'expired' | 'disabled' };

/** Resolves a bearer token to its user, checking revocation, expiry and disabled users. */
export function authenticate(db: ServerDb, token: string | null, now = Date.now()): AuthResult {
  if (!token) return { ok: false, reason: 'missing' };
  const row = db
    .prepare(
      `SELECT t.revoked_at, t.expires_at, u.id, u.name, u.disabled
         FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
    )
    .get(hashToken(token)) as
    | { revoked_at: string | null; expires_at: string | null; id: string; name: string; disabled: number }
    | undefined;
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  if (row.expires_at && Date.parse(row.expires_at) <= now) return { ok: false, reason: 'expired' };
  if (row.disabled) return { ok: false, reason: 'disabled' };
  return { ok: true, user: { id: row.id, name: row.name } };
}

export function roleOf(db: ServerDb, workspaceId: string, userId: string): Role | null {
  const row = db
    .prepare('SELECT role FROM members WHERE workspace_id = ? AND user_id = ?')
    .get(workspaceId, userId) as { role: Role } | undefined;
  return row?.role ?? null;
}

export function getWorkspace(db: ServerDb, id: string): WorkspaceRow | null {
  return (db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined) ?? null;
}

export function createWorkspace(
  db: ServerDb,
  ws: { id: string; name: string },
  ownerId: string | null,
  now = Date.now(),
): WorkspaceRow {
  const row: WorkspaceRow = { id: ws.id, name: ws.name, created_at: nowIso(now), created_by: ownerId };
  db.transaction(() => {
    db.prepare('INSERT INTO workspaces (id, name, created_at, created_by) VALUES (?, ?, ?, ?)').run(
      row.id,
      row.name,
      row.created_at,
      row.created_by,
    );
    if (ownerId) {
      db.prepare("INSERT INTO members (workspace_id, user_id, role) VALUES (?, ?, 'owner')").run(
        row.id,
        ownerId,
      );
    }
  })();
  return row;
}

/** Adds (or changes the role of) a member; creates the workspace when it does not exist yet. */
export function addMember(
  db: ServerDb,
  workspaceId: string,
  userId: string,
  role: Role,
  now = Date.now(),
): { createdWorkspace: boolean } {
  return db.transaction(() => {
    let created = false;
    if (!getWorkspace(db, workspaceId)) {
      createWorkspace(db, { id: workspaceId, name: workspaceId }, null, now);
      created = true;
    }
    db.prepare(
      `INSERT INTO members (workspace_id, user_id, role) VALUES (?, ?, ?)
       ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`,
    ).run(workspaceId, userId, role);
    return { createdWorkspace: created };
  })();
}

export function workspacesOf(db: ServerDb, userId: string): { id: string; name: string; role: Role }[] {
  return db
    .prepare(
      `SELECT w.id, w.name, m.role FROM members m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = ? ORDER BY w.created_at, w.id`,
    )
    .all(userId) as { id: string; name: string; role: Role }[];
}
