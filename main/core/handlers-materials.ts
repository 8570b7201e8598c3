/** Handlers of materials, their Yjs documents, versions, templates, images and indicator self-assessment. */
import fs from 'node:fs';
import path from 'node:path';
import type { CoreContext } from './core';
import type { Handlers } from './handlers';
import { uploadFile } from './blobs/attachments';
import { putFile, readBlob } from './blobs/blobs';
import { ensureBlob } from './sync/lazy';
import { appendUpdate, docJson, docState } from './docs/store';
import { listVersions, restoreVersion, saveVersion, versionJson } from './docs/versions';
import {
  createMaterial,
  deleteMaterial,
  deleteTemplate,
  getMaterial,
  listMaterials,
  listTemplates,
  saveTemplate,
  transitionMaterial,
  updateMaterial,
} from './materials/materials';
import { AppError } from './util/errors';

type MaterialCommand =
  | 'materials.list'
  | 'materials.get'
  | 'materials.create'
  | 'materials.update'
  | 'materials.transition'
  | 'materials.delete'
  | 'materials.templates'
  | 'materials.saveTemplate'
  | 'materials.deleteTemplate'
  | 'docs.load'
  | 'docs.push'
  | 'docs.json'
  | 'docs.versions'
  | 'docs.saveVersion'
  | 'docs.versionJson'
  | 'docs.restoreVersion'
  | 'docs.putImage'
  | 'docs.image';

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** PNG/JPEG pixel size from the header (0 × 0 when unknown). */
function imageSize(data: Buffer): { width: number; height: number } {
  if (data.length > 24 && data.readUInt32BE(0) === 0x89504e47) {
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data.length > 4 && data[0] === 0xff && data[1] === 0xd8) {
    let i = 2;
    while (i + 9 < data.length) {
      if (data[i] !== 0xff) break;
      const marker = data[i + 1] ?? 0;
      const len = data.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: data.readUInt16BE(i + 5), width: data.readUInt16BE(i + 7) };
      }
      i += 2 + len;
    }
  }
  return { width: 0, height: 0 };
}

export function buildMaterialHandlers(ctx: CoreContext): Pick<Handlers, MaterialCommand> {
  const now = () => ctx.clock();
  return {
    'materials.list': (input) => listMaterials(ctx.requireWs(), input),
    'materials.get': (input) => getMaterial(ctx.requireWs(), input.id),
    'materials.create': (input) => createMaterial(ctx.requireWs(), ctx.resourcesDir, input, now()),
    'materials.update': (input) => updateMaterial(ctx.requireWs(), input.id, input.patch),
    'materials.transition': (input) => transitionMaterial(ctx.requireWs(), input.id, input.action),
    'materials.delete': (input) => {
      deleteMaterial(ctx.requireWs(), input.id);
      return { ok: true as const };
    },
    'materials.templates': () => listTemplates(ctx.requireWs(), ctx.resourcesDir),
    'materials.saveTemplate': (input) =>
      saveTemplate(ctx.requireWs(), input.materialId, input.name, input.description),
    'materials.deleteTemplate': (input) => {
      deleteTemplate(ctx.requireWs(), input.id);
      return { ok: true as const };
    },

    'docs.load': (input) => {
      const ws = ctx.requireWs();
      getMaterial(ws, input.docId);
      const { update, problems } = docState(ws, input.docId);
      return { update: Buffer.from(update).toString('base64'), problems };
    },
    'docs.push': (input) => {
      const ws = ctx.requireWs();
      const update = Buffer.from(input.update, 'base64');
      appendUpdate(ws, input.docId, new Uint8Array(update), now().toISOString(), ws.actor().id);
      // the material's "last changed" follows its content
      ws.db.prepare('UPDATE materials SET updated_at = ? WHERE id = ?').run(now().toISOString(), input.docId);
      return { ok: true as const };
    },
    'docs.json': (input) => ({ json: docJson(ctx.requireWs(), input.docId) }),
    'docs.versions': (input) => listVersions(ctx.requireWs(), input.docId),
    'docs.saveVersion': (input) => saveVersion(ctx.requireWs(), input.docId, input.name),
    'docs.versionJson': (input) => ({ json: versionJson(ctx.requireWs(), input.versionId) }),
    'docs.restoreVersion': (input) => {
      const r = restoreVersion(ctx.requireWs(), input.versionId, now());
      return { update: Buffer.from(r.update).toString('base64'), backup: r.backup };
    },
    'docs.putImage': (input) => {
      const ws = ctx.requireWs();
      const src = input.uploadId ? uploadFile(ctx.dataDir, input.uploadId) : (input.path ?? '');
      if (!fs.existsSync(src)) throw new AppError('NOT_FOUND', '图片文件已过期或不存在，请重新插入。');
      const size = fs.statSync(src).size;
      if (size > MAX_IMAGE_BYTES) {
        throw new AppError(
          'BAD_INPUT',
          `图片有 ${(size / 1048576).toFixed(1)} MB，超过 10 MB 上限，请压缩后再插入。`,
        );
      }
      const head = fs.readFileSync(src);
      const dims = imageSize(head);
      if (dims.width === 0)
        throw new AppError('BAD_INPUT', `「${path.basename(input.name ?? src)}」不是 PNG 或 JPEG 图片。`);
      const { sha256 } = putFile(ws.dir, src);
      if (input.uploadId) fs.rmSync(src, { force: true });
      return { sha256, ...dims };
    },
    'docs.image': async (input) => {
      const ws = ctx.requireWs();
      await ensureBlob(ctx, ws, input.sha256);
      const data = readBlob(ws.dir, input.sha256);
      const png = data.length > 4 && data.readUInt32BE(0) === 0x89504e47;
      return { mime: png ? 'image/png' : 'image/jpeg', base64: data.toString('base64') };
    },
  };
}
