/**
 * The global the preload (Electron) or the web host's injected script (browser) provides.
 * Included by tsconfig.web.json so the renderer can use `window.app` with full types.
 */
import type { AppBridge } from '../main/core/contract/bridge';

declare global {
  interface Window {
    app: AppBridge;
  }
}

export {};
