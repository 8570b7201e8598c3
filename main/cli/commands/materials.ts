import {
  MATERIAL_STATUS_LABEL,
  MATERIAL_TYPE_LABEL,
  MATERIAL_TYPES,
  type Material,
} from '../../core/contract/index';
import { CommandError, UsageError } from '../errors';
import { formatTable } from '../io';
import { splitList } from '../labels';
import { FORCE_OPTION, outOption, outputFile, writtenLine } from '../output';
import { defineCommand } from '../registry';

type MaterialType = (typeof MATERIAL_TYPES)[number];

const DIR = { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' } as const;
const TYPE_CHOICES_TEXT = MATERIAL_TYPES.map((t) => `${t}（${MATERIAL_TYPE_LABEL[t]}）`).join('、');

/** A material type given as code (implementation_plan) or Chinese label (实施方案); null if unknown. */
export function parseMaterialType(v: string): MaterialType | null {
  const t = v.trim();
  return MATERIAL_TYPES.find((x) => x === t.toLowerCase() || MATERIAL_TYPE_LABEL[x] === t) ?? null;
}

/** Finds the material a user means by id, exact title, or a unique part of a title. */
export function resolveMaterial(materials: Material[], query: string): Material {
  const q = query.trim();
  const exact = materials.filter((m) => m.id === q || m.title === q);
  if (exact.length === 1 && exact[0]) return exact[0];
  const candidates = exact.length > 1 ? exact : materials.filter((m) => m.title.includes(q));
  if (candidates.length === 1 && candidates[0]) return candidates[0];
  if (candidates.length === 0)
    throw new CommandError(
      `找不到材料「${query}」。可用 materials list 查看材料的编号（id）和标题。`,
      'NOT_FOUND',
    );
  const shown = candidates
    .slice(0, 8)
    .map((m) => `「${m.title}」（${m.id}）`)
    .join('、');
  throw new CommandError(
    `「${query}」对应多份材料：${shown}${candidates.length > 8 ? ` 等 ${candidates.length} 份` : ''}。请写完整标题或使用 id。`,
    'BAD_INPUT',
  );
}

const shortTime = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export const materialsListCommand = defineCommand({
  name: 'materials list',
  summary: '列出材料文档，可按类型筛选、按标题和全文查找',
  description:
    '查找范围包括标题、标签和正文全文，两个字的中文词也能找到。--json 输出材料数组（含 id、关联指标和任务）。',
  options: {
    dir: DIR,
    type: {
      type: 'string',
      multiple: true,
      value: '<类型>',
      description: `材料类型，代码或中文均可：${TYPE_CHOICES_TEXT}`,
    },
    search: { type: 'string', value: '<文字>', description: '在标题、标签和正文中查找' },
  },
  examples: [
    'materials list --dir ./琼海创建',
    'materials list --dir ./琼海创建 --type 实施方案,会议纪要 --search 双公示',
    'materials list --dir ./琼海创建 --json',
  ],
  async run(ctx, o) {
    const types: MaterialType[] = [];
    for (const v of splitList(o.type)) {
      const t = parseMaterialType(v);
      if (!t)
        throw new UsageError(`选项 --type 的值「${v}」无效，可选：${TYPE_CHOICES_TEXT}`, 'materials list');
      if (!types.includes(t)) types.push(t);
    }
    await ctx.openWorkspace(o.dir);
    const list = await ctx.call('materials.list', {
      ...(types.length ? { types } : {}),
      ...(o.search !== undefined && o.search.trim() !== '' ? { search: o.search } : {}),
    });
    ctx.result(list, (rows) => {
      if (rows.length === 0) return '没有符合条件的材料。\n';
      return (
        formatTable(
          ['id', '类型', '状态', '字数', '修改时间', '标题'],
          rows.map((m) => [
            m.id,
            MATERIAL_TYPE_LABEL[m.type],
            MATERIAL_STATUS_LABEL[m.status],
            String(m.chars),
            shortTime(m.updatedAt),
            m.title,
          ]),
        ) + `\n共 ${rows.length} 份材料。\n`
      );
    });
  },
});

export const materialsExportCommand = defineCommand({
  name: 'materials export',
  summary: '把一份材料导出为 Word 文档（.docx），版式为 GB/T 9704 公文格式',
  description:
    '材料标题作为文档标题；各级标题自动编号（一、（一）1.（1）），正文首行缩进两字，表格、图片、分页照原样导出。图片文件不在本机时，在原位置写明“图片缺失”。',
  options: {
    dir: DIR,
    id: {
      type: 'string',
      required: true,
      value: '<id|标题>',
      description: '材料的 id（见 materials list），或完整标题，或标题中唯一的一段',
    },
    out: outOption('docx', './实施方案.docx'),
    force: FORCE_OPTION,
  },
  examples: [
    'materials export --dir ./琼海创建 --id 实施方案 --out ./实施方案.docx',
    'materials export --dir ./琼海创建 --id 0190a1b2-… --out ./材料.docx --force --json',
  ],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const material = resolveMaterial(await ctx.call('materials.list', {}), o.id);
    const file = outputFile(ctx, o.out, o.force);
    const written = await ctx.call('materials.export', { id: material.id, file });
    ctx.result({ ...written, id: material.id, title: material.title }, (r) =>
      [`已导出《${r.title}》\n`, writtenLine(r)].join(''),
    );
  },
});
