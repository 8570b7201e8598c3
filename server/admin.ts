/**
 * Administrator commands on the server's data folder (safe while the server runs: SQLite WAL):
 *   admin create-user --name 李明
 *   admin issue-token --user <id|name> [--name 笔记本] [--days 365]   (0 = never expires)
 *   admin revoke-token --token <token> | --id <tokenId>
 *   admin add-member --user <id|name> --workspace <id> [--role owner|member]
 *   admin list [--json]
 * Exit codes: 0 ok, 1 failure, 2 usage.
 */
import {
  AccountError,
  addMember,
  createUser,
  findUser,
  issueToken,
  revokeToken,
  type Role,
} from './accounts';
import { openServerDb, type ServerDb } from './db';

export interface AdminIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const ADMIN_USAGE = `用法: npm run server -- admin <命令> --data <数据文件夹> [选项]

命令:
  create-user --name <姓名>                         新建用户，输出用户编号
  issue-token --user <编号|姓名> [--name <设备名>] [--days <天数>]
                                                    签发访问令牌（只显示这一次；默认 365 天有效，0 为永久）
  revoke-token --token <令牌> | --id <令牌编号>      吊销令牌
  add-member --user <编号|姓名> --workspace <工作区编号> [--role owner|member]
                                                    把用户加入工作区（工作区尚未登记时先占位）
  list [--json]                                     列出用户、令牌（不含密钥）、工作区和成员

数据文件夹也可用环境变量 CWB_SERVER_DATA 指定。`;

class UsageError extends Error {}

/** Parses `--key value` pairs (and bare `--flag`). */
export function parseFlags(args: readonly string[]): { flags: Map<string, string | true>; rest: string[] } {
  const flags = new Map<string, string | true>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags.set(a.slice(2, eq), a.slice(eq + 1));
        continue;
      }
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        flags.set(a.slice(2), next);
        i++;
      } else flags.set(a.slice(2), true);
    } else rest.push(a);
  }
  return { flags, rest };
}

function str(flags: Map<string, string | true>, key: string, required: true): string;
function str(flags: Map<string, string | true>, key: string, required?: false): string | undefined;
function str(flags: Map<string, string | true>, key: string, required = false): string | undefined {
  const v = flags.get(key);
  if (v === true || (v !== undefined && v.trim() === '')) throw new UsageError(`选项 --${key} 需要一个值。`);
  if (v === undefined && required) throw new UsageError(`缺少选项 --${key}。`);
  return v;
}

function listAll(db: ServerDb, io: AdminIo, asJson: boolean): void {
  const users = db.prepare('SELECT id, name, created_at, disabled FROM users ORDER BY created_at').all() as {
    id: string;
    name: string;
    created_at: string;
    disabled: number;
  }[];
  const tokens = db
    .prepare(
      `SELECT t.id, t.user_id, u.name AS user_name, t.name, t.created_at, t.expires_at, t.revoked_at
         FROM tokens t JOIN users u ON u.id = t.user_id ORDER BY t.created_at`,
    )
    .all() as {
    id: string;
    user_id: string;
    user_name: string;
    name: string;
    created_at: string;
    expires_at: string | null;
    revoked_at: string | null;
  }[];
  const workspaces = db
    .prepare('SELECT id, name, created_at, created_by FROM workspaces ORDER BY created_at')
    .all() as {
    id: string;
    name: string;
    created_at: string;
    created_by: string | null;
  }[];
  const members = db
    .prepare(
      `SELECT m.workspace_id, m.user_id, u.name AS user_name, m.role FROM members m
         JOIN users u ON u.id = m.user_id ORDER BY m.workspace_id, m.role DESC, u.name`,
    )
    .all() as { workspace_id: string; user_id: string; user_name: string; role: Role }[];
  if (asJson) {
    io.out(JSON.stringify({ users, tokens, workspaces, members }, null, 2));
    return;
  }
  io.out(`用户（${users.length}）`);
  for (const u of users)
    io.out(`  ${u.id}  ${u.name}${u.disabled ? '（已停用）' : ''}  创建于 ${u.created_at}`);
  io.out(`令牌（${tokens.length}）`);
  for (const t of tokens) {
    const state = t.revoked_at
      ? `已吊销 ${t.revoked_at}`
      : t.expires_at
        ? `有效至 ${t.expires_at}`
        : '永久有效';
    io.out(`  ${t.id}  ${t.user_name}  ${t.name || '（未命名）'}  ${state}`);
  }
  io.out(`工作区（${workspaces.length}）`);
  for (const w of workspaces) {
    io.out(`  ${w.id}  ${w.name}`);
    for (const m of members.filter((x) => x.workspace_id === w.id)) {
      io.out(`      ${m.role === 'owner' ? '负责人' : '成员'}  ${m.user_name}（${m.user_id}）`);
    }
  }
}

