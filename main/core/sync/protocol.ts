/**
 * The sync protocol between a laptop (main/core/sync) and the central platform's REST API
 * (server/): paths, request and response bodies as zod schemas, error codes. Both sides import
 * this file, so they cannot drift apart. Everything is JSON over HTTPS (HTTP on loopback);
 * binary (Yjs updates, state vectors) is base64; blobs are raw bytes.
 *
 * Authentication: `Authorization: Bearer <token>` on every route except health and the OpenAPI
 * document. A user sees only the workspaces they are a member of.
 *
 * Records: every field write of a laptop is one Change (the `changes` table row with
 * origin 'local'): per-field last-writer-wins by HLC stamp. Push is idempotent: the server keeps
 * a change once, keyed by (workspace, entityId, field, stamp). Pull is by the server's own
 * sequence number (`seq`), never a client clock; a page never splits one transaction (txId), so
 * a pulled page always holds every field of a record created in one transaction.
 *
 * Documents: Yjs updates (the encoding of main/core/docs/store.ts, Yjs V1). Sync by state vector:
 * the client sends its state vector and the updates it has not sent, the server merges them and
 * answers with what the client lacks.
 *
 * Blobs: content-addressed by sha256 (lowercase hex). HEAD tells whether the server has it (or how
 * much of an interrupted upload it has: header `Upload-Offset`), PUT with `?offset=` appends a
 * chunk (resumable), the last chunk completes it and the server checks the hash; GET downloads.
 */
import { z } from 'zod';

/** Bumped when the protocol changes incompatibly; the server says which it speaks in /v1/health. */
export const PROTOCOL_VERSION = 1;

/** Stamps further ahead of the receiver's clock than this are refused (laptops' clocks drift). */
export const MAX_STAMP_AHEAD_MS = 30 * 60 * 1000;

/** Largest number of changes in one push (the client splits larger pushes). */
export const MAX_PUSH_CHANGES = 5000;
/** Default and largest page of a pull. */
export const PULL_PAGE = 2000;
export const MAX_PULL_PAGE = 10000;
/** Largest blob accepted by default (the server can be configured). */
export const DEFAULT_MAX_BLOB_BYTES = 200 * 1024 * 1024;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 应为 64 位小写十六进制');
const B64 = z.string().max(64 * 1024 * 1024);
/** HLC stamp `<13-digit ms>-<4-hex counter>-<node id>` (main/core/util/hlc.ts). */
export const Stamp = z.string().regex(/^\d{13}-[0-9a-f]{4}-[\w-]{1,64}$/, '修改时间戳格式不正确');
const WsId = z.string().min(1).max(64);
const EntityId = z.string().min(1).max(64);

export const paths = {
  health: '/v1/health',
  openapi: '/v1/openapi.json',
  me: '/v1/me',
  workspaces: '/v1/workspaces',
  changes: (ws: string) => `/v1/workspaces/${encodeURIComponent(ws)}/changes`,
  docs: (ws: string) => `/v1/workspaces/${encodeURIComponent(ws)}/docs`,
  docSync: (ws: string, docId: string) =>
    `/v1/workspaces/${encodeURIComponent(ws)}/docs/${encodeURIComponent(docId)}/sync`,
  blob: (ws: string, sha256: string) => `/v1/workspaces/${encodeURIComponent(ws)}/blobs/${sha256}`,
} as const;

// ---------- health, identity, workspaces ----------

export const Health = z.object({
  ok: z.literal(true),
  /** Server software version. */
  version: z.string(),
  protocol: z.number().int(),
  /** Server time (ms), for clock-skew messages. */
  time: z.number(),
});
export type Health = z.infer<typeof Health>;

export const WorkspaceRef = z.object({ id: WsId, name: z.string(), role: z.enum(['owner', 'member']) });
export const Me = z.object({
  user: z.object({ id: z.string(), name: z.string() }),
  workspaces: z.array(WorkspaceRef),
});
export type Me = z.infer<typeof Me>;

/**
 * Registers a laptop's workspace on the server (the first laptop to sync it). Allowed when the id
 * is new (the caller becomes its owner) or the caller is already a member (idempotent).
 */
export const CreateWorkspace = z.object({ id: WsId, name: z.string().min(1).max(200) });

// ---------- records ----------

export const Change = z.object({
  /** The laptop's transaction; a pull page never splits one. */
  txId: z.string().min(1).max(64),
  entity: z.string().min(1).max(64),
  entityId: EntityId,
  field: z.string().min(1).max(64),
  /** The field's new value, JSON-encoded as in the changes table (`new_value`). */
  value: z
    .string()
    .max(1024 * 1024)
    .nullable(),
  stamp: Stamp,
  op: z.enum(['create', 'update', 'delete', 'restore']),
  /** When and by whom (audit trail on the other laptops). */
  at: z.string().max(40),
  actorId: z.string().max(64).nullable(),
  actorName: z.string().max(100),
});
export type Change = z.infer<typeof Change>;

