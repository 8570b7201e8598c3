/**
 * The bundled material templates (resources/material-templates/*.json): well-formed ProseMirror
 * JSON of the node types the editor stores, headings without hand-written numbers (the app numbers
 * them 一、（一）1.（1）), only the three placeholders the core fills in, the 12 basic indicators of
 * seed item 7 verbatim in the self-assessment, and creating a material from each through the core.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MATERIAL_TYPE_LABEL } from '../../main/core/contract/labels';
import type { PmNodeJson } from '../../main/core/contract/materials';
import { REPO_ROOT, RESOURCES_DIR, call, coreWithWorkspace } from '../helpers/core';

const DIR = path.join(RESOURCES_DIR, 'material-templates');
const SEED_FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'seed-000-item7.txt');

/** The templates this test expects to be bundled, by file. */
const EXPECTED: Record<string, { id: string; name: string; type: keyof typeof MATERIAL_TYPE_LABEL }> = {
  'implementation-plan.json': {
    id: 'implementation-plan',
    name: '示范区创建实施方案',
    type: 'implementation_plan',
  },
  'work-points.json': { id: 'work-points', name: '社会信用体系建设工作要点', type: 'work_points' },
  'meeting-minutes.json': { id: 'meeting-minutes', name: '会议纪要', type: 'meeting_minutes' },
  'clarification-report.json': {
    id: 'clarification-report',
    name: '评审反馈问题澄清报告',
    type: 'clarification',
  },
  'self-assessment.json': { id: 'self-assessment', name: '自评报告（框架）', type: 'self_assessment' },
};

const PLACEHOLDERS = ['{{城市}}', '{{创建活动}}', '{{年份}}'];

interface TemplateFile {
  id: string;
  name: string;
  type: string;
  description: string;
  content: PmNodeJson;
}

function files(): string[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

function raw(file: string): string {
  return fs.readFileSync(path.join(DIR, file), 'utf8');
}

function load(file: string): TemplateFile {
  return JSON.parse(raw(file)) as TemplateFile;
}

// ---------- a small validator of the editor's document structure ----------

const BLOCKS = ['heading', 'paragraph', 'bulletList', 'orderedList', 'table'];
const CELL_ATTRS = ['colspan', 'colwidth', 'rowspan'];
/** Heading text that starts with a hand-written number: 一、 （一） 1. 1、 （1） 第一 … */
const NUMBERED =
  /^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d+\s*[、.．]|第[一二三四五六七八九十\d]+[章节部分条])/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Problems of a document as "path: message" lines; empty when the document is valid. */
