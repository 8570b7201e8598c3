/**
 * The materials library (材料文档): typed records (工作要点, 实施方案 … 自评报告) with a status
 * 草稿 → 待审 → 定稿, an owner, tags, links to indicators and tasks and evidence attachments;
 * the content is a Yjs document (main/core/docs). Search covers the title, the tags and the full
 * text with substring matching, so two-character Chinese words are found.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { MATERIAL_STATUS_LABEL, MATERIAL_TRANSITIONS, MATERIAL_ACTION_LABEL } from '../contract/labels';
import type { Material, MaterialFilter, MaterialInput, MaterialTemplate } from '../contract/materials';
import { escapeLike } from '../departments/departments';
import { checkLinkRefs, syncLinks } from '../records/links';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';
import { jsonToUpdate, replaceDocContent, type PmNode } from '../docs/pm';
import { appendUpdate, docJson, flushAllText, initDoc, loadDoc } from '../docs/store';

type In = z.output<typeof MaterialInput>;
type Filter = z.output<typeof MaterialFilter>;

interface Row {
  id: string;
  title: string;
  type: Material['type'];
  status: Material['status'];
  owner_id: string | null;
  owner_name: string | null;
  tags: string;
  template_id: string | null;
  inds: string;
  tasks: string;
  attachment_count: number;
  version_count: number;
  text: string | null;
  created_at: string;
  updated_at: string;
}

const SELECT = `
  SELECT m.id, m.title, m.type, m.status, m.owner_id, s.name AS owner_name, m.tags, m.template_id,
    (SELECT json_group_array(x.indicator_id) FROM material_indicators x WHERE x.material_id = m.id AND x.deleted = 0) AS inds,
    (SELECT json_group_array(x.task_id) FROM material_tasks x WHERE x.material_id = m.id AND x.deleted = 0) AS tasks,
    (SELECT COUNT(*) FROM attachments a WHERE a.owner_type = 'material' AND a.owner_id = m.id AND a.deleted = 0) AS attachment_count,
    (SELECT COUNT(*) FROM doc_versions v WHERE v.doc_id = m.id AND v.deleted = 0) AS version_count,
    t.text, m.created_at, m.updated_at
  FROM materials m LEFT JOIN staff s ON s.id = m.owner_id LEFT JOIN doc_text t ON t.doc_id = m.id`;

function excerpt(text: string | null, search?: string): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!flat) return '';
  const at = search ? flat.indexOf(search) : -1;
  if (at < 0) return flat.slice(0, 120);
  const start = Math.max(0, at - 40);
  return `${start > 0 ? '…' : ''}${flat.slice(start, at + search!.length + 80)}`;
}

function toMaterial(r: Row, search?: string): Material {
  return {
    id: r.id,
    title: r.title,
    type: r.type,
    status: r.status,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    tags: JSON.parse(r.tags) as string[],
    templateId: r.template_id,
    indicatorIds: JSON.parse(r.inds) as string[],
    taskIds: JSON.parse(r.tasks) as string[],
    attachmentCount: r.attachment_count,
    versionCount: r.version_count,
    chars: (r.text ?? '').replace(/\s/g, '').length,
    excerpt: excerpt(r.text, search),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function listMaterials(ws: Workspace, f: Filter): Material[] {
  flushAllText(ws);
  const where = ['m.deleted = 0'];
  const params: unknown[] = [];
  if (f.types?.length) {
    where.push(`m.type IN (${f.types.map(() => '?').join(', ')})`);
    params.push(...f.types);
  }
  if (f.statuses?.length) {
    where.push(`m.status IN (${f.statuses.map(() => '?').join(', ')})`);
    params.push(...f.statuses);
  }
  if (f.indicatorId) {
    where.push(
      'EXISTS (SELECT 1 FROM material_indicators x WHERE x.material_id = m.id AND x.deleted = 0 AND x.indicator_id = ?)',
    );
    params.push(f.indicatorId);
  }
  if (f.taskId) {
    where.push(
      'EXISTS (SELECT 1 FROM material_tasks x WHERE x.material_id = m.id AND x.deleted = 0 AND x.task_id = ?)',
    );
    params.push(f.taskId);
  }
  if (f.search) {
    const like = `%${escapeLike(f.search)}%`;
    where.push("(m.title LIKE ? ESCAPE '\\' OR m.tags LIKE ? ESCAPE '\\' OR t.text LIKE ? ESCAPE '\\')");
    params.push(like, like, like);
  }
  const rows = ws.db
    .prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY m.updated_at DESC`)
    .all(...params) as Row[];
  return rows.map((r) => toMaterial(r, f.search));
}

export function getMaterial(ws: Workspace, id: string): Material {
  flushAllText(ws);
  const r = ws.db.prepare(`${SELECT} WHERE m.id = ? AND m.deleted = 0`).get(id) as Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该材料不存在或已被删除。');
  return toMaterial(r);
}

function checkRefs(ws: Workspace, input: Partial<In>): void {
  if (
    input.ownerId &&
    !ws.db.prepare('SELECT 1 FROM staff WHERE id = ? AND deleted = 0').get(input.ownerId)
  ) {
    throw new AppError('BAD_INPUT', '所选负责人不存在。', { field: 'ownerId' });
  }
  checkLinkRefs(ws, input);
}

// ---------- templates ----------

interface TemplateFile {
  id: string;
  name: string;
  type: Material['type'];
  description?: string;
  content: PmNode;
}

export function builtinTemplates(resourcesDir: string): TemplateFile[] {
  const dir = path.join(resourcesDir, 'material-templates');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const t = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as TemplateFile;
      return { ...t, id: `builtin:${t.id}` };
    });
}

export function listTemplates(ws: Workspace, resourcesDir: string): MaterialTemplate[] {
  const user = ws.db
    .prepare('SELECT id, name, type, description FROM material_templates WHERE deleted = 0 ORDER BY name')
    .all() as { id: string; name: string; type: Material['type']; description: string | null }[];
  return [
    ...builtinTemplates(resourcesDir).map((t) => ({
      id: t.id,
      name: t.name,
      type: t.type,
      description: t.description ?? null,
      builtin: true,
    })),
    ...user.map((t) => ({ ...t, builtin: false })),
  ];
}

/** A template's content with {{城市}}-style placeholders filled from the workspace settings. */
export function templateContent(ws: Workspace, resourcesDir: string, templateId: string): PmNode {
  let content: PmNode | undefined;
  if (templateId.startsWith('builtin:'))
    content = builtinTemplates(resourcesDir).find((t) => t.id === templateId)?.content;
  else {
    const row = ws.db
      .prepare('SELECT content FROM material_templates WHERE id = ? AND deleted = 0')
      .get(templateId) as { content: string } | undefined;
    if (row) content = JSON.parse(row.content) as PmNode;
  }
  if (!content) throw new AppError('NOT_FOUND', `找不到模板「${templateId}」。`);
  const s = ws.db.prepare('SELECT city, campaign_name FROM workspace WHERE id = ?').get(ws.id) as {
    city: string;
    campaign_name: string;
  };
  const year = String(new Date().getFullYear());
  return JSON.parse(
    JSON.stringify(content)
      .replaceAll('{{城市}}', s.city)
      .replaceAll('{{创建活动}}', s.campaign_name)
      .replaceAll('{{年份}}', year),
  ) as PmNode;
}

