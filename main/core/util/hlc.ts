/**
 * Hybrid logical clock stamps for per-field last-writer-wins.
 * Format: `<ms as 13 digits>-<counter as 4 hex>-<node id>`; stamps compare as strings.
 * The sync issue uses `receive()` to merge remote stamps and `MAX_DRIFT_MS` to refuse
 * stamps far in the future.
 */
import { AppError } from './errors';

/** Remote stamps further ahead than this are refused (the sync protocol's MAX_STAMP_AHEAD_MS). */
export const MAX_DRIFT_MS = 30 * 60 * 1000;

export interface HlcState {
  ms: number;
  counter: number;
}

export class Hlc {
  private ms = 0;
  private counter = 0;

  constructor(
    public readonly node: string,
    private readonly clock: () => number = Date.now,
  ) {}

  now(): string {
    const phys = this.clock();
    if (phys > this.ms) {
      this.ms = phys;
      this.counter = 0;
    } else {
      this.counter++;
      if (this.counter > 0xffff) {
        this.ms++;
        this.counter = 0;
      }
    }
    return format(this.ms, this.counter, this.node);
  }

  /**
   * Starts the clock after a stamp this laptop already holds (on open: the newest stamp it
   * received), so a local write always stamps newer than every value it sees, even when this
   * laptop's clock is behind the others'. No drift check: the stamp was accepted before.
   */
  seed(stamp: string): void {
    const s = parse(stamp);
    if (s.ms > this.ms || (s.ms === this.ms && s.counter > this.counter)) {
      this.ms = s.ms;
      this.counter = s.counter;
    }
  }

  /** Advance the clock past a remote stamp; refuse stamps too far ahead of our physical time. */
  receive(stamp: string): void {
    const remote = parse(stamp);
    const phys = this.clock();
    if (remote.ms - phys > MAX_DRIFT_MS) {
      throw new AppError(
        'CONFLICT',
        `收到的修改时间戳比本机时间快 ${Math.round((remote.ms - phys) / 60000)} 分钟，已拒绝。请检查两台电脑的系统时间。`,
      );
    }
    const max = Math.max(this.ms, remote.ms, phys);
    if (max === this.ms && max === remote.ms) this.counter = Math.max(this.counter, remote.counter) + 1;
    else if (max === this.ms) this.counter++;
    else if (max === remote.ms) this.counter = remote.counter + 1;
    else this.counter = 0;
    this.ms = max;
  }
}

export function format(ms: number, counter: number, node: string): string {
  return `${String(ms).padStart(13, '0')}-${counter.toString(16).padStart(4, '0')}-${node}`;
}

export function parse(stamp: string): { ms: number; counter: number; node: string } {
  const m = /^(\d{13})-([0-9a-f]{4})-(.+)$/.exec(stamp);
  if (!m) throw new AppError('BAD_INPUT', `时间戳格式不正确：${stamp}`);
  return { ms: Number(m[1]), counter: parseInt(m[2] ?? '0', 16), node: m[3] ?? '' };
}
