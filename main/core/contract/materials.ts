/** Contract schemas of materials (材料文档), their Yjs documents, versions, templates and indicator self-assessment. */
import { z } from 'zod';
import { Id, NonEmpty, OptionalText } from './common';
import { INDICATOR_STATUSES, MATERIAL_ACTIONS, MATERIAL_STATUSES, MATERIAL_TYPES } from './labels';

export const MaterialType = z.enum(MATERIAL_TYPES);
export const MaterialStatus = z.enum(MATERIAL_STATUSES);
export const MaterialAction = z.enum(MATERIAL_ACTIONS);

export const Material = z.object({
  id: Id,
  title: z.string(),
  type: MaterialType,
  status: MaterialStatus,
  ownerId: Id.nullable(),
  ownerName: z.string().nullable(),
  tags: z.array(z.string()),
  templateId: z.string().nullable(),
  indicatorIds: z.array(Id),
  taskIds: z.array(Id),
  attachmentCount: z.number(),
  versionCount: z.number(),
  /** Characters of text in the document. */
  chars: z.number(),
  /** The start of the text, or the part around the search hit. */
  excerpt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Material = z.infer<typeof Material>;

const MaterialFields = z.object({
  title: NonEmpty('标题', 200),
  type: MaterialType,
  ownerId: Id.nullable(),
  tags: z.array(z.string().trim().min(1).max(40)).max(30),
  indicatorIds: z.array(Id).max(200),
  taskIds: z.array(Id).max(500),
});
export const MaterialInput = MaterialFields.extend({
  ownerId: MaterialFields.shape.ownerId.default(null),
  tags: MaterialFields.shape.tags.default([]),
  indicatorIds: MaterialFields.shape.indicatorIds.default([]),
  taskIds: MaterialFields.shape.taskIds.default([]),
  /** A bundled template id (builtin:…) or a saved template's id; null for a blank document. */
  templateId: z.string().max(100).nullable().default(null),
});
export const MaterialPatch = MaterialFields.partial();

export const MaterialFilter = z.object({
  types: z.array(MaterialType).optional(),
  statuses: z.array(MaterialStatus).optional(),
  /** Title, tags and the full text; finds two-character Chinese words. */
  search: z.string().trim().max(100).optional(),
  indicatorId: Id.optional(),
  taskId: Id.optional(),
});

export const MaterialTemplate = z.object({
  id: z.string(),
  name: z.string(),
  type: MaterialType,
  description: z.string().nullable(),
  builtin: z.boolean(),
});
export type MaterialTemplate = z.infer<typeof MaterialTemplate>;

/** A Yjs update, base64 encoded. */
export const UpdateB64 = z.string().max(24_000_000, '修改内容过大');

export const DocVersion = z.object({
  id: Id,
  docId: Id,
  name: z.string(),
  author: z.string(),
  chars: z.number(),
  createdAt: z.string(),
});
export type DocVersion = z.infer<typeof DocVersion>;

/** ProseMirror JSON, as the editor (TipTap) and the core exchange it. */
export interface PmMarkJson {
  type: string;
  attrs?: Record<string, unknown>;
}
export interface PmNodeJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PmNodeJson[];
  text?: string;
  marks?: PmMarkJson[];
}
export const PmJson: z.ZodType<PmNodeJson> = z.lazy(() =>
  z.object({
    type: z.string(),
    attrs: z.record(z.string(), z.unknown()).optional(),
    content: z.array(PmJson).optional(),
    text: z.string().optional(),
    marks: z
      .array(z.object({ type: z.string(), attrs: z.record(z.string(), z.unknown()).optional() }))
      .optional(),
  }),
);

export const IndicatorAssessmentPatch = z.object({
  status: z.enum(INDICATOR_STATUSES).optional(),
  selfScore: z.number().min(0, '自评分不能小于 0').max(1000).nullable().optional(),
  scoreNote: OptionalText('自评理由', 5000).optional(),
  narrative: OptionalText('自评说明', 50000).optional(),
});

export const ImageRef = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  width: z.number(),
  height: z.number(),
});
