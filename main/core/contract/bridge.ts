import type { CommandName, EventName, EventPayload, Input, Output } from './index';
import type { Result } from './errors';

/** The one object the renderer talks to: `window.app` (preload in Electron, HTTP bridge in the web host). */
export interface AppBridge {
  invoke<N extends CommandName>(name: N, input: Input<N>): Promise<Result<Output<N>>>;
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
}
