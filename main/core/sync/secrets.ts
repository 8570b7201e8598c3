/**
 * Where the sync token is kept: the host's secret store (Electron safeStorage, the web host's
 * file) when given, otherwise a JSON file in the data folder readable only by the user (0600).
 */
import path from 'node:path';
import type { PlatformServices } from '../core';
import { fileSecretStore as secretFile } from '../util/secret-file';

export type SecretStore = NonNullable<PlatformServices['secrets']>;

export const SECRETS_FILE = 'sync-secrets.json';

/** The fallback store: `sync-secrets.json` in the data folder (0600, replaced atomically). */
export function fileSecretStore(dataDir: string): SecretStore {
  return secretFile(path.join(dataDir, SECRETS_FILE));
}

export function tokenKey(workspaceId: string): string {
  return `sync-token:${workspaceId}`;
}
