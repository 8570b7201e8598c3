import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const Entry = z.object({ dir: z.string(), name: z.string(), city: z.string(), openedAt: z.string() });
const State = z.object({ recent: z.array(Entry).default([]), last: z.string().nullable().default(null) });
export type AppStateData = z.infer<typeof State>;

const MAX_RECENT = 12;

/** Per-machine app state in the data folder: recent workspaces and the last one opened. */
export class AppState {
  private data: AppStateData;
  private readonly file: string;

  /** With persist false (the CLI) the list is read but never written. */
  constructor(
    dataDir: string,
    private readonly persist = true,
  ) {
    this.file = path.join(dataDir, 'app-state.json');
    this.data = { recent: [], last: null };
    try {
      const parsed = State.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      if (parsed.success) this.data = parsed.data;
    } catch {
      // missing or unreadable: start fresh (the workspaces themselves are untouched)
    }
  }

  get recent() {
    return this.data.recent;
  }

  get last(): string | null {
    return this.data.last;
  }

  touch(entry: { dir: string; name: string; city: string }, at = new Date()): void {
    const dir = path.resolve(entry.dir);
    this.data.recent = [
      { dir, name: entry.name, city: entry.city, openedAt: at.toISOString() },
      ...this.data.recent.filter((r) => path.resolve(r.dir) !== dir),
    ].slice(0, MAX_RECENT);
    this.data.last = dir;
    this.save();
  }

  forget(dir: string): void {
    const abs = path.resolve(dir);
    this.data.recent = this.data.recent.filter((r) => path.resolve(r.dir) !== abs);
    if (this.data.last && path.resolve(this.data.last) === abs) this.data.last = null;
    this.save();
  }

  clearLast(): void {
    this.data.last = null;
    this.save();
  }

  private save(): void {
    if (!this.persist) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    fs.renameSync(tmp, this.file);
  }
}
