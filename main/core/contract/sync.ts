/** Contract schemas of sync with the central platform (settings, status, run, conflicts). */
import { z } from 'zod';
import { NonEmpty } from './common';
import { StaffRole } from './workspace';

export const SyncState = z.enum(['unconfigured', 'idle', 'syncing', 'offline', 'error']);

export const SyncStatus = z.object({
  state: SyncState,
  serverUrl: z.string().nullable(),
  /** The signed-in user on the server (from /v1/me). */
  user: z.object({ id: z.string(), name: z.string() }).nullable(),
  lastSyncAt: z.string().nullable(),
  /** Local changes not yet pushed; documents with unsent updates; attachments not yet uploaded. */
  pending: z.object({ changes: z.number(), docs: z.number(), blobs: z.number() }),
  /** The last failure, in words a user can act on ("令牌已失效，请在设置中重新登录"). */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** A pull that would delete most of the workspace is waiting for confirmation. */
  massDelete: z.object({ deletes: z.number(), live: z.number() }).nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const SyncConfigureInput = z.object({
  serverUrl: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^\s/]+(:\d+)?(\/.*)?$/, '服务器地址应以 http:// 或 https:// 开头'),
  token: z.string().trim().min(8, '请填写访问令牌').max(200),
});

export const SyncRunResult = z.object({
  pushed: z.number(),
  pulled: z.number(),
  /** Pulled values that lost to a newer local value (kept in history). */
  conflicts: z.number(),
  /** Records a pulled edit brought back after they were deleted here. */
  revived: z.number(),
  docs: z.number(),
  blobsUp: z.number(),
  blobsDown: z.number(),
  status: SyncStatus,
});

/** A value that lost a last-writer-wins comparison (kept in history, shown to the user). */
export const SyncConflict = z.object({
  entity: z.string(),
  entityLabel: z.string(),
  entityId: z.string(),
  /** What the record is called (a task's code and title, a department's name …), when it has one. */
  entityName: z.string().nullable(),
  field: z.string(),
  fieldLabel: z.string(),
  lost: z.string().nullable(),
  won: z.string().nullable(),
  lostBy: z.string(),
  at: z.string(),
});

/** Who a token belongs to and the workspaces on the server they may download (joining). */
export const SyncRemoteWorkspaces = z.object({
  user: z.object({ id: z.string(), name: z.string() }),
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(['owner', 'member']) })),
});

/**
 * A new laptop joins a workspace that exists on the server: a new local workspace filled by
 * pulling everything, signed in with the same token, opened. `me` is who uses this laptop: the
 * team member of that name, or a new member when the workspace has none by that name.
 */
export const SyncJoinInput = SyncConfigureInput.extend({
  workspaceId: z.string().trim().min(1, '请选择要下载的工作区').max(64),
  me: z.object({ name: NonEmpty('我的姓名', 40), role: StaffRole }),
  /** Folder for the workspace; default: a new folder under the data folder. */
  dir: z.string().min(1).optional(),
});
