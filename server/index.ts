/**
 * Entry point: `npm run server -- [--port 8787] [--host 127.0.0.1] [--data ./server-data]
 * [--max-blob-mb 200] [--rate-limit 1200] [--clock-offset-ms 0] [--quiet]`,
 * `npm run server -- admin <command> …`, `npm run server -- openapi` (prints the OpenAPI document).
 * Environment: CWB_SERVER_PORT, CWB_SERVER_HOST, CWB_SERVER_DATA, CWB_SERVER_MAX_BLOB_MB,
 * CWB_SERVER_RATE_LIMIT, CWB_SERVER_CLOCK_OFFSET_MS. On start it prints one JSON line
 * {"event":"listening","port":…,"url":…}.
 *
 * `--clock-offset-ms` is for tests and benchmarks only: the server's clock (the "far in the
 * future" check of pushed stamps, the time in /v1/health, received_at) runs that many ms ahead
 * (or behind, when negative) of the machine's, e.g. to sync a workspace written with a simulated
 * campaign clock. Never set it on a real server.
 */
import path from 'node:path';
import { DEFAULT_MAX_BLOB_BYTES } from '../main/core/sync/protocol';
import { runAdmin, parseFlags } from './admin';
import { createServer, DEFAULT_RATE_LIMIT, serverVersion } from './app';
import { buildOpenApi } from './openapi';

const USAGE = `用法:
  npm run server -- [--port 8787] [--host 127.0.0.1] [--data ./server-data] [--max-blob-mb 200] [--rate-limit 1200] [--quiet]
                    [--clock-offset-ms 0]   （仅供测试和基准：服务器时钟相对本机时间的偏移，毫秒）
  npm run server -- admin <命令> --data <数据文件夹> …   （admin --help 查看管理命令）
  npm run server -- openapi > server/openapi.json        （重新生成接口文档）`;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function num(
  value: string | true | undefined,
  env: string | undefined,
  name: string,
  fallback: number,
): number {
  const raw = value === true ? '' : (value ?? env);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 0)
    fail(`${name} 应为不小于 0 的整数（收到「${raw}」）。\n\n${USAGE}`, 2);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === 'admin') {
    process.exitCode = runAdmin(rest, {
      out: (l) => process.stdout.write(`${l}\n`),
      err: (l) => process.stderr.write(`${l}\n`),
    });
    return;
  }
  if (first === 'openapi') {
    process.stdout.write(`${JSON.stringify(buildOpenApi(serverVersion()), null, 2)}\n`);
    return;
  }
  if (first === '--help' || first === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { flags, rest: positional } = parseFlags(argv);
  if (positional.length) fail(`无法识别的参数：${positional.join(' ')}\n\n${USAGE}`, 2);
  const known = new Set(['port', 'host', 'data', 'max-blob-mb', 'rate-limit', 'clock-offset-ms', 'quiet']);
  for (const k of flags.keys()) if (!known.has(k)) fail(`未知选项 --${k}\n\n${USAGE}`, 2);
  const env = process.env;
  const port = num(flags.get('port'), env.CWB_SERVER_PORT, '--port', 8787);
  const hostFlag = flags.get('host');
  const host = (typeof hostFlag === 'string' ? hostFlag : env.CWB_SERVER_HOST) || '127.0.0.1';
  const dataFlag = flags.get('data');
  const dataDir = path.resolve(
    (typeof dataFlag === 'string' ? dataFlag : env.CWB_SERVER_DATA) || './server-data',
  );
  const maxBlobMb = num(
    flags.get('max-blob-mb'),
    env.CWB_SERVER_MAX_BLOB_MB,
    '--max-blob-mb',
    DEFAULT_MAX_BLOB_BYTES / 1024 / 1024,
  );
  const rate = num(
    flags.get('rate-limit'),
    env.CWB_SERVER_RATE_LIMIT,
    '--rate-limit',
    DEFAULT_RATE_LIMIT.max,
  );
  const offsetFlag = flags.get('clock-offset-ms');
  const offsetRaw = offsetFlag === true ? '' : (offsetFlag ?? env.CWB_SERVER_CLOCK_OFFSET_MS ?? '0');
  const clockOffset = Number(offsetRaw);
  if (offsetRaw.trim() === '' || !Number.isSafeInteger(clockOffset))
    fail(`--clock-offset-ms 应为整数毫秒（收到「${offsetRaw}」）。\n\n${USAGE}`, 2);

  let server: Awaited<ReturnType<typeof createServer>>;
  try {
    server = await createServer({
      dataDir,
      maxBlobBytes: maxBlobMb * 1024 * 1024,
      rateLimit: rate === 0 ? false : { max: rate, timeWindowMs: DEFAULT_RATE_LIMIT.timeWindowMs },
      logger: flags.get('quiet') === true ? false : { level: 'info' },
      now: clockOffset === 0 ? undefined : () => Date.now() + clockOffset,
    });
  } catch (e) {
    fail(`无法打开数据文件夹「${dataDir}」：${e instanceof Error ? e.message : String(e)}`, 1);
  }
  let address: { port: number; url: string };
  try {
    address = await server.listen(port, host);
  } catch (e) {
    await server.close();
    const msg = e instanceof Error ? e.message : String(e);
    fail(`无法在 ${host}:${port} 上启动服务器（${msg}）。端口可能已被占用，请换一个 --port。`, 1);
  }
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', port: address.port, url: address.url, data: dataDir })}\n`,
  );

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    server
      .close()
      .then(() => {
        process.stdout.write(`${JSON.stringify({ event: 'closed', signal })}\n`);
        process.exit(0);
      })
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  fail(`服务器启动失败：${e instanceof Error ? e.message : String(e)}`, 1);
});