export const PushBody = z.object({
  /** The pushing laptop (HLC node id). */
  node: z.string().min(1).max(64),
  changes: z.array(Change).max(MAX_PUSH_CHANGES),
});
export const PushResult = z.object({
  /** Changes stored now, and changes the server already had (a retried push). */
  accepted: z.number(),
  duplicates: z.number(),
  /** The server's sequence after this push. */
  seq: z.number(),
});

/**
 * GET changes?since=<seq>&limit=<n>&exclude=<node>[&format=compact] — changes after `since`, not
 * from `exclude`. Without `format` the page is a PullResult (one object per change); with
 * `format=compact` it is a PullResultCompact (the same changes, grouped; see below). A server that
 * does not know `format` ignores it and answers a PullResult, so a client reads either.
 */
export const PulledChange = Change.extend({ seq: z.number(), node: z.string() });
export type PulledChange = z.infer<typeof PulledChange>;
export const PullResult = z.object({
  changes: z.array(PulledChange),
  /** Cursor for the next pull (the last seq of this page, or `since` when empty). */
  next: z.number(),
  more: z.boolean(),
  /** Live (not deleted) records of the workspace on the server, for the mass-deletion check. */
  liveRecords: z.number().optional(),
});

/** The `format` query value of a compact pull. */
export const PULL_FORMAT_COMPACT = 'compact';

/**
 * A compact pull page: the page's changes in seq order, without repeating what consecutive changes
 * share (a new laptop's first pull is about a million changes: a fifth of the bytes, arrays
 * instead of objects). `txs` is a list of groups of consecutive changes with the same node,
 * transaction, time and actor: `[node, txId, at, actorId, actorName, record, record, …]`; a record
 * is consecutive changes of one record: `[entity, entityId, field, value, stamp, op, field, value,
 * stamp, op, …]` (each field as in Change). A transaction split by another laptop's changes
 * appears as several groups. The per-change `seq` is left out: `next` is the cursor.
 */
export const PullResultCompact = z.object({
  txs: z.array(
    z
      .array(z.union([z.string(), z.null(), z.array(z.union([z.string(), z.null()]))]))
      .describe(
        '[node, txId, at, actorId, actorName, ...records]; record = [entity, entityId, (field, value, stamp, op)…]',
      ),
  ),
  next: z.number(),
  more: z.boolean(),
  liveRecords: z.number(),
});

// ---------- documents ----------

/** GET docs?since=<seq> — documents changed after `since` (by any laptop). */
export const DocList = z.object({
  docs: z.array(z.object({ docId: z.string(), seq: z.number() })),
  next: z.number(),
});
export const DocSyncBody = z.object({
  /** The client's state vector (base64). */
  stateVector: B64,
  /** Updates the client has that the server may lack (base64 of one merged update), or null. */
  update: B64.nullable(),
});
export const DocSyncResult = z.object({
  /** What the client lacks (base64 update; may be an empty update). */
  update: B64,
  /** The server's state vector after merging. */
  stateVector: B64,
  seq: z.number(),
});

// ---------- blobs ----------

export const BlobHead = {
  /** HEAD response header: bytes of an interrupted upload the server holds (0 when none). */
  uploadOffset: 'upload-offset',
  /** HEAD/GET header: total size when complete. */
  length: 'content-length',
} as const;
export const BlobPutResult = z.object({
  sha256: Sha256,
  /** Bytes received so far; complete when equal to the declared size. */
  offset: z.number(),
  complete: z.boolean(),
});

// ---------- errors ----------

/** Every error response: `{ error: { code, message } }` with a Chinese message saying what to do. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum([
      'UNAUTHORIZED', // no/unknown/revoked/expired token (401)
      'FORBIDDEN', // not a member of the workspace (403)
      'NOT_FOUND', // 404
      'BAD_REQUEST', // malformed JSON or body not matching the schema (400)
      'PAYLOAD_TOO_LARGE', // 413
      'RATE_LIMITED', // 429
      'STAMP_AHEAD', // a change stamped too far in the future (409)
      'HASH_MISMATCH', // a blob whose content does not match its sha256 (422)
      'VERSION_MISMATCH', // client protocol not supported (426)
      'INTERNAL', // 500
    ]),
    message: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Request header carrying the client's protocol version (the server answers 426 if unsupported). */
export const PROTOCOL_HEADER = 'x-cwb-protocol';
