#!/usr/bin/env node
/** `npm run start:web` / `node out/main/host.js [--port N] [--data-dir DIR]`: the app in a browser. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../core/app/paths';
import { startHost } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      '用法：node out/main/host.js [--port 端口] [--data-dir 数据文件夹] [--renderer-dir 界面文件夹]\n' +
        '在本机 127.0.0.1 上启动网页版工作台，并打印带访问令牌的地址。\n',
    );
    return;
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const rendererDir = values['renderer-dir'] ?? path.resolve(here, '../renderer');
  const dataDir = resolveDataDir(values['data-dir']);
  const port = values.port ? Number(values.port) : Number(process.env.CWB_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`错误：端口「${values.port}」无效。\n`);
    process.exitCode = 2;
    return;
  }
  // sync with the central platform on its own when signed in (the tests' hosts leave it off)
  const host = await startHost({ dataDir, rendererDir, port, autoSync: true });
  process.stdout.write(
    `信用创建工作台（网页版）已启动\n数据文件夹：${dataDir}\n请在浏览器中打开：${host.openUrl}\n按 Ctrl+C 退出。\n`,
  );
  const stop = () => {
    void host.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`错误：${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
