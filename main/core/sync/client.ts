/**
 * HTTP client of the central platform's sync API (protocol.ts): fetch with a timeout, the
 * protocol header and the Bearer token; every failure becomes an AppError whose Chinese message
 * says what happened and what to do, with `details.sync` naming the kind of failure (OFFLINE,
 * UNAUTHORIZED, FORBIDDEN, VERSION, STAMP_AHEAD, TOO_LARGE, SERVER, BAD_RESPONSE, …) and
 * `details.transient` telling whether retrying later may help. Transient failures are retried a
 * few times with backoff before giving up.
 */
import type { z } from 'zod';
import { AppError } from '../util/errors';
import { ErrorBody, PROTOCOL_HEADER, PROTOCOL_VERSION } from './protocol';

export type SyncErrorKind =
  | 'OFFLINE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'VERSION'
  | 'STAMP_AHEAD'
  | 'TOO_LARGE'
  | 'RATE_LIMITED'
  | 'HASH_MISMATCH'
  | 'BAD_REQUEST'
  | 'SERVER'
  | 'BAD_RESPONSE'
  | 'MASS_DELETE';

const TRANSIENT: ReadonlySet<SyncErrorKind> = new Set(['OFFLINE', 'SERVER', 'RATE_LIMITED', 'BAD_RESPONSE']);

export function syncError(
  kind: SyncErrorKind,
  message: string,
  extra: Record<string, unknown> = {},
): AppError {
  const code =
    kind === 'UNAUTHORIZED' || kind === 'FORBIDDEN'
      ? 'UNAUTHORIZED'
      : kind === 'VERSION'
        ? 'UNSUPPORTED'
        : kind === 'TOO_LARGE'
          ? 'PAYLOAD_TOO_LARGE'
          : kind === 'STAMP_AHEAD' || kind === 'MASS_DELETE'
            ? 'CONFLICT'
            : kind === 'NOT_FOUND'
              ? 'NOT_FOUND'
              : kind === 'BAD_REQUEST' || kind === 'HASH_MISMATCH'
                ? 'BAD_INPUT'
                : 'IO_ERROR';
  return new AppError(code, message, { sync: kind, transient: TRANSIENT.has(kind), ...extra });
}

/** The kind of a sync failure (OFFLINE, UNAUTHORIZED, …), or INTERNAL for any other error. */
export function syncKind(e: unknown): string {
  if (e instanceof AppError && typeof e.details?.sync === 'string') return e.details.sync;
  if (e instanceof AppError) return e.code;
  return 'INTERNAL';
}

export function isTransient(e: unknown): boolean {
  return e instanceof AppError && e.details?.transient === true;
}

export interface ClientOptions {
  baseUrl: string;
  token: string | null;
  /** Per request (ms); default 30 s. */
  timeoutMs?: number;
  /** Attempts for transient failures (default 3), with backoff starting at `backoffMs`. */
  attempts?: number;
  backoffMs?: number;
  fetch?: typeof fetch;
  /** Cancels the requests of this client (the user pressed 取消). */
  signal?: AbortSignal;
}

