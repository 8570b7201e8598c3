/** Handlers of sync with the central platform (the engine is main/core/sync/). */
import type { CoreContext } from './core';
import type { Handlers } from './handlers';
import { SyncEngine } from './sync/engine';

type SyncCommand =
  'sync.status' | 'sync.configure' | 'sync.logout' | 'sync.now' | 'sync.cancel' | 'sync.conflicts';

export function buildSyncHandlers(ctx: CoreContext): Pick<Handlers, SyncCommand> {
  const engine = new SyncEngine(ctx);
  ctx.fetchBlob = (ws, sha) => engine.fetchBlob(ws, sha);
  return {
    'sync.status': () => engine.status(ctx.requireWs()),
    'sync.configure': (input) => engine.configure(ctx.requireWs(), input.serverUrl, input.token),
    'sync.logout': () => engine.logout(ctx.requireWs()),
    'sync.now': (input) => engine.run(ctx.requireWs(), { allowMassDelete: input.allowMassDelete }),
    'sync.cancel': () => ({ cancelled: engine.cancel() }),
    'sync.conflicts': (input) => engine.conflicts(ctx.requireWs(), input.limit),
  };
}
