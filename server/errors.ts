import { z } from 'zod';
import type { ErrorBody } from '../main/core/sync/protocol';

export type ErrorCode = ErrorBody['error']['code'];

/** An expected HTTP failure: status, protocol error code and a Chinese message saying what to do. */
export class HttpError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly code: ErrorCode,
    message: string,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

const zhErrors = z.locales.zhCN().localeError;

/** Validates with a protocol schema; a violation is a 400 naming the first offending field. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const r = schema.safeParse(input, { error: zhErrors });
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue && issue.path.length ? issue.path.map(String).join('.') : '';
  const detail = issue?.message ?? '格式不正确';
  const more = r.error.issues.length > 1 ? `（共 ${r.error.issues.length} 处问题）` : '';
  throw new HttpError(
    400,
    'BAD_REQUEST',
    field
      ? `${what}的字段「${field}」不正确：${detail}${more}。请更新客户端后重试。`
      : `${what}不正确：${detail}${more}。请更新客户端后重试。`,
  );
}

/** Bytes for a message: "512 KB", "8 MB", "1.5 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
