/**
 * What the 同步 page and the header indicator share: the status query (refreshed by the core's
 * events, not by polling), the progress of a running sync, and the words for times and values.
 */
import { useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import type { EventPayload, SyncStatus } from '../../../../main/core/contract/index';
import { useCommandQuery } from '../../api';

export type SyncProgress = EventPayload<'job.progress'>;

/**
 * sync.status, refreshed whenever a sync (on demand or automatic) reports progress or ends, and
 * by records.changed (App invalidates every query). A slow refetch catches a network that came
 * back while nothing else happened.
 */
export function useSyncStatus() {
  const qc = useQueryClient();
  useEffect(
    () =>
      window.app.on('job.progress', (e) => {
        if (e.kind === 'sync' && e.state !== 'running')
          void qc.invalidateQueries({ queryKey: ['sync.status'] });
      }),
    [qc],
  );
  return useCommandQuery('sync.status', {}, { refetchInterval: 60_000 });
}

/** The running sync's progress (job.progress of kind 'sync'); null when none ran yet. */
export function useSyncProgress(): SyncProgress | null {
  const [p, setP] = useState<SyncProgress | null>(null);
  useEffect(() => window.app.on('job.progress', (e) => e.kind === 'sync' && setP(e)), []);
  return p;
}

/** Re-renders every `ms` so "3 分钟前" stays true. */
export function useTick(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** 刚刚 / 5 分钟前 / 3 小时前 / 昨天 14:05 / 03-12 14:05 / 2026-12-30 14:05. */
export function relativeTime(iso: string, now: number): string {
  const t = dayjs(iso);
  if (!t.isValid()) return iso;
  const diff = Math.max(0, now - t.valueOf());
  const min = Math.floor(diff / 60_000);
  if (min < 1) return '刚刚';
  if (min < 60) return `${min} 分钟前`;
  const n = dayjs(now);
  if (min < 24 * 60 && t.isSame(n, 'day')) return `${Math.floor(min / 60)} 小时前`;
  if (t.isSame(n.subtract(1, 'day'), 'day')) return `昨天 ${t.format('HH:mm')}`;
  return t.format(t.isSame(n, 'year') ? 'MM-DD HH:mm' : 'YYYY-MM-DD HH:mm');
}

export function pendingTotal(s: SyncStatus): number {
  return s.pending.changes + s.pending.docs + s.pending.blobs;
}

/** The pending work in words: "12 项修改、1 篇文档、2 个附件" (empty parts left out). */
export function pendingWords(s: SyncStatus): string {
  const parts: string[] = [];
  if (s.pending.changes) parts.push(`${s.pending.changes} 项修改`);
  if (s.pending.docs) parts.push(`${s.pending.docs} 篇文档`);
  if (s.pending.blobs) parts.push(`${s.pending.blobs} 个附件`);
  return parts.join('、');
}

export type IndicatorTone = 'ok' | 'pending' | 'busy' | 'offline' | 'error' | 'off';

/** The header's one-line summary of sync: what it says and how it looks. */
export function syncSummary(s: SyncStatus, now: number): { text: string; tone: IndicatorTone } {
  if (s.state === 'unconfigured') return { text: '未登录同步', tone: 'off' };
  if (s.massDelete) return { text: '同步待确认', tone: 'error' };
  if (s.state === 'syncing') return { text: '正在同步…', tone: 'busy' };
  if (s.state === 'error') return { text: '同步出错', tone: 'error' };
  const pending = pendingTotal(s);
  if (s.state === 'offline')
    return { text: pending ? `离线 · ${pending} 项待同步` : '离线', tone: 'offline' };
  if (pending) return { text: `${pending} 项待同步`, tone: 'pending' };
  if (s.lastSyncAt) return { text: `已同步 ${relativeTime(s.lastSyncAt, now)}`, tone: 'ok' };
  return { text: '尚未同步', tone: 'pending' };
}

/** A value of the conflict list (the core gives it as text) or （空）. */
export function changeValueText(text: string | null): string {
  return text === null || text === '' ? '（空）' : text;
}