function validateDoc(doc: unknown): string[] {
  const errors: string[] = [];
  const fail = (at: string, msg: string) => errors.push(`${at}: ${msg}`);

  const keysOnly = (n: Record<string, unknown>, at: string, allowed: string[]) => {
    for (const k of Object.keys(n)) if (!allowed.includes(k)) fail(at, `unexpected key "${k}"`);
  };

  const children = (n: Record<string, unknown>, at: string, required: boolean): Record<string, unknown>[] => {
    if (n.content === undefined) {
      if (required) fail(at, 'content is missing');
      return [];
    }
    if (!Array.isArray(n.content)) {
      fail(at, 'content is not an array');
      return [];
    }
    if (required && n.content.length === 0) fail(at, 'content is empty');
    if (!required && n.content.length === 0) fail(at, 'empty content array (omit it instead)');
    return n.content.map((c: unknown, i: number) => {
      if (!isRecord(c)) {
        fail(`${at}[${i}]`, 'not an object');
        return { type: '?' };
      }
      return c;
    });
  };

  const text = (n: Record<string, unknown>, at: string) => {
    keysOnly(n, at, ['type', 'text', 'marks']);
    if (typeof n.text !== 'string' || n.text.length === 0) fail(at, 'empty text node');
    if (n.marks !== undefined) {
      if (!Array.isArray(n.marks) || n.marks.length === 0) fail(at, 'marks must be a non-empty array');
      else
        for (const m of n.marks as unknown[]) {
          if (!isRecord(m) || m.type !== 'bold' || Object.keys(m).length !== 1)
            fail(at, `mark ${JSON.stringify(m)} is not allowed (only bold)`);
        }
    }
  };

  const inline = (n: Record<string, unknown>, at: string, required: boolean) => {
    children(n, at, required).forEach((c, i) => {
      if (c.type !== 'text') fail(`${at}[${i}]`, `"${String(c.type)}" is not a text node`);
      else text(c, `${at}[${i}]`);
    });
  };

  const paragraph = (n: Record<string, unknown>, at: string) => {
    keysOnly(n, at, ['type', 'content']);
    inline(n, at, false);
  };

  const heading = (n: Record<string, unknown>, at: string) => {
    keysOnly(n, at, ['type', 'attrs', 'content']);
    const attrs = n.attrs;
    if (!isRecord(attrs) || Object.keys(attrs).join() !== 'level') fail(at, 'attrs must be { level }');
    else if (!Number.isInteger(attrs.level) || (attrs.level as number) < 1 || (attrs.level as number) > 4)
      fail(at, `level ${String(attrs.level)} is not 1–4`);
    inline(n, at, true);
    const t = ((n.content as { text?: string }[] | undefined) ?? []).map((c) => c.text ?? '').join('');
    if (NUMBERED.test(t)) fail(at, `heading "${t}" carries its own number`);
  };

  const list = (n: Record<string, unknown>, at: string) => {
    keysOnly(n, at, ['type', 'content']);
    children(n, at, true).forEach((item, i) => {
      const iat = `${at}[${i}]`;
      if (item.type !== 'listItem') return fail(iat, `"${String(item.type)}" in a list`);
      keysOnly(item, iat, ['type', 'content']);
      children(item, iat, true).forEach((c, j) => {
        const cat = `${iat}[${j}]`;
        if (j === 0 && c.type !== 'paragraph') fail(cat, 'a list item must start with a paragraph');
        if (c.type === 'paragraph') paragraph(c, cat);
        else if (c.type === 'bulletList' || c.type === 'orderedList') list(c, cat);
        else fail(cat, `"${String(c.type)}" in a list item`);
      });
    });
  };

  const table = (n: Record<string, unknown>, at: string) => {
    keysOnly(n, at, ['type', 'content']);
    const widths: number[] = [];
    children(n, at, true).forEach((row, r) => {
      const rat = `${at}[${r}]`;
      if (row.type !== 'tableRow') return fail(rat, `"${String(row.type)}" in a table`);
      keysOnly(row, rat, ['type', 'content']);
      let width = 0;
      children(row, rat, true).forEach((cell, c) => {
        const cat = `${rat}[${c}]`;
        if (cell.type !== 'tableHeader' && cell.type !== 'tableCell')
          return fail(cat, `"${String(cell.type)}" in a table row`);
        keysOnly(cell, cat, ['type', 'attrs', 'content']);
        const a = cell.attrs;
        if (!isRecord(a) || Object.keys(a).sort().join() !== CELL_ATTRS.join())
          fail(cat, 'attrs must be { colspan, rowspan, colwidth }');
        else {
          if (!Number.isInteger(a.colspan) || (a.colspan as number) < 1) fail(cat, 'bad colspan');
          if (a.rowspan !== 1) fail(cat, 'rowspan must be 1');
          if (a.colwidth !== null) fail(cat, 'colwidth must be null');
          width += Number(a.colspan) || 0;
        }
        children(cell, cat, true).forEach((p, k) => {
          if (p.type !== 'paragraph') fail(`${cat}[${k}]`, `"${String(p.type)}" in a table cell`);
          else paragraph(p, `${cat}[${k}]`);
        });
      });
      widths.push(width);
    });
    if (new Set(widths).size > 1) fail(at, `rows have different widths: ${widths.join(', ')}`);
  };

  if (!isRecord(doc) || doc.type !== 'doc') return ['doc: not a { type: "doc" } node'];
  keysOnly(doc, 'doc', ['type', 'content']);
  children(doc, 'doc', true).forEach((n, i) => {
    const at = `doc[${i}]:${String(n.type)}`;
    if (!BLOCKS.includes(String(n.type))) return fail(at, 'not an allowed block');
    if (n.type === 'heading') heading(n, at);
    else if (n.type === 'paragraph') paragraph(n, at);
    else if (n.type === 'table') table(n, at);
    else list(n, at);
  });
  return errors;
}