/** The error of a cancelled run: nothing half-written (each page is one transaction). */
export function cancelledError(): AppError {
  return new AppError('CANCELLED', '已取消同步。已完成的部分已保存，下次同步从中断处继续。');
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SyncClient {
  readonly baseUrl: string;
  private readonly token: string | null;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly signal: AbortSignal | undefined;

  constructor(opts: ClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.attempts = Math.max(1, opts.attempts ?? 3);
    this.backoffMs = opts.backoffMs ?? 300;
    this.fetchFn = opts.fetch ?? fetch;
    this.signal = opts.signal;
  }

  /** Throws the cancellation error once the run was cancelled. */
  checkCancelled(): void {
    if (this.signal?.aborted) throw cancelledError();
  }

  /** One request; non-2xx answers (except those in `accept`) become AppErrors. Retries transient failures. */
  async request(
    method: string,
    path: string,
    opts: { json?: unknown; body?: Uint8Array; headers?: Record<string, string>; accept?: number[] } = {},
  ): Promise<RawResponse> {
    let last: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      if (attempt > 0) await sleep(this.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2));
      this.checkCancelled();
      try {
        return await this.once(method, path, opts);
      } catch (e) {
        last = e;
        if (!isTransient(e)) throw e;
      }
    }
    throw last;
  }

  private async once(
    method: string,
    path: string,
    opts: { json?: unknown; body?: Uint8Array; headers?: Record<string, string>; accept?: number[] },
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), ...opts.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.body) {
      headers['content-type'] = 'application/octet-stream';
      body = new Uint8Array(opts.body);
    }
    let res: Response;
    let buf: Buffer;
    try {
      res = await this.fetchFn(this.baseUrl + path, {
        method,
        headers,
        body,
        signal: this.signal
          ? AbortSignal.any([this.signal, AbortSignal.timeout(this.timeoutMs)])
          : AbortSignal.timeout(this.timeoutMs),
      });
      buf = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      this.checkCancelled();
      const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw syncError(
        'OFFLINE',
        timeout
          ? `连接同步服务器（${hostOf(this.baseUrl)}）超时。已保持离线，稍后自动重试；也可检查网络后点“立即同步”。`
          : `无法连接同步服务器（${hostOf(this.baseUrl)}）。已保持离线，稍后自动重试；也可检查网络和服务器地址后点“立即同步”。`,
      );
    }
    if ((res.status >= 200 && res.status < 300) || opts.accept?.includes(res.status)) {
      return { status: res.status, headers: res.headers, body: buf };
    }
    throw this.errorOf(res.status, buf);
  }

  private errorOf(status: number, buf: Buffer): AppError {
    let code: string | null = null;
    let serverMessage = '';
    try {
      const parsed = ErrorBody.safeParse(JSON.parse(buf.toString('utf8')));
      if (parsed.success) {
        code = parsed.data.error.code;
        serverMessage = parsed.data.error.message;
      }
    } catch {
      // not JSON: the status decides
    }
    const said = serverMessage ? `（服务器：${serverMessage}）` : '';
    if (status === 401 || code === 'UNAUTHORIZED')
      // the server's own words say which (unknown, revoked, expired) and what to do
      return syncError(
        'UNAUTHORIZED',
        serverMessage
          ? `同步服务器不接受访问令牌：${serverMessage}`
          : '同步服务器不接受访问令牌：令牌无效或已过期，请在设置中重新登录。',
      );
    if (status === 403 || code === 'FORBIDDEN')
      return syncError(
        'FORBIDDEN',
        `没有该工作区的权限，请联系管理员把你加入工作区（或检查登录的账号）。${said}`,
      );
    if (status === 426 || code === 'VERSION_MISMATCH')
      return syncError(
        'VERSION',
        `服务器版本不兼容（本机同步协议版本 ${PROTOCOL_VERSION}），请升级工作台或联系管理员升级服务器。${said}`,
      );
    if (code === 'STAMP_AHEAD')
      return syncError(
        'STAMP_AHEAD',
        `本机时间不准（修改时间比服务器快太多），服务器拒绝了这些修改。请把电脑的日期和时间设为自动同步后再同步。${said}`,
      );
    if (status === 413 || code === 'PAYLOAD_TOO_LARGE')
      return syncError('TOO_LARGE', `一次发送的数据超过服务器的上限，未同步。请联系管理员调高上限。${said}`);
    if (status === 429 || code === 'RATE_LIMITED')
      return syncError('RATE_LIMITED', `同步请求过于频繁，服务器暂时拒绝，稍后自动重试。${said}`);
    if (status === 422 || code === 'HASH_MISMATCH')
      return syncError('HASH_MISMATCH', `上传的附件内容与校验值不符，服务器未接收，稍后会重新上传。${said}`);
    if (status === 404 || code === 'NOT_FOUND')
      return syncError('NOT_FOUND', `同步服务器上找不到所请求的内容（${status}）。${said}`);
    if (status >= 500) return syncError('SERVER', `同步服务器暂时不可用（${status}），稍后自动重试。${said}`);
    if (status === 400 || code === 'BAD_REQUEST')
      return syncError('BAD_REQUEST', `同步服务器拒绝了请求（${status}），请升级工作台后重试。${said}`);
    return syncError('BAD_RESPONSE', `同步服务器返回了无法识别的应答（${status}），稍后自动重试。${said}`);
  }

  /** A JSON request whose answer must match `schema`. */
  async json<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> {
    const res = await this.request(method, path, body === undefined ? {} : { json: body });
    return parseJson(schema, res.body, path);
  }
}

export function parseJson<S extends z.ZodType>(schema: S, body: Buffer, what: string): z.output<S> {
  return checkJson(schema, readJson(body, what), what);
}

/** The body as JSON (a clear error when it is not). */
export function readJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw syncError(
      'BAD_RESPONSE',
      `同步服务器的应答不是有效的 JSON（${what}），稍后自动重试；若一直如此请联系管理员。`,
    );
  }
}

/** Parsed JSON checked against the protocol's schema (a clear error when it does not match). */
export function checkJson<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw syncError(
      'BAD_RESPONSE',
      `同步服务器的应答格式不正确（${what}），稍后自动重试；若一直如此请确认服务器版本。`,
    );
  }
  return parsed.data;
}
