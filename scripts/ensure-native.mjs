#!/usr/bin/env node
// Keeps better-sqlite3 usable from both runtimes without manual steps.
//
//   node scripts/ensure-native.mjs node       Node's build in node_modules (tests, CLI, web host)
//   node scripts/ensure-native.mjs electron   Electron's build in .native/electron-<ver>-<platform>-<arch>/
//   node scripts/ensure-native.mjs dist       Electron builds for every packaging target
//
// The two builds never overwrite each other: node_modules/better-sqlite3 always holds the
// Node ABI build, and the Electron shell loads its own copy through better-sqlite3's
// `nativeBinding` option (see main/electron/native.ts). So `npm start` and `npm test` work in
// either order.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const pkgDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const mode = process.argv[2] ?? 'node';

function log(msg) {
  process.stdout.write(`[native] ${msg}\n`);
}

function run(cmd, args, cwd) {
  const bin = process.platform === 'win32' && !cmd.endsWith('.exe') ? `${cmd}.cmd` : cmd;
  execFileSync(bin, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
}

function nodeBuildWorks() {
  try {
    const out = execFileSync(
      process.execPath,
      ['-e', "const D=require('better-sqlite3');new D(':memory:').prepare('select 1').get();"],
      { cwd: root, stdio: 'pipe' },
    );
    return out !== undefined;
  } catch {
    return false;
  }
}

function ensureNode() {
  if (nodeBuildWorks()) {
    log(`better-sqlite3 is ready for Node ${process.versions.node} (ABI ${process.versions.modules}).`);
    return;
  }
  log('better-sqlite3 has no working Node build; building it (prebuilt download or compile) …');
  run('npm', ['rebuild', 'better-sqlite3'], root);
  if (!nodeBuildWorks()) {
    log('better-sqlite3 still fails to load in Node. Check python3, make and a C++ compiler.');
    process.exit(1);
  }
}

function electronVersion() {
  return require('electron/package.json').version;
}

export function electronNativeDir(version, platform, arch) {
  return path.join(root, '.native', `electron-${version}-${platform}-${arch}`);
}

function buildForElectron(version, platform, arch) {
  const outDir = electronNativeDir(version, platform, arch);
  const target = path.join(outDir, 'better_sqlite3.node');
  if (fs.existsSync(target)) {
    log(`Electron ${version} build present: ${path.relative(root, target)}`);
    return;
  }
  log(`building better-sqlite3 for Electron ${version} (${platform}-${arch}) …`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-native-'));
  try {
    fs.cpSync(pkgDir, work, {
      recursive: true,
      filter: (src) => {
        const rel = path.relative(pkgDir, src);
        return rel !== 'build' && !rel.startsWith(`build${path.sep}`);
      },
    });
    const env = ['--runtime=electron', `--target=${version}`, `--arch=${arch}`, `--platform=${platform}`];
    let ok = false;
    try {
      run(process.execPath, [require.resolve('prebuild-install/bin.js'), ...env], work);
      ok = true;
    } catch {
      log('no prebuilt binary downloaded; compiling from source with node-gyp …');
    }
    if (!ok) {
      if (platform !== process.platform) {
        throw new Error(
          `cannot compile for ${platform} on ${process.platform}; a prebuilt binary is required`,
        );
      }
      const gypArgs = [
        'rebuild',
        '--release',
        `--target=${version}`,
        `--arch=${arch}`,
        '--dist-url=https://electronjs.org/headers',
      ];
      let gyp = null;
      try {
        gyp = require.resolve('node-gyp/bin/node-gyp.js');
      } catch {
        gyp = null;
      }
      if (gyp) run(process.execPath, [gyp, ...gypArgs], work);
      else run('npx', ['--yes', 'node-gyp', ...gypArgs], work);
    }
    fs.mkdirSync(outDir, { recursive: true });
    fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
    log(`saved ${path.relative(root, target)}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function electronBinaryPresent() {
  try {
    const exe = require('electron');
    return typeof exe === 'string' && fs.existsSync(exe);
  } catch {
    return false;
  }
}

try {
  if (mode === 'node') {
    ensureNode();
  } else if (mode === 'electron') {
    if (!electronBinaryPresent()) {
      log('Electron 可执行文件未安装（可能设置了 ELECTRON_SKIP_BINARY_DOWNLOAD）。');
      log('请在联网环境重新执行 npm install，或使用 npm run start:web 在浏览器中运行。');
      process.exit(1);
    }
    buildForElectron(electronVersion(), process.platform, process.arch);
  } else if (mode === 'dist') {
    const targets = (process.argv[3] ?? 'linux-x64,linux-arm64,win32-x64').split(',');
    for (const t of targets) {
      const [platform, arch] = t.split('-');
      buildForElectron(electronVersion(), platform, arch);
    }
  } else {
    log(`unknown mode "${mode}" (use node | electron | dist)`);
    process.exit(2);
  }
} catch (err) {
  log(`failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