// ---------- helpers over documents ----------

function textOf(n: PmNodeJson): string {
  return n.type === 'text' ? (n.text ?? '') : (n.content ?? []).map(textOf).join('');
}

/** The text of every text node, in order. */
function texts(n: PmNodeJson): string[] {
  return n.type === 'text' ? [n.text ?? ''] : (n.content ?? []).flatMap(texts);
}

function headings(doc: PmNodeJson): { level: unknown; text: string }[] {
  return (doc.content ?? [])
    .filter((n) => n.type === 'heading')
    .map((n) => ({ level: n.attrs?.level, text: textOf(n) }));
}

function tables(doc: PmNodeJson): string[][][] {
  return (doc.content ?? [])
    .filter((n) => n.type === 'table')
    .map((t) => (t.content ?? []).map((row) => (row.content ?? []).map(textOf)));
}

/**
 * A document in the shape it has after a trip through Yjs: attributes set to null are not stored,
 * a mark without attributes comes back with attrs {}, and neighbouring text runs with the same marks
 * are one run.
 */
function normalize(n: PmNodeJson): PmNodeJson {
  const out: PmNodeJson = { type: n.type };
  if (n.attrs) {
    const attrs = Object.fromEntries(
      Object.entries(n.attrs).filter(([, v]) => v !== null && v !== undefined),
    );
    if (Object.keys(attrs).length) out.attrs = attrs;
  }
  if (n.text !== undefined) out.text = n.text;
  if (n.marks?.length)
    out.marks = n.marks.map((m) => (m.attrs && Object.keys(m.attrs).length ? m : { type: m.type }));
  if (n.content?.length) {
    const content: PmNodeJson[] = [];
    for (const c of n.content.map(normalize)) {
      const prev = content[content.length - 1];
      if (
        prev?.type === 'text' &&
        c.type === 'text' &&
        JSON.stringify(prev.marks ?? []) === JSON.stringify(c.marks ?? [])
      )
        prev.text = `${prev.text ?? ''}${c.text ?? ''}`;
      else content.push(c);
    }
    out.content = content;
  }
  return out;
}

function fill(doc: PmNodeJson, values: Record<string, string>): PmNodeJson {
  let s = JSON.stringify(doc);
  for (const [k, v] of Object.entries(values)) s = s.replaceAll(k, v);
  return JSON.parse(s) as PmNodeJson;
}

/** The 12 basic indicators as written in seed item 7: "…全部要求：1. 社会信用体系建设 100%依法；2. …；12. …。" */
function seedBasicIndicators(): string[] {
  const line = fs.readFileSync(SEED_FIXTURE, 'utf8');
  const list = line.slice(line.indexOf('全部要求：') + '全部要求：'.length, line.indexOf('。'));
  return list.split('；').map((item, i) => {
    const prefix = `${i + 1}. `;
    expect(item.startsWith(prefix), item).toBe(true);
    return item.slice(prefix.length);
  });
}

// ---------- tests ----------

