/** Error codes that cross the IPC boundary. Messages are Chinese and meant for users. */
export const ERROR_CODES = [
  'BAD_INPUT',
  'UNKNOWN_COMMAND',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHORIZED',
  'NO_WORKSPACE',
  'NOT_FOUND',
  'CONFLICT',
  'NOT_A_WORKSPACE',
  'DB_NEWER',
  'TEMPLATE_INVALID',
  'BACKUP_INVALID',
  'IO_ERROR',
  'UNSUPPORTED',
  'CANCELLED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  /** Optional structured details (e.g. the field or file concerned). */
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
