/**
 * The desktop app's secret store (the sync access token): encrypted with Electron safeStorage
 * (Windows DPAPI, macOS Keychain, Linux libsecret/KWallet) into a file in userData (mode 0600).
 * Where the system offers no real encryption (safeStorage unavailable, or Linux's 'basic_text'
 * fallback with a fixed key), the token is refused with a message instead of stored readable.
 */
import path from 'node:path';
import { safeStorage } from 'electron';
import { AppError } from '../core/util/errors';
import { fileSecretStore, type SecretStore } from '../core/util/secret-file';

const NO_KEYCHAIN =
  '本机没有可用的系统密钥库（如 Windows 凭据保护、macOS 钥匙串、Linux 的 GNOME Keyring / KWallet），' +
  '无法安全保存访问令牌，因此没有保存。请启用或解锁系统密钥库后重新登录；也可以改用网页版（npm run start:web）。';

function requireEncryption(): void {
  const basicText = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || basicText) throw new AppError('UNSUPPORTED', NO_KEYCHAIN);
}

export function electronSecretStore(userDataDir: string): SecretStore {
  return fileSecretStore(path.join(userDataDir, 'sync-secrets.json'), {
    encode(value) {
      requireEncryption();
      return safeStorage.encryptString(value).toString('base64');
    },
    decode(stored) {
      requireEncryption();
      try {
        return safeStorage.decryptString(Buffer.from(stored, 'base64'));
      } catch {
        throw new AppError(
          'UNAUTHORIZED',
          '保存的访问令牌无法解密（系统密钥库已更换），请在「同步」页重新登录。',
        );
      }
    },
  });
}
