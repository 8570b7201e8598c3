/** Handlers of sync with the central platform (the engine is main/core/sync/). */
import type { CoreContext } from './core';
import type { Handlers } from './handlers';
import { AppError } from './util/errors';

type SyncCommand = 'sync.status' | 'sync.configure' | 'sync.logout' | 'sync.now' | 'sync.conflicts';

const TODO = (): never => {
  throw new AppError('UNSUPPORTED', '同步功能尚未完成。');
};

export function buildSyncHandlers(_ctx: CoreContext): Pick<Handlers, SyncCommand> {
  return {
    'sync.status': () => TODO(),
    'sync.configure': () => TODO(),
    'sync.logout': () => TODO(),
    'sync.now': () => TODO(),
    'sync.conflicts': () => TODO(),
  };
}
