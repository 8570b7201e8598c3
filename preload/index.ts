/**
 * The preload (sandboxed, CommonJS): exposes EXACTLY window.app = { invoke, on } and nothing
 * else. The page never sees ipcRenderer, IpcRendererEvent or any Node/Electron object.
 * Types come from the contract (type-only); channel names from main/electron/channels.ts.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppBridge } from '../main/core/contract/bridge';
import type { EventName } from '../main/core/contract/index';
import { EVENT_CHANNEL, INVOKE_CHANNEL, isKnownEventName } from '../main/electron/channels';

type Listener = (payload: unknown) => void;

const listeners = new Map<EventName, Set<Listener>>();

// One IPC listener for all events; the page's callbacks get the payload only.
ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (!isKnownEventName(name)) return;
  for (const cb of [...(listeners.get(name) ?? [])]) {
    try {
      cb(payload);
    } catch (e) {
      console.error(`window.app.on('${name}') 的回调出错：`, e);
    }
  }
});

const bridge: AppBridge = {
  async invoke(name, input) {
    if (typeof name !== 'string') {
      return { ok: false, error: { code: 'UNKNOWN_COMMAND', message: '命令名称无效。' } };
    }
    try {
      return await ipcRenderer.invoke(INVOKE_CHANNEL, name, input);
    } catch (e) {
      // e.g. the input could not be cloned, or the main process is shutting down
      const message = e instanceof Error ? e.message : String(e);
      return { ok: false, error: { code: 'INTERNAL', message: `调用失败：${message}` } };
    }
  },
  on(event, cb) {
    if (!isKnownEventName(event)) throw new Error(`未知事件「${String(event)}」。`);
    if (typeof cb !== 'function') throw new Error('window.app.on 需要一个回调函数。');
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
    }
    const listener = cb as Listener;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('app', bridge);
