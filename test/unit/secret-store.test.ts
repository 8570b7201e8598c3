/**
 * The token store of the web host (and the file store under Electron's safeStorage codec): a file
 * only the user can read (0600, also under a permissive umask), round trip, several keys,
 * removal (the file goes with the last key), atomic replacement, a codec that refuses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_SECRETS_FILE, hostSecretStore } from '../../main/host/secrets';
import { fileSecretStore } from '../../main/core/util/secret-file';
import { AppError } from '../../main/core/util/errors';
import { tempDir } from '../helpers/core';

const TOKEN = 'cwb_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const posix = process.platform !== 'win32';

describe('web host secret store', () => {
  it('keeps a token in a 0600 file in the data folder and reads it back', async () => {
    const dir = tempDir('cwb-secrets-');
    const store = hostSecretStore(dir);
    expect(await store.get('sync.token')).toBeNull();
    const oldMask = process.umask(0o022); // a typical umask would make new files world-readable
    try {
      await store.set('sync.token', TOKEN);
    } finally {
      process.umask(oldMask);
    }
    const file = path.join(dir, HOST_SECRETS_FILE);
    if (posix) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('sync.token')).toBe(TOKEN);
    // a second store on the same folder (the host restarted) reads the same token
    expect(await hostSecretStore(dir).get('sync.token')).toBe(TOKEN);
    // no temporary files are left beside it
    expect(fs.readdirSync(dir)).toEqual([HOST_SECRETS_FILE]);
  });

  it('keeps several keys apart, replaces a value, and removes the file with the last key', async () => {
    const dir = tempDir('cwb-secrets-');
    const store = hostSecretStore(dir);
    await store.set('a', 'first-token-aaaa');
    await store.set('b', 'second-token-bbbb');
    await store.set('a', 'first-token-replaced');
    expect(await store.get('a')).toBe('first-token-replaced');
    expect(await store.get('b')).toBe('second-token-bbbb');
    if (posix) expect(fs.statSync(path.join(dir, HOST_SECRETS_FILE)).mode & 0o777).toBe(0o600);

    await store.set('a', null);
    expect(await store.get('a')).toBeNull();
    expect(await store.get('b')).toBe('second-token-bbbb');
    await store.set('b', null);
    expect(await store.get('b')).toBeNull();
    expect(fs.existsSync(path.join(dir, HOST_SECRETS_FILE))).toBe(false);
    await store.set('b', null); // removing what is not there is fine
  });

  it('tightens a file someone left readable when it writes next', async () => {
    if (!posix) return;
    const dir = tempDir('cwb-secrets-');
    const file = path.join(dir, HOST_SECRETS_FILE);
    fs.writeFileSync(file, JSON.stringify({ old: 'x' }), { mode: 0o644 });
    await hostSecretStore(dir).set('sync.token', TOKEN);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ old: 'x', 'sync.token': TOKEN });
  });

  it('treats a damaged file as empty (sign in again rewrites it)', async () => {
    const dir = tempDir('cwb-secrets-');
    fs.writeFileSync(path.join(dir, HOST_SECRETS_FILE), '{not json');
    const store = hostSecretStore(dir);
    expect(await store.get('sync.token')).toBeNull();
    await store.set('sync.token', TOKEN);
    expect(await store.get('sync.token')).toBe(TOKEN);
  });

  it('stores what the codec makes of it, and a codec that refuses stores nothing', async () => {
    const dir = tempDir('cwb-secrets-');
    const file = path.join(dir, 'enc.json');
    const rot = (s: string) => Buffer.from(s).toString('base64');
    const store = fileSecretStore(file, {
      encode: rot,
      decode: (s) => Buffer.from(s, 'base64').toString(),
    });
    await store.set('k', TOKEN);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(TOKEN);
    expect(await store.get('k')).toBe(TOKEN);

    const refusing = fileSecretStore(path.join(dir, 'refused.json'), {
      encode: () => {
        throw new AppError('UNSUPPORTED', '本机没有可用的系统密钥库');
      },
      decode: (s) => s,
    });
    await expect(refusing.set('k', TOKEN)).rejects.toThrow('本机没有可用的系统密钥库');
    expect(fs.existsSync(path.join(dir, 'refused.json'))).toBe(false);
  });
});