export function saveTemplate(
  ws: Workspace,
  materialId: string,
  name: string,
  description: string | null,
): MaterialTemplate {
  const m = getMaterial(ws, materialId);
  const content = docJson(ws, materialId);
  const { value: id } = ws.writer.transact(ws.actor(), (tx) =>
    tx.insert('material_template', { name, type: m.type, description, content }),
  );
  return { id, name, type: m.type, description, builtin: false };
}

export function deleteTemplate(ws: Workspace, id: string): void {
  if (id.startsWith('builtin:')) throw new AppError('BAD_INPUT', '内置模板不能删除。');
  if (!ws.db.prepare('SELECT 1 FROM material_templates WHERE id = ? AND deleted = 0').get(id)) {
    throw new AppError('NOT_FOUND', '该模板不存在或已被删除。');
  }
  ws.writer.transact(ws.actor(), (tx) => {
    tx.remove('material_template', id);
  });
}

// ---------- records ----------

export function createMaterial(ws: Workspace, resourcesDir: string, input: In, now: Date): Material {
  checkRefs(ws, input);
  const content: PmNode = input.templateId
    ? templateContent(ws, resourcesDir, input.templateId)
    : { type: 'doc', content: [{ type: 'paragraph' }] };
  const { value: id } = ws.writer.transact(ws.actor(), (tx) => {
    const mid = tx.insert('material', {
      title: input.title,
      type: input.type,
      status: 'draft',
      owner_id: input.ownerId ?? ws.actor().id,
      tags: input.tags,
      template_id: input.templateId,
    });
    syncLinks(ws, tx, 'material_indicator', mid, input.indicatorIds);
    syncLinks(ws, tx, 'material_task', mid, input.taskIds);
    return mid;
  });
  initDoc(ws, id, jsonToUpdate(content), now.toISOString());
  return getMaterial(ws, id);
}

export function updateMaterial(ws: Workspace, id: string, patch: Partial<In>): Material {
  getMaterial(ws, id);
  checkRefs(ws, patch);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.update('material', id, {
      title: patch.title,
      type: patch.type,
      owner_id: patch.ownerId,
      tags: patch.tags,
    });
    if (patch.indicatorIds) syncLinks(ws, tx, 'material_indicator', id, patch.indicatorIds);
    if (patch.taskIds) syncLinks(ws, tx, 'material_task', id, patch.taskIds);
  });
  return getMaterial(ws, id);
}

export function transitionMaterial(
  ws: Workspace,
  id: string,
  action: keyof typeof MATERIAL_TRANSITIONS,
): Material {
  const m = getMaterial(ws, id);
  const rule = MATERIAL_TRANSITIONS[action];
  if (!rule.from.includes(m.status)) {
    throw new AppError(
      'CONFLICT',
      `「${m.title}」当前为「${MATERIAL_STATUS_LABEL[m.status]}」，不能${MATERIAL_ACTION_LABEL[action]}。`,
    );
  }
  ws.writer.transact(ws.actor(), (tx) => tx.update('material', id, { status: rule.to }));
  return getMaterial(ws, id);
}

export function deleteMaterial(ws: Workspace, id: string): void {
  getMaterial(ws, id);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.remove('material', id);
  });
}

/**
 * Replaces a document's content with `json` as a NEW change (the history keeps the old content):
 * used to restore a version. Returns the Yjs update so an open editor can apply it.
 */
export function replaceContent(
  ws: Workspace,
  docId: string,
  json: PmNode,
  at: string,
  actorId: string | null,
): Uint8Array {
  const { doc } = loadDoc(ws, docId);
  const update = replaceDocContent(doc, json);
  doc.destroy();
  appendUpdate(ws, docId, update, at, actorId);
  return update;
}
