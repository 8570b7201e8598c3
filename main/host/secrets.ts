/**
 * The web host's secret store (the sync access token): `sync-secrets.json` in the data folder,
 * readable only by the user (mode 0600), replaced atomically — the same file the command line
 * reads for this data folder. The browser page never sees the token; only the core reads it.
 */
import path from 'node:path';
import { SECRETS_FILE } from '../core/sync/secrets';
import { fileSecretStore, type SecretStore } from '../core/util/secret-file';

export const HOST_SECRETS_FILE = SECRETS_FILE;

export function hostSecretStore(dataDir: string): SecretStore {
  return fileSecretStore(path.join(dataDir, HOST_SECRETS_FILE));
}