/** Runs one admin command; returns the exit code. */
export function runAdmin(args: readonly string[], io: AdminIo, env: NodeJS.ProcessEnv = process.env): number {
  const [command, ...restArgs] = args;
  if (!command || command === '--help' || command === 'help') {
    io.out(ADMIN_USAGE);
    return command ? 0 : 2;
  }
  let db: ServerDb | null = null;
  try {
    const { flags } = parseFlags(restArgs);
    const dataDir = (str(flags, 'data') ?? env.CWB_SERVER_DATA)?.trim();
    if (!dataDir)
      throw new UsageError('缺少数据文件夹：请加 --data <文件夹>（或设置环境变量 CWB_SERVER_DATA）。');
    const known = ['create-user', 'issue-token', 'revoke-token', 'add-member', 'list'];
    if (!known.includes(command)) throw new UsageError(`未知的管理命令「${command}」。`);
    db = openServerDb(dataDir);
    switch (command) {
      case 'create-user': {
        const user = createUser(db, str(flags, 'name', true));
        io.out(user.id);
        io.err(`已创建用户「${user.name}」。下一步：admin issue-token --user ${user.name}`);
        return 0;
      }
      case 'issue-token': {
        const user = findUser(db, str(flags, 'user', true));
        const daysRaw = str(flags, 'days');
        const days = daysRaw === undefined ? 365 : Number(daysRaw);
        if (!Number.isInteger(days) || days < 0)
          throw new UsageError('--days 应为不小于 0 的整数（0 表示永久有效）。');
        const t = issueToken(db, user.id, { name: str(flags, 'name') ?? '', days });
        io.out(t.token);
        io.err(
          `已为「${user.name}」签发令牌（编号 ${t.id}，${t.expiresAt ? `有效至 ${t.expiresAt}` : '永久有效'}）。` +
            '令牌只显示这一次，请交给本人填入工作台“设置 → 同步”。',
        );
        return 0;
      }
      case 'revoke-token': {
        const token = str(flags, 'token');
        const id = str(flags, 'id');
        if ((token === undefined) === (id === undefined))
          throw new UsageError('请用 --token <令牌> 或 --id <令牌编号> 指定要吊销的令牌（二选一）。');
        const revoked = revokeToken(db, token !== undefined ? { token } : { id: id as string });
        io.out(revoked);
        io.err(`已吊销令牌 ${revoked}。使用它的电脑将无法同步，直到重新登录。`);
        return 0;
      }
      case 'add-member': {
        const user = findUser(db, str(flags, 'user', true));
        const workspace = str(flags, 'workspace', true).trim();
        if (workspace.length > 64) throw new UsageError('工作区编号过长（最多 64 个字符）。');
        const role = (str(flags, 'role') ?? 'member') as Role;
        if (role !== 'owner' && role !== 'member') throw new UsageError('--role 只能是 owner 或 member。');
        const r = addMember(db, workspace, user.id, role);
        io.out(`${workspace} ${user.id} ${role}`);
        io.err(
          `已把「${user.name}」以${role === 'owner' ? '负责人' : '成员'}身份加入工作区 ${workspace}` +
            (r.createdWorkspace ? '（该工作区尚未登记，已先占位；首次同步时会填上名称）。' : '。'),
        );
        return 0;
      }
      case 'list':
        listAll(db, io, flags.get('json') === true);
        return 0;
    }
    return 2;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\n${ADMIN_USAGE}`);
      return 2;
    }
    if (e instanceof AccountError) {
      io.err(e.message);
      return 1;
    }
    io.err(`操作失败：${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    db?.close();
  }
}
