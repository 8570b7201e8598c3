import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { TemplateInfo } from '../contract/workspace';
import { AppError } from '../util/errors';
import {
  TemplateDepartments,
  TemplateIndicators,
  TemplateMeta,
  TemplateTasks,
  type LoadedTemplate,
} from './template-schema';

function describePath(p: readonly PropertyKey[], data: unknown): string {
  const parts: string[] = [];
  let cur: unknown = data;
  for (const seg of p) {
    if (typeof seg === 'number') {
      const item = Array.isArray(cur) ? (cur[seg] as Record<string, unknown> | undefined) : undefined;
      const tag = item && typeof item === 'object' ? (item.code ?? item.key ?? item.name) : undefined;
      parts.push(`第 ${seg + 1} 项${typeof tag === 'string' ? `（${tag}）` : ''}`);
    } else {
      parts.push(`字段「${String(seg)}」`);
    }
    cur = cur && typeof cur === 'object' ? (cur as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  return parts.join(' ');
}

function readJson<S extends z.ZodType>(dir: string, file: string, schema: S): z.output<S> {
  const full = path.join(dir, file);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(full, 'utf8'));
  } catch (e) {
    const why =
      (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? '文件不存在'
        : `不是有效的 JSON（${(e as Error).message}）`;
    throw new AppError('TEMPLATE_INVALID', `模板文件 ${file} ${why}。`, { file: full });
  }
  const r = schema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue ? describePath(issue.path, data) : '';
    throw new AppError(
      'TEMPLATE_INVALID',
      `模板文件 ${file} ${where ? where + '：' : ''}${issue?.message ?? '格式不正确'}`,
      { file: full, path: issue?.path.map(String) ?? [] },
    );
  }
  return r.data;
}

function fail(file: string, msg: string): never {
  throw new AppError('TEMPLATE_INVALID', `模板文件 ${file} ${msg}`, { file });
}

/** Loads and validates a template folder, including every cross-file reference. */
export function loadTemplate(dir: string): LoadedTemplate {
  const meta = readJson(dir, 'template.json', TemplateMeta);
  if (meta.id !== path.basename(dir)) {
    fail('template.json', `字段「id」：「${meta.id}」应与模板文件夹名「${path.basename(dir)}」一致。`);
  }
  const departments = readJson(dir, 'departments.json', TemplateDepartments);
  const indicators = readJson(dir, 'indicators.json', TemplateIndicators);
  const tasks = readJson(dir, 'tasks.json', TemplateTasks);

  const deptKeys = new Set<string>();
  departments.forEach((d, i) => {
    if (deptKeys.has(d.key))
      fail('departments.json', `第 ${i + 1} 项（${d.name}）字段「key」：key「${d.key}」重复。`);
    deptKeys.add(d.key);
  });
  const indKeys = new Set<string>();
  const kindOf = new Map<string, string>();
  indicators.items.forEach((it, i) => {
    if (indKeys.has(it.key))
      fail('indicators.json', `第 ${i + 1} 项（${it.code}）字段「key」：key「${it.key}」重复。`);
    if (it.parent && !indKeys.has(it.parent)) {
      fail(
        'indicators.json',
        `第 ${i + 1} 项（${it.code}）字段「parent」：上级指标「${it.parent}」须先于本项出现。`,
      );
    }
    for (const o of it.owners) {
      if (!deptKeys.has(o))
        fail('indicators.json', `第 ${i + 1} 项（${it.code}）字段「owners」：找不到单位「${o}」。`);
    }
    const titles = new Set<string>();
    for (const e of it.evidence) {
      if (titles.has(e))
        fail('indicators.json', `第 ${i + 1} 项（${it.code}）字段「evidence」：「${e}」重复。`);
      titles.add(e);
    }
    if (it.parent && kindOf.get(it.parent) !== 'category') {
      fail(
        'indicators.json',
        `第 ${i + 1} 项（${it.code}）字段「parent」：上级指标「${it.parent}」不是类别（category）。`,
      );
    }
    if ((it.kind === 'scored' || it.kind === 'bonus') && it.points === undefined) {
      fail('indicators.json', `第 ${i + 1} 项（${it.code}）字段「points」：评分指标和加分项须有分值。`);
    }
    indKeys.add(it.key);
    kindOf.set(it.key, it.kind);
  });
  const items = indicators.items;
  for (const cat of items) {
    const kids = items.filter((k) => k.parent === cat.key);
    if (cat.kind !== 'category' || cat.points === undefined || kids.length === 0) continue;
    const sum = kids.reduce((a, k) => a + (k.points ?? 0), 0);
    if (Math.abs(sum - cat.points) > 1e-6)
      fail('indicators.json', `类别「${cat.code}」的 points ${cat.points} 与下级分值之和 ${sum} 不一致。`);
  }
  for (const [kind, total] of [
    ['scored', indicators.scoredTotal],
    ['bonus', indicators.bonusTotal],
  ] as const) {
    if (total === undefined) continue;
    const sum = items.filter((k) => k.kind === kind).reduce((a, k) => a + (k.points ?? 0), 0);
    if (Math.abs(sum - total) > 1e-6)
      fail('indicators.json', `字段「${kind}Total」：${total} 与 ${kind} 指标分值之和 ${sum} 不一致。`);
  }
  const codes = new Set<string>();
  tasks.forEach((t, i) => {
    const at = `第 ${i + 1} 项（${t.code}）`;
    if (codes.has(t.code)) fail('tasks.json', `${at}字段「code」：编号重复。`);
    codes.add(t.code);
    if (!deptKeys.has(t.lead)) fail('tasks.json', `${at}字段「lead」：找不到单位「${t.lead}」。`);
    for (const c of t.coop)
      if (!deptKeys.has(c)) fail('tasks.json', `${at}字段「coop」：找不到单位「${c}」。`);
    for (const k of t.indicators) {
      if (!indKeys.has(k)) fail('tasks.json', `${at}字段「indicators」：找不到指标「${k}」。`);
    }
    if (t.dueMonth > meta.periodMonths) {
      fail(
        'tasks.json',
        `${at}字段「dueMonth」：第 ${t.dueMonth} 个月超出创建周期（${meta.periodMonths} 个月）。`,
      );
    }
  });
  return { dir, meta, departments, indicators, tasks };
}

export function listTemplates(templatesDir: string): TemplateInfo[] {
  if (!fs.existsSync(templatesDir)) return [];
  return fs
    .readdirSync(templatesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = path.join(templatesDir, d.name);
      try {
        const t = loadTemplate(dir);
        return {
          id: t.meta.id,
          name: t.meta.name,
          city: t.meta.city,
          adminCode: t.meta.adminCode,
          description: t.meta.description,
          counts: {
            departments: t.departments.length,
            indicators: t.indicators.items.length,
            tasks: t.tasks.length,
          },
          error: null,
        };
      } catch (e) {
        return {
          id: d.name,
          name: d.name,
          city: '',
          adminCode: '',
          description: '',
          counts: { departments: 0, indicators: 0, tasks: 0 },
          error: (e as Error).message,
        };
      }
    });
}
