/**
 * Progress feedback (进展反馈): text, an optional percent and evidence files. Adding one updates
 * the task's progress and its "last sign of life" (which keeps the light from turning red for
 * lack of feedback), in the same transaction as the feedback row and its attachment rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mimeOf, putFile } from '../blobs/blobs';
import { listAttachments, uploadFile, type AttachmentView } from '../blobs/attachments';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

export interface FeedbackFile {
  /** A file on this machine, or an upload made with attachments.upload. */
  path?: string;
  uploadId?: string;
  name?: string;
}

export interface FeedbackView {
  id: string;
  taskId: string;
  text: string;
  progress: number | null;
  at: string;
  actorName: string;
  attachments: AttachmentView[];
}

export function addFeedback(
  ws: Workspace,
  dataDir: string,
  taskId: string,
  input: { text: string; progress: number | null; files: FeedbackFile[] },
): FeedbackView {
  const task = ws.db
    .prepare('SELECT code, status, kind, progress FROM tasks WHERE id = ? AND deleted = 0')
    .get(taskId) as { code: string; status: string; kind: string; progress: number } | undefined;
  if (!task) throw new AppError('NOT_FOUND', '该任务不存在或已被删除。');
  if (task.kind === 'series')
    throw new AppError('CONFLICT', '周期任务本身不能反馈，请在每一期任务上填报进展。');
  if (task.status === 'draft') throw new AppError('CONFLICT', `${task.code} 尚未下发，不能填报进展。`);
  if (task.status === 'done') throw new AppError('CONFLICT', `${task.code} 已办结，不能再填报进展。`);
  // store the files first (content-addressed, so a failure later leaves nothing referenced)
  const stored = input.files.map((f) => {
    const src = f.uploadId ? uploadFile(dataDir, f.uploadId) : f.path;
    if (!src) throw new AppError('BAD_INPUT', '附件缺少文件路径。');
    if (f.uploadId && !fs.existsSync(src)) throw new AppError('NOT_FOUND', '上传的文件已过期，请重新选择。');
    const name = (f.name ?? path.basename(src)).slice(0, 200);
    return { ...putFile(ws.dir, src), name };
  });
  const { value: id } = ws.writer.transact(ws.actor(), (tx) => {
    const fid = tx.insert('task_feedback', {
      task_id: taskId,
      text: input.text,
      progress: input.progress,
      at: tx.at,
      actor_id: tx.actor.id,
      actor_name: tx.actor.name,
    });
    tx.update('task', taskId, {
      progress: input.progress ?? undefined,
      last_activity_at: tx.at,
    });
    for (const s of stored) {
      tx.insert('attachment', {
        owner_type: 'feedback',
        owner_id: fid,
        sha256: s.sha256,
        name: s.name,
        size: s.size,
        mime: mimeOf(s.name),
      });
    }
    return fid;
  });
  for (const f of input.files) if (f.uploadId) fs.rmSync(uploadFile(dataDir, f.uploadId), { force: true });
  const view = listFeedback(ws, taskId).find((f) => f.id === id);
  if (!view) throw new AppError('INTERNAL', '反馈保存后未能读取。');
  return view;
}

export function listFeedback(ws: Workspace, taskId: string): FeedbackView[] {
  const rows = ws.db
    .prepare(
      'SELECT id, task_id, text, progress, at, actor_name FROM task_feedback WHERE task_id = ? AND deleted = 0 ORDER BY at DESC, id DESC',
    )
    .all(taskId) as {
    id: string;
    task_id: string;
    text: string;
    progress: number | null;
    at: string;
    actor_name: string;
  }[];
  const atts = listAttachments(
    ws,
    'feedback',
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    taskId: r.task_id,
    text: r.text,
    progress: r.progress,
    at: r.at,
    actorName: r.actor_name,
    attachments: atts.filter((a) => a.ownerId === r.id),
  }));
}
