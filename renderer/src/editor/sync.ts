/**
 * The local "provider" of an open document: one Y.Doc per open material, loaded from the core
 * (docs.load) and saved back as Yjs updates (docs.push).
 *
 * - Local changes (any 'update' whose origin is not 'load' or 'remote') are buffered and pushed,
 *   merged, at most every ~400 ms, and at once on flush() (blur, route change, unmount, before
 *   a version is saved or restored).
 * - Nothing is dropped: a failed push keeps its updates and is retried with backoff (1 s, 2 s …
 *   30 s) until the core takes them; the state (已保存 / 保存中… / 保存失败) is observable.
 * - A crash journal in localStorage holds every change not yet confirmed by the core; opening the
 *   document again replays it (Yjs updates are idempotent, so a replay of what did arrive is a
 *   no-op).
 */
import * as Y from 'yjs';
import { call, errorMessage } from '../api';
import { base64ToBytes, bytesToBase64 } from '../components/AttachmentList';

export const PUSH_EVERY_MS = 400;
const RETRY_MAX_MS = 30_000;
/** Pushes are cut at about this many bytes (the web host takes 10 MB requests; base64 adds a third). */
const PUSH_BYTES = 4 * 1024 * 1024;

export type SaveState = 'saved' | 'saving' | 'error';
export interface SaveStatus {
  state: SaveState;
  /** The last failure's message (state 'error'). */
  error?: string;
}

type Push = (docId: string, update: string) => Promise<void>;

const defaultPush: Push = async (docId, update) => {
  await call('docs.push', { docId, update });
};

/** localStorage keys of a document's unconfirmed changes: the batch being sent and those after it. */
const journalKey = (docId: string, part: 'sending' | 'pending') => `cwb:doc-journal:${docId}:${part}`;

function store(key: string, update: Uint8Array | null): void {
  try {
    if (update && update.byteLength) localStorage.setItem(key, bytesToBase64(update));
    else localStorage.removeItem(key);
  } catch {
    // storage full or unavailable: the changes are still kept in memory and retried
  }
}

function readJournal(docId: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const part of ['sending', 'pending'] as const) {
    try {
      const v = localStorage.getItem(journalKey(docId, part));
      if (v) out.push(base64ToBytes(v));
    } catch {
      // unreadable journal: nothing to replay
    }
  }
  return out;
}

const merge = (updates: Uint8Array[]): Uint8Array =>
  updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);

export class DocSync {
  readonly ydoc = new Y.Doc();
  status: SaveStatus = { state: 'saved' };
  /** Local changes not yet handed to a push, oldest first. */
  private pending: Uint8Array[] = [];
  /** A batch whose push failed: sent again (before `pending`) on the next attempt. */
  private failed: Uint8Array | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<boolean> | null = null;
  private failures = 0;
  private listeners = new Set<(s: SaveStatus) => void>();

  constructor(
    readonly docId: string,
    private readonly push: Push = defaultPush,
  ) {}

  /** Loads the document (and replays the crash journal); returns the problems the core met reading it. */
  async load(): Promise<string[]> {
    const r = await call('docs.load', { docId: this.docId });
    // listening only afterwards: Yjs would re-encode the whole loaded state for an 'update' listener
    Y.applyUpdate(this.ydoc, base64ToBytes(r.update), 'load');
    this.ydoc.on('update', this.onUpdate);
    for (const u of readJournal(this.docId)) {
      try {
        Y.applyUpdate(this.ydoc, u, 'journal'); // anything new in it is pushed like an edit
      } catch {
        // a damaged journal entry is ignored
      }
    }
    return r.problems;
  }

  /** Applies an update that is already stored in the core (a restored version, another window). */
  applyRemote(update: Uint8Array): void {
    Y.applyUpdate(this.ydoc, update, 'remote');
  }

  subscribe(fn: (s: SaveStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Changes the core has not confirmed yet. */
  private get unsaved(): boolean {
    return this.pending.length > 0 || this.failed !== null;
  }

  get dirty(): boolean {
    return this.unsaved || this.running !== null;
  }

  private setStatus(s: SaveStatus): void {
    if (s.state === this.status.state && s.error === this.status.error) return;
    this.status = s;
    for (const fn of this.listeners) fn(s);
  }

  private onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === 'load' || origin === 'remote') return;
    this.pending.push(update);
    if (this.pending.length > 64) this.pending = [merge(this.pending)];
    store(journalKey(this.docId, 'pending'), merge(this.pending));
    if (this.status.state !== 'error') this.setStatus({ state: 'saving' });
    this.schedule(PUSH_EVERY_MS);
  };

  private schedule(ms: number): void {
    if (this.timer) return; // a push is already due: changes meanwhile go with it
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  /**
   * Pushes every buffered change now. Resolves true when the core has everything, false when a
   * push failed (the changes stay buffered and a retry is scheduled).
   */
  flush(): Promise<boolean> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.running) {
      this.running = this.drain().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async drain(): Promise<boolean> {
    while (this.failed || this.pending.length) {
      // one batch of at most ~PUSH_BYTES (a single larger update goes alone)
      const batch: Uint8Array[] = [];
      let size = 0;
      if (this.failed) {
        batch.push(this.failed);
        size = this.failed.byteLength;
      }
      while (this.pending.length) {
        const next = this.pending[0] as Uint8Array;
        if (batch.length && size + next.byteLength > PUSH_BYTES) break;
        batch.push(next);
        size += next.byteLength;
        this.pending.shift();
      }
      const update = merge(batch);
      this.failed = null;
      store(journalKey(this.docId, 'sending'), update);
      store(journalKey(this.docId, 'pending'), this.pending.length ? merge(this.pending) : null);
      this.setStatus({ state: 'saving' });
      try {
        await this.push(this.docId, bytesToBase64(update));
      } catch (e) {
        this.failed = update;
        this.failures++;
        this.setStatus({ state: 'error', error: errorMessage(e) });
        const wait = Math.min(RETRY_MAX_MS, 1000 * 2 ** Math.min(this.failures - 1, 5));
        setTimeout(() => void this.flush(), wait);
        return false;
      }
      this.failures = 0;
      store(journalKey(this.docId, 'sending'), null);
    }
    this.setStatus({ state: 'saved' });
    return true;
  }

  /**
   * The editor has gone: stop reporting, push what is left (retrying until the core takes it)
   * and then stop listening to the document.
   */
  close(): void {
    this.listeners.clear();
    const detach = () => this.ydoc.off('update', this.onUpdate);
    if (!this.dirty) {
      detach();
      return;
    }
    this.subscribe((s) => {
      if (s.state === 'saved' && !this.unsaved) detach();
    });
    void this.flush();
  }
}
