import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { Health, Me, paths } from '../../main/core/sync/protocol';
import { runAdmin } from '../../server/admin';
import { REPO_ROOT, tempDir } from '../helpers/core';
import { startServer } from './helpers';

function admin(args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runAdmin(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, {});
  return { code, out, err };
}

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const ENTRY = path.join(REPO_ROOT, 'server', 'index.ts');

describe('sync server: admin commands', () => {
  it('create a user, issue a token that works against the API, add to a workspace, revoke → 401', async () => {
    const data = tempDir('cwb-admin-');
    const created = admin(['create-user', '--name', '李明', '--data', data]);
    expect(created.code).toBe(0);
    const userId = created.out[0] ?? '';
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(admin(['create-user', '--name', '李明', '--data', data])).toMatchObject({ code: 1 });

    const issued = admin([
      'issue-token',
      '--user',
      '李明',
      '--name',
      '笔记本',
      '--days',
      '30',
      '--data',
      data,
    ]);
    expect(issued.code).toBe(0);
    const token = issued.out[0] ?? '';
    expect(token).toMatch(/^cwb_[\w-]{40,}$/);
    expect(issued.err.join('')).toMatch(/只显示这一次/);
    const second = admin(['issue-token', '--user', userId, '--data', data]).out[0] ?? '';

    const added = admin([
      'add-member',
      '--user',
      '李明',
      '--workspace',
      'ws-qh',
      '--role',
      'owner',
      '--data',
      data,
    ]);
    expect(added.code).toBe(0);

    const t = await startServer({ dataDir: data });
    const me = await t.request({ method: 'GET', url: paths.me, token });
    expect(me.status).toBe(200);
    expect(Me.parse(me.json())).toEqual({
      user: { id: userId, name: '李明' },
      workspaces: [{ id: 'ws-qh', name: 'ws-qh', role: 'owner' }],
    });
    // The owner's first registration fills in the placeholder name.
    const reg = await t.request({
      method: 'POST',
      url: paths.workspaces,
      token,
      json: { id: 'ws-qh', name: '琼海创建' },
    });
    expect(reg.json()).toEqual({ id: 'ws-qh', name: '琼海创建', role: 'owner' });

    // The database keeps only hashes: the token text is nowhere in it; list shows no secrets.
    const listed = admin(['list', '--data', data]);
    expect(listed.code).toBe(0);
    const text = listed.out.join('\n');
    expect(text).toContain('李明');
    expect(text).toContain('笔记本');
    expect(text).toContain('琼海创建');
    expect(text).not.toContain(token);
    const json = admin(['list', '--json', '--data', data]);
    expect(json.out.join('')).not.toContain(token.slice(4));
    const rows = t.server.db.prepare('SELECT token_hash FROM tokens').all() as { token_hash: string }[];
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash) && r.token_hash !== token)).toBe(true);

    // Revoke by the token itself: 401 from now on; the other token still works. Then by id.
    expect(admin(['revoke-token', '--token', token, '--data', data]).code).toBe(0);
    expect((await t.request({ method: 'GET', url: paths.me, token })).status).toBe(401);
    expect((await t.request({ method: 'GET', url: paths.me, token: second })).status).toBe(200);
    const list2 = JSON.parse(admin(['list', '--json', '--data', data]).out.join('')) as {
      tokens: { id: string; revoked_at: string | null }[];
    };
    const secondId = list2.tokens.find((x) => !x.revoked_at)?.id ?? '';
    expect(admin(['revoke-token', '--id', secondId, '--data', data]).code).toBe(0);
    expect((await t.request({ method: 'GET', url: paths.me, token: second })).status).toBe(401);
  });

  it('usage errors exit 2, failures exit 1, each with a Chinese message', () => {
    const data = tempDir('cwb-admin-');
    expect(admin([]).code).toBe(2);
    const noData = admin(['create-user', '--name', '李明']);
    expect(noData.code).toBe(2);
    expect(noData.err.join('')).toContain('--data');
    expect(admin(['frobnicate', '--data', data]).code).toBe(2);
    const noName = admin(['create-user', '--data', data]);
    expect(noName.code).toBe(2);
    expect(noName.err.join('')).toContain('缺少选项 --name');
    const unknownUser = admin(['issue-token', '--user', '无此人', '--data', data]);
    expect(unknownUser.code).toBe(1);
    expect(unknownUser.err.join('')).toContain('找不到用户「无此人」');
    expect(admin(['issue-token', '--user', '无此人', '--days', '-3', '--data', data]).code).toBe(1);
    admin(['create-user', '--name', '王芳', '--data', data]);
    expect(admin(['issue-token', '--user', '王芳', '--days', 'abc', '--data', data]).code).toBe(2);
    expect(
      admin(['add-member', '--user', '王芳', '--workspace', 'w', '--role', 'boss', '--data', data]).code,
    ).toBe(2);
    expect(admin(['revoke-token', '--data', data]).code).toBe(2);
    const unknownToken = admin(['revoke-token', '--token', 'cwb_nope', '--data', data]);
    expect(unknownToken.code).toBe(1);
    expect(unknownToken.err.join('')).toContain('找不到这个访问令牌');
  });
});

describe('sync server: the real process', () => {
  it('starts with --port 0, prints the chosen port as a JSON line, answers health, admin works, SIGTERM stops it', async () => {
    const data = tempDir('cwb-proc-');
    const mk = spawnSync(TSX, [ENTRY, 'admin', 'create-user', '--name', '李明', '--data', data], {
      encoding: 'utf8',
    });
    expect(mk.status).toBe(0);
    const tok = spawnSync(TSX, [ENTRY, 'admin', 'issue-token', '--user', '李明', '--data', data], {
      encoding: 'utf8',
    });
    expect(tok.status).toBe(0);
    const token = tok.stdout.trim();
    const bad = spawnSync(TSX, [ENTRY, 'admin', 'issue-token', '--data', data], { encoding: 'utf8' });
    expect(bad.status).toBe(2);

    const child: ChildProcess = spawn(TSX, [ENTRY, '--port', '0', '--data', data], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CWB_SERVER_PORT: '' },
    });
    try {
      const lines: Record<string, unknown>[] = [];
      const listening = await new Promise<{ port: number; url: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('server did not start')), 20_000);
        child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          lines.push(parsed);
          if (parsed.event === 'listening') {
            clearTimeout(timer);
            resolve(parsed as unknown as { port: number; url: string });
          }
        });
      });
      expect(listening.port).toBeGreaterThan(0);
      const h = Health.parse(await (await fetch(`${listening.url}${paths.health}`)).json());
      expect(h.ok).toBe(true);
      const me = await fetch(`${listening.url}${paths.me}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.status).toBe(200);
      const un = await fetch(`${listening.url}${paths.me}`);
      expect(un.status).toBe(401);
      // Structured logs: JSON lines with the request, never the token.
      await new Promise((r) => setTimeout(r, 200));
      expect(lines.some((l) => typeof l.msg === 'string' && l.level !== undefined)).toBe(true);
      expect(JSON.stringify(lines)).not.toContain(token);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
