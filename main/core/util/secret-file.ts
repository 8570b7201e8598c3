/**
 * A small secret store in one file (the sync access token, keyed per server/workspace): a JSON
 * map of key → encoded value, readable only by the user (mode 0600), replaced atomically (a
 * temporary file with mode 0600 in the same folder, fsync, rename), so a crash never leaves half
 * a file and the secret is never readable by others, not even for a moment.
 *
 * `codec` turns a secret into what is stored and back: the web host and the CLI store it as is
 * (the file permissions protect it); Electron passes safeStorage (the OS keychain encrypts it).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from './errors';

export interface SecretStore {
  get(key: string): Promise<string | null>;
  /** `null` removes the key (the file goes away with the last key). */
  set(key: string, value: string | null): Promise<void>;
}

export interface SecretCodec {
  encode(value: string): string;
  decode(stored: string): string;
}

const PLAIN: SecretCodec = { encode: (v) => v, decode: (s) => s };

function readMap(file: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new AppError('IO_ERROR', `无法读取登录信息文件：${file}（${(e as Error).message}）`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
    return out;
  } catch {
    // A damaged file holds nothing usable: the user signs in again, which rewrites it.
    return {};
  }
}

function writeMap(file: string, map: Record<string, string>): void {
  if (Object.keys(map).length === 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(map));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    // openSync's mode is masked by the umask; make sure nobody else can read it.
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** A secret store in `file` (created on the first `set`, mode 0600). */
export function fileSecretStore(file: string, codec: SecretCodec = PLAIN): SecretStore {
  return {
    get(key) {
      try {
        const stored = readMap(file)[key];
        return Promise.resolve(stored === undefined ? null : codec.decode(stored));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    set(key, value) {
      try {
        const map = readMap(file);
        if (value === null) delete map[key];
        else map[key] = codec.encode(value);
        writeMap(file, map);
        return Promise.resolve();
      } catch (e) {
        if (e instanceof AppError) return Promise.reject(e);
        return Promise.reject(
          new AppError('IO_ERROR', `无法保存登录信息：${file}（${(e as Error).message}）`),
        );
      }
    },
  };
}