describe('the document validator', () => {
  const h = (text: string, level: unknown = 1) => ({
    type: 'heading',
    attrs: { level },
    content: [{ type: 'text', text }],
  });
  const doc = (...content: unknown[]) => ({ type: 'doc', content });

  it('accepts the allowed structure', () => {
    expect(
      validateDoc(
        doc(
          h('指导思想'),
          { type: 'paragraph' },
          { type: 'paragraph', content: [{ type: 'text', text: '粗', marks: [{ type: 'bold' }] }] },
          {
            type: 'orderedList',
            content: [
              { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'a' }] }] },
            ],
          },
        ),
      ),
    ).toEqual([]);
  });

  it.each([
    ['一、指导思想'],
    ['（一）总体目标'],
    ['(二) 总体目标'],
    ['1.基础指标'],
    ['2、基础指标'],
    ['（1）细项'],
    ['十二、其他'],
  ])('rejects the numbered heading %s', (t) => {
    expect(validateDoc(doc(h(t))).join('\n')).toContain('carries its own number');
  });

  it('rejects empty text, unknown nodes and marks, bad levels and ragged tables', () => {
    expect(validateDoc(doc({ type: 'paragraph', content: [{ type: 'text', text: '' }] }))).not.toEqual([]);
    expect(validateDoc(doc({ type: 'blockquote', content: [] }))).not.toEqual([]);
    expect(
      validateDoc(
        doc({ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'italic' }] }] }),
      ),
    ).not.toEqual([]);
    expect(validateDoc(doc(h('标题', 5)))).not.toEqual([]);
    expect(validateDoc(doc(h('标题', '1')))).not.toEqual([]);
    const cell = {
      type: 'tableCell',
      attrs: { colspan: 1, rowspan: 1, colwidth: null },
      content: [{ type: 'paragraph' }],
    };
    expect(
      validateDoc(
        doc({
          type: 'table',
          content: [
            { type: 'tableRow', content: [cell, cell] },
            { type: 'tableRow', content: [cell] },
          ],
        }),
      ).join('\n'),
    ).toContain('different widths');
    expect(validateDoc({ type: 'paragraph' })).not.toEqual([]);
  });
});

