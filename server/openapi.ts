/**
 * The OpenAPI 3.1 document of the sync API, generated from the protocol's zod schemas
 * (z.toJSONSchema, JSON Schema 2020-12). Served at /v1/openapi.json and committed as
 * server/openapi.json (regenerate: `npm run server -- openapi > server/openapi.json`).
 */
import { z } from 'zod';
import {
  BlobPutResult,
  CreateWorkspace,
  DocList,
  DocSyncBody,
  DocSyncResult,
  ErrorBody,
  Health,
  Me,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  PULL_FORMAT_COMPACT,
  PullResult,
  PullResultCompact,
  PushBody,
  PushResult,
  WorkspaceRef,
  MAX_PULL_PAGE,
  PULL_PAGE,
} from '../main/core/sync/protocol';

type Json = Record<string, unknown>;

const schemas: Record<string, z.ZodType> = {
  Health,
  Me,
  WorkspaceRef,
  CreateWorkspace,
  PushBody,
  PushResult,
  PullResult,
  PullResultCompact,
  DocList,
  DocSyncBody,
  DocSyncResult,
  BlobPutResult,
  ErrorBody,
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const s = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  delete s.$schema;
  return s;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string): Json => ({ 'application/json': { schema: ref(name) } });
const ok = (description: string, name: string): Json => ({ description, content: json(name) });
const err = (description: string): Json => ({ description, content: json('ErrorBody') });

const commonErrors = {
  '400': err('请求格式错误（JSON 无效或不符合格式，消息指明字段）'),
  '401': err('缺少、未知、已吊销或已过期的访问令牌'),
  '403': err('不是该工作区的成员'),
  '413': err('请求内容过大'),
  '426': err('客户端协议版本不受支持'),
  '429': err('请求过于频繁'),
  '500': err('服务器内部错误'),
};

const wsParam = {
  name: 'ws',
  in: 'path',
  required: true,
  schema: { type: 'string', minLength: 1, maxLength: 64 },
};
const shaParam = {
  name: 'sha256',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
};
const protocolParam = {
  name: PROTOCOL_HEADER,
  in: 'header',
  required: false,
  description: `客户端协议版本；不等于 ${PROTOCOL_VERSION} 时返回 426`,
  schema: { type: 'integer' },
};
const uintQuery = (name: string, description: string, extra: Json = {}): Json => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'integer', minimum: 0, ...extra },
});

