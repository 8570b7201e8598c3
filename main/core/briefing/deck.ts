/**
 * The briefing deck (汇报PPT): pptxgenjs, 16:9, one theme (theme.ts), native charts (charts.ts),
 * speaker notes. The figures are gathered once (data.ts) from the dashboard's own queries; the
 * slides (slides.ts) are planned first so progress can say "slide i of n".
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import PptxGenJS from 'pptxgenjs';
import type { z } from 'zod';
import type { BriefingInput } from '../contract/indicators';
import type { Workspace } from '../workspace/workspace';
import { collectBriefing, type BriefingData } from './data';
import { planDeck, SlideKit } from './slides';
import { defineMasters, FONT } from './theme';

export interface RenderedDeck {
  data: Buffer;
  slides: number;
  charts: number;
}

type Progress = (done: number, total: number | null, message: string) => void;

export async function renderBriefing(
  ws: Workspace,
  input: z.output<typeof BriefingInput>,
  now: Date,
  progress: Progress,
): Promise<RenderedDeck> {
  progress(0, null, '正在汇总数据');
  return buildDeck(collectBriefing(ws, input, now), progress);
}

/** Builds the deck from gathered figures (also used by the tests with plain data). */
export async function buildDeck(
  data: BriefingData,
  progress: Progress = () => undefined,
): Promise<RenderedDeck> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = data.title;
  pptx.subject = `${data.city}社会信用体系建设示范区创建工作汇报（${data.period.label}）`;
  pptx.company = data.presenter ?? `${data.city}社会信用体系建设领导小组办公室`;
  pptx.author = pptx.company;
  pptx.theme = { headFontFace: FONT, bodyFontFace: FONT };
  defineMasters(pptx, `${data.city}社会信用体系建设示范区创建工作汇报\u3000|\u3000${data.period.label}`);

  const plan = planDeck(data);
  const kit = new SlideKit(pptx, data);
  plan.forEach((p, i) => {
    progress(i, plan.length, `正在生成第${i + 1}页（共${plan.length}页）：${p.title}`);
    p.build(kit);
  });
  progress(plan.length, plan.length, '正在写入文件');
  // stored (not compressed) by pptxgenjs: the package is re-zipped once below
  const raw = (await pptx.write({ outputType: 'uint8array', compression: false })) as Uint8Array;
  return { data: finishPackage(raw), slides: plan.length, charts: kit.charts.count };
}

/**
 * pptxgenjs names the font only as the Latin face in chart labels and leaves the theme's East
 * Asian faces empty, so PowerPoint would show Chinese chart labels in its default CJK font. Sets
 * the deck's font as the theme's East Asian (and Simplified Chinese script) face and beside
 * every Latin face in the chart parts, then compresses the package.
 */
function finishPackage(raw: Uint8Array): Buffer {
  const files = unzipSync(raw);
  const out: Zippable = {};
  for (const [name, bytes] of Object.entries(files)) {
    if (name.endsWith('/')) continue; // folder entries (ppt/media/ with no media)
    let data = bytes;
    if (/^ppt\/theme\/theme\d+\.xml$/.test(name)) {
      data = strToU8(
        strFromU8(bytes)
          .replaceAll('<a:ea typeface=""/>', `<a:ea typeface="${FONT}"/>`)
          .replace(
            /<a:font script="Hans" typeface="[^"]*"\/>/g,
            `<a:font script="Hans" typeface="${FONT}"/>`,
          ),
      );
    } else if (/^ppt\/charts\/chart\d+\.xml$/.test(name)) {
      data = strToU8(
        strFromU8(bytes).replace(
          /<a:latin typeface="([^"]*)"\s*\/>(?!\s*<a:ea)/g,
          (_m, face: string) => `<a:latin typeface="${face}"/><a:ea typeface="${face}"/>`,
        ),
      );
    }
    // embedded workbooks and pictures are compressed already
    out[name] = /\.(xlsx|png|jpe?g)$/.test(name) ? [data, { level: 0 }] : [data, { level: 6 }];
  }
  return Buffer.from(zipSync(out));
}