describe('bundled material templates', () => {
  it('are exactly the expected five files', () => {
    expect(files()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(Object.keys(EXPECTED))('%s', (file) => {
    const expected = EXPECTED[file]!;

    it('parses and has id, name, a valid type and a description', () => {
      const t = load(file);
      expect(Object.keys(t).sort()).toEqual(['content', 'description', 'id', 'name', 'type']);
      expect(t).toMatchObject(expected);
      expect(Object.keys(MATERIAL_TYPE_LABEL)).toContain(t.type);
      expect(t.description.trim().length).toBeGreaterThan(10);
      // id, name and description are shown as they are: only the content gets its placeholders filled
      expect(`${t.id}${t.name}${t.description}`).not.toMatch(/\{\{|\}\}/);
    });

    it('is a document of the allowed nodes and structure', () => {
      expect(validateDoc(load(file).content)).toEqual([]);
    });

    it('has level 1 and level 2 headings, levels 1–4 only, no hand-written numbers', () => {
      const hs = headings(load(file).content);
      expect(hs.some((x) => x.level === 1)).toBe(true);
      expect(hs.some((x) => x.level === 2)).toBe(true);
      for (const x of hs) {
        expect([1, 2, 3, 4], x.text).toContain(x.level);
        expect(x.text, `heading "${x.text}"`).not.toMatch(NUMBERED);
      }
      // never deeper than one level below the previous heading (一、 then （一）, not 一、 then 1.)
      let prev = 0;
      for (const x of hs) {
        expect(x.level as number, x.text).toBeLessThanOrEqual(prev + 1);
        prev = x.level as number;
      }
    });

    it('uses only the placeholders {{城市}}, {{创建活动}}, {{年份}}, and balanced 【】 guidance', () => {
      const runs = texts(load(file).content);
      const found = runs.flatMap((t) => [...t.matchAll(/\{\{[^{}]*\}\}/g)].map((m) => m[0]));
      expect(found.length).toBeGreaterThan(0);
      for (const f of found) expect(PLACEHOLDERS).toContain(f);
      for (const t of runs) expect(t.replace(/\{\{(城市|创建活动|年份)\}\}/g, ''), t).not.toMatch(/[{}]/);
      // 【填写：…】 guidance: within each text run every 【 closes before the next one opens
      expect(runs.some((t) => t.includes('【填写'))).toBe(true);
      for (const t of runs) {
        let depth = 0;
        for (const ch of t) {
          if (ch === '【') depth += 1;
          if (ch === '】') depth -= 1;
          expect(depth === 0 || depth === 1, t).toBe(true);
        }
        expect(depth, t).toBe(0);
      }
    });
  });

  it('the implementation plan has the required sections and a 任务分工表 with example rows', () => {
    const t = load('implementation-plan.json').content;
    const h1 = headings(t)
      .filter((x) => x.level === 1)
      .map((x) => x.text);
    expect(h1).toEqual(['指导思想', '工作目标', '组织机构', '重点任务', '实施步骤', '保障措施']);
    const h2 = headings(t)
      .filter((x) => x.level === 2)
      .map((x) => x.text);
    for (const s of ['总体目标', '具体目标', '领导小组', '领导小组办公室']) expect(h2).toContain(s);
    for (const s of [
      '制度',
      '信用信息归集共享',
      '新型监管机制',
      '信用承诺',
      '信用修复',
      '诚信文化',
      '信易+',
      '政务诚信',
    ])
      expect(
        h2.some((x) => x.includes(s)),
        s,
      ).toBe(true);
    for (const s of ['动员部署', '全面推进', '评估验收'])
      expect(
        h2.some((x) => x.startsWith(s) && x.includes('【填写')),
        s,
      ).toBe(true);
    const plain = textOf(t);
    for (const s of ['零错码', '前50名', '100%'] as const) expect(plain).toContain(s);
    const [division] = tables(t);
    expect(division![0]).toEqual(['序号', '重点任务', '牵头单位', '配合单位', '完成时限']);
    expect(division!.length - 1).toBeGreaterThanOrEqual(3);
    expect(division!.length - 1).toBeLessThanOrEqual(4);
  });

  it('the work points are for {{年份}} with 责任单位 under every key task', () => {
    const t = load('work-points.json').content;
    expect(textOf(t)).toContain('{{年份}}年');
    const blocks = t.content ?? [];
    const start = blocks.findIndex((n) => n.type === 'heading' && textOf(n) === '重点工作');
    const end = blocks.findIndex((n, i) => i > start && n.type === 'heading' && n.attrs?.level === 1);
    expect(start).toBeGreaterThanOrEqual(0);
    const section = blocks.slice(start + 1, end);
    const items = section.filter((n) => n.type === 'heading');
    expect(items.length).toBeGreaterThanOrEqual(5);
    for (const [i, n] of section.entries()) {
      if (n.type !== 'heading') continue;
      expect(n.attrs?.level).toBe(2);
      // the blocks up to the next heading: 1–2 paragraphs, then a 责任单位 line
      const next = section.slice(i + 1);
      const upTo = next.findIndex((x) => x.type === 'heading');
      const own = upTo < 0 ? next : next.slice(0, upTo);
      const duty = own.filter((x) => textOf(x).startsWith('责任单位：'));
      const body = own.filter((x) => !textOf(x).startsWith('责任单位：'));
      expect(duty, textOf(n)).toHaveLength(1);
      expect(own[own.length - 1], textOf(n)).toBe(duty[0]);
      expect(body.length, textOf(n)).toBeGreaterThanOrEqual(1);
      expect(body.length, textOf(n)).toBeLessThanOrEqual(2);
    }
    expect(
      headings(t)
        .filter((x) => x.level === 1)
        .map((x) => x.text),
    ).toEqual(['总体要求', '重点工作', '工作要求']);
  });

  it('the meeting minutes have the 基本情况 and 会后工作安排 tables and a 散发范围 line', () => {
    const t = load('meeting-minutes.json').content;
    expect(
      headings(t)
        .filter((x) => x.level === 1)
        .map((x) => x.text),
    ).toEqual(['会议基本情况', '会议议题', '会议议定事项', '会后工作安排']);
    const [info, followUp] = tables(t);
    const labels = info!.map((row) => row[0]);
    for (const s of ['时间', '地点', '主持人', '参会单位', '记录人']) expect(labels).toContain(s);
    expect(followUp![0]).toEqual(['事项', '责任单位', '完成时限']);
    expect(textOf(t)).toContain('散发范围：');
  });

  it('the clarification report repeats 问题描述 / 澄清说明 / 佐证材料 for two items', () => {
    const t = load('clarification-report.json').content;
    const hs = headings(t);
    expect(hs.filter((x) => x.level === 1).map((x) => x.text)).toEqual([
      '总体情况',
      '逐项澄清',
      '整改落实情况',
    ]);
    expect(hs.filter((x) => x.level === 2)).toHaveLength(2);
    expect(hs.filter((x) => x.level === 3).map((x) => x.text)).toEqual([
      '问题描述',
      '澄清说明',
      '佐证材料',
      '问题描述',
      '澄清说明',
      '佐证材料',
    ]);
    const first = t.content![0]!;
    expect(first.type).toBe('paragraph');
    expect(textOf(first)).toMatch(/：$/);
    expect(textOf(t)).toContain('特此报告。');
  });

  it('the self-assessment has the required sections and the 12 basic indicators of seed item 7 verbatim', () => {
    const t = load('self-assessment.json').content;
    const hs = headings(t);
    expect(hs.filter((x) => x.level === 1).map((x) => x.text)).toEqual([
      '基本情况',
      '创建工作开展情况',
      '基础指标达标情况',
      '评分指标自评情况',
      '特色做法和创新亮点',
      '存在问题和下一步计划',
    ]);
    const h2 = hs.filter((x) => x.level === 2).map((x) => x.text);
    for (const s of [
      '组织领导',
      '制度建设',
      '信用信息归集共享',
      '信用监管和信用服务',
      '诚信文化建设',
      '“信易+”应用',
    ])
      expect(h2).toContain(s);

    const seed = seedBasicIndicators();
    expect(seed).toHaveLength(12);
    const basic = tables(t).find((x) => x[0]?.[1] === '指标')!;
    expect(basic[0]).toEqual(['序号', '指标', '达标情况', '佐证材料']);
    const rows = basic.slice(1);
    expect(rows.map((r) => r[0])).toEqual(seed.map((_, i) => String(i + 1)));
    expect(rows.map((r) => r[1])).toEqual(seed);
    for (const r of rows) {
      expect(r[2]).toContain('【填写');
      expect(r[3]).toContain('【填写');
    }
  });
});

describe('creating a material from each bundled template', () => {
  it('lists them as builtin templates', async () => {
    const { core } = await coreWithWorkspace();
    const list = await call(core, 'materials.templates', {});
    for (const e of Object.values(EXPECTED)) {
      expect(list).toContainEqual(
        expect.objectContaining({ id: `builtin:${e.id}`, name: e.name, type: e.type, builtin: true }),
      );
    }
  });

  it.each(Object.keys(EXPECTED))('%s: placeholders filled, headings and structure survive', async (file) => {
    const { core } = await coreWithWorkspace();
    const t = load(file);
    const settings = await call(core, 'workspace.settings', {});
    const m = await call(core, 'materials.create', {
      title: `${settings.city}${t.name}`,
      type: t.type as keyof typeof MATERIAL_TYPE_LABEL,
      templateId: `builtin:${t.id}`,
    });
    expect(m.type).toBe(t.type);
    expect(m.templateId).toBe(`builtin:${t.id}`);
    expect(m.chars).toBeGreaterThan(200);

    const { json } = await call(core, 'docs.json', { docId: m.id });
    const s = textOf(json);
    expect(s).not.toMatch(/\{\{|\}\}/);
    if (raw(file).includes('{{城市}}')) expect(s).toContain('琼海市');
    if (raw(file).includes('{{创建活动}}')) expect(s).toContain(settings.campaignName);
    if (raw(file).includes('{{年份}}')) expect(s).toContain(`${new Date().getFullYear()}年`);

    const filled = fill(t.content, {
      '{{城市}}': '琼海市',
      '{{创建活动}}': settings.campaignName,
      '{{年份}}': String(new Date().getFullYear()),
    });
    expect(headings(json)).toEqual(headings(filled));
    expect(headings(json).length).toBeGreaterThan(3);
    expect(normalize(json)).toEqual(normalize(filled));
  });
});