export function buildOpenApi(version: string): Json {
  const components: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const io = name.endsWith('Body') || name === 'CreateWorkspace' ? 'input' : 'output';
    components[name] = jsonSchema(schema, io);
  }
  const secured = { security: [{ bearer: [] }] };
  return {
    openapi: '3.1.0',
    info: {
      title: '信用创建工作台 · 中心平台同步接口 (central sync API)',
      version,
      description:
        `Sync protocol version ${PROTOCOL_VERSION}. Every route except health and this document needs ` +
        '`Authorization: Bearer <token>`; a user sees only workspaces they are a member of. Errors are ' +
        '`{ error: { code, message } }` with a Chinese message. Source of truth: main/core/sync/protocol.ts.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: '管理员用 admin issue-token 签发' },
      },
      schemas: components,
    },
    paths: {
      '/v1/health': {
        get: {
          summary: 'Server version, protocol version and time (no authentication)',
          operationId: 'health',
          responses: { '200': ok('服务器状态', 'Health') },
        },
      },
      '/v1/openapi.json': {
        get: {
          summary: 'This document (no authentication)',
          operationId: 'openapi',
          responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': {} } } },
        },
      },
      '/v1/me': {
        get: {
          ...secured,
          summary: 'The token’s user and their workspaces',
          operationId: 'me',
          parameters: [protocolParam],
          responses: { '200': ok('当前用户', 'Me'), ...commonErrors },
        },
      },
      '/v1/workspaces': {
        post: {
          ...secured,
          summary: 'Register a workspace (new id: caller becomes owner; existing: members only, idempotent)',
          operationId: 'createWorkspace',
          parameters: [protocolParam],
          requestBody: { required: true, content: json('CreateWorkspace') },
          responses: {
            '200': ok('已是成员（幂等）', 'WorkspaceRef'),
            '201': ok('已创建，调用者为所有者', 'WorkspaceRef'),
            ...commonErrors,
          },
        },
      },
      '/v1/workspaces/{ws}/changes': {
        post: {
          ...secured,
          summary: 'Push record changes (idempotent; the whole push is refused if a stamp is too far ahead)',
          operationId: 'push',
          parameters: [wsParam, protocolParam],
          requestBody: { required: true, content: json('PushBody') },
          responses: {
            '200': ok('已保存', 'PushResult'),
            '409': err('STAMP_AHEAD：修改时间戳超前服务器时间过多，整批未保存'),
            ...commonErrors,
          },
        },
        get: {
          ...secured,
          summary: 'Pull changes after a server sequence number; a page never splits a transaction',
          operationId: 'pull',
          parameters: [
            wsParam,
            uintQuery('since', '上次拉取得到的 next（默认 0）'),
            uintQuery(
              'limit',
              `每页条数（默认 ${PULL_PAGE}，最多 ${MAX_PULL_PAGE}；为保证事务完整，页可以更长）`,
              {
                minimum: 1,
                maximum: MAX_PULL_PAGE,
              },
            ),
            {
              name: 'exclude',
              in: 'query',
              required: false,
              description: '跳过该节点推送的修改',
              schema: { type: 'string' },
            },
            {
              name: 'format',
              in: 'query',
              required: false,
              description: `${PULL_FORMAT_COMPACT}：紧凑格式（PullResultCompact，连续修改共用的节点、事务、时间、操作人和记录只写一次）；省略时为 PullResult`,
              schema: { type: 'string', enum: [PULL_FORMAT_COMPACT] },
            },
            protocolParam,
          ],
          responses: {
            '200': {
              description: '一页修改（format=compact 时为 PullResultCompact）',
              content: {
                'application/json': { schema: { oneOf: [ref('PullResult'), ref('PullResultCompact')] } },
              },
            },
            ...commonErrors,
          },
        },
      },
      '/v1/workspaces/{ws}/docs': {
        get: {
          ...secured,
          summary: 'Documents changed after a document sequence number',
          operationId: 'listDocs',
          parameters: [wsParam, uintQuery('since', '上次得到的 next（默认 0）'), protocolParam],
          responses: { '200': ok('有变化的文档', 'DocList'), ...commonErrors },
        },
      },
      '/v1/workspaces/{ws}/docs/{docId}/sync': {
        post: {
          ...secured,
          summary: 'Merge the client’s Yjs update and answer what the client lacks by its state vector',
          operationId: 'syncDoc',
          parameters: [
            wsParam,
            {
              name: 'docId',
              in: 'path',
              required: true,
              schema: { type: 'string', minLength: 1, maxLength: 128 },
            },
            protocolParam,
          ],
          requestBody: { required: true, content: json('DocSyncBody') },
          responses: { '200': ok('客户端缺少的内容与服务器状态向量', 'DocSyncResult'), ...commonErrors },
        },
      },
      '/v1/workspaces/{ws}/blobs/{sha256}': {
        head: {
          ...secured,
          summary:
            'Whether the workspace has the blob (200 + content-length) or how much of an upload (404 + upload-offset)',
          operationId: 'headBlob',
          parameters: [wsParam, shaParam, protocolParam],
          responses: {
            '200': {
              description: '完整的附件',
              headers: { 'content-length': { schema: { type: 'integer' } } },
            },
            '404': {
              description: '没有完整的附件；upload-offset 为已收到的字节数（0 表示没有）',
              headers: { 'upload-offset': { schema: { type: 'integer' } } },
            },
            '401': { description: '访问令牌无效' },
            '403': { description: '不是该工作区的成员' },
          },
        },
        put: {
          ...secured,
          summary:
            'Append a chunk at ?offset of an upload of ?size bytes; the last chunk completes it (hash checked)',
          operationId: 'putBlob',
          parameters: [
            wsParam,
            shaParam,
            { ...uintQuery('offset', '本块的起始字节（必须等于服务器已收到的字节数）'), required: true },
            { ...uintQuery('size', '附件总字节数'), required: true },
            protocolParam,
          ],
          requestBody: {
            required: true,
            content: {
              'application/octet-stream': {
                schema: { type: 'string', contentMediaType: 'application/octet-stream' },
              },
            },
          },
          responses: {
            '200': ok('已收到（complete 表示已完整并通过校验）', 'BlobPutResult'),
            '409': {
              description: '起始位置与服务器已收到的字节数不一致（见 upload-offset）',
              headers: { 'upload-offset': { schema: { type: 'integer' } } },
              content: json('ErrorBody'),
            },
            '422': err('HASH_MISMATCH：内容与 sha256 不符，上传已丢弃'),
            ...commonErrors,
          },
        },
        get: {
          ...secured,
          summary: 'Download a blob',
          operationId: 'getBlob',
          parameters: [wsParam, shaParam, protocolParam],
          responses: {
            '200': { description: '附件内容', content: { 'application/octet-stream': {} } },
            '404': err('该工作区没有这个附件'),
            ...commonErrors,
          },
        },
      },
    },
  };
}
