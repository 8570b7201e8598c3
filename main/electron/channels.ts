/**
 * IPC channel and event names shared by the shell (main/electron/index.ts) and the preload.
 * PURE: no runtime imports, so the sandboxed preload bundle stays tiny.
 */
import type { EventName } from '../core/contract/index';

/** renderer → main: ipcRenderer.invoke(INVOKE_CHANNEL, name, input) → Result */
export const INVOKE_CHANNEL = 'app:invoke';
/** main → renderer: webContents.send(EVENT_CHANNEL, eventName, payload) */
export const EVENT_CHANNEL = 'app:event';

/** The core events forwarded to the window; the only names window.app.on accepts. */
export const EVENT_NAMES = [
  'records.changed',
  'workspace.changed',
  'job.progress',
] as const satisfies readonly EventName[];

// Compile-time check: a new event in the contract must be added above (or this fails to type-check).
type MissingEvents = Exclude<EventName, (typeof EVENT_NAMES)[number]>;
const _allEventsForwarded: [MissingEvents] extends [never] ? true : MissingEvents = true;
void _allEventsForwarded;

export function isKnownEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}
