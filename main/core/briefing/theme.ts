/**
 * The one theme of the briefing deck (汇报PPT): 16:9 LAYOUT_WIDE (13.333 × 7.5 in), a
 * government-report palette (dark blue title bar with a red accent, neutral greys), one Chinese
 * font, a 12-column grid every slide is placed on, and the two slide masters (cover, content).
 */
import type PptxGenJS from 'pptxgenjs';

/** Slide size (LAYOUT_WIDE), inches. */
export const SLIDE_W = 13.333;
export const SLIDE_H = 7.5;

/**
 * The font of every text run, chart label and the theme. PowerPoint takes one face per run; WPS
 * and LibreOffice substitute an installed CJK sans (e.g. Noto Sans CJK SC) when it is missing.
 */
export const FONT = '微软雅黑';

export const COLOR = {
  navy: '1F3864',
  navyLight: '2F5597',
  red: 'B4161B',
  redDark: '8E1116',
  gold: 'C9A227',
  text: '262626',
  textMuted: '595959',
  textLight: '8C8C8C',
  line: 'D9D9D9',
  panel: 'F3F5F8',
  zebra: 'F7F8FA',
  white: 'FFFFFF',
  good: '2E7D32',
  warn: 'D48806',
  bad: 'C62828',
  grid: 'E3E6EB',
  target: '7F7F7F',
} as const;

/** Series colours, in order, for charts with several series. */
export const SERIES = [COLOR.navy, COLOR.red, '8497B0', COLOR.gold, COLOR.good, 'A6A6A6'] as const;

/** The grid: side margins, 12 columns with gutters, content band between title bar and footer. */
export const GRID = {
  marginX: 0.6,
  gutter: 0.2,
  columns: 12,
  titleBarH: 0.9,
  /** Top of the lead line (key message) under the title bar. */
  leadY: 1.08,
  leadH: 0.5,
  /** Content band. */
  top: 1.72,
  bottom: 6.78,
  footerY: 7.0,
} as const;

export const CONTENT_W = SLIDE_W - 2 * GRID.marginX;
const COL_W = (CONTENT_W - (GRID.columns - 1) * GRID.gutter) / GRID.columns;

/** x and width of `span` grid columns starting at column `start` (0-based). */
export function cols(start: number, span: number): { x: number; w: number } {
  return {
    x: GRID.marginX + start * (COL_W + GRID.gutter),
    w: span * COL_W + (span - 1) * GRID.gutter,
  };
}

/** Height of the content band. */
export const CONTENT_H = GRID.bottom - GRID.top;

export const SIZE = {
  title: 24,
  lead: 16,
  body: 14,
  small: 12,
  table: 12,
  footer: 10,
  kpi: 30,
  chartLabel: 11,
} as const;

export const MASTER = { cover: 'BRIEF_COVER', content: 'BRIEF_CONTENT' } as const;

/** Defines the two masters; the footer (city + period) and page number sit on the content master. */
export function defineMasters(pptx: PptxGenJS, footer: string): void {
  pptx.defineSlideMaster({
    title: MASTER.cover,
    background: { color: COLOR.white },
    objects: [
      { rect: { x: 0, y: 0, w: SLIDE_W, h: 4.7, fill: { color: COLOR.red } } },
      { rect: { x: 0, y: 4.7, w: SLIDE_W, h: 0.08, fill: { color: COLOR.gold } } },
      { rect: { x: 0, y: SLIDE_H - 0.35, w: SLIDE_W, h: 0.35, fill: { color: COLOR.navy } } },
    ],
  });
  pptx.defineSlideMaster({
    title: MASTER.content,
    background: { color: COLOR.white },
    margin: [0, 0, 0, 0],
    objects: [
      { rect: { x: 0, y: 0, w: SLIDE_W, h: GRID.titleBarH, fill: { color: COLOR.navy } } },
      { rect: { x: 0, y: 0, w: 0.18, h: GRID.titleBarH, fill: { color: COLOR.red } } },
      { rect: { x: 0, y: GRID.titleBarH, w: SLIDE_W, h: 0.05, fill: { color: COLOR.red } } },
      {
        placeholder: {
          options: {
            name: 'title',
            type: 'title',
            x: GRID.marginX,
            y: 0.1,
            w: CONTENT_W - 1.2,
            h: GRID.titleBarH - 0.2,
            fontFace: FONT,
            fontSize: SIZE.title,
            bold: true,
            color: COLOR.white,
            valign: 'middle',
            align: 'left',
          },
          text: '',
        },
      },
      {
        line: {
          x: GRID.marginX,
          y: GRID.footerY - 0.04,
          w: CONTENT_W,
          h: 0,
          line: { color: COLOR.line, width: 0.75 },
        },
      },
      {
        text: {
          text: footer,
          options: {
            x: GRID.marginX,
            y: GRID.footerY,
            w: CONTENT_W - 1.2,
            h: 0.36,
            fontFace: FONT,
            fontSize: SIZE.footer,
            color: COLOR.textLight,
            valign: 'middle',
            margin: 0,
          },
        },
      },
    ],
    slideNumber: {
      x: SLIDE_W - GRID.marginX - 1.0,
      y: GRID.footerY,
      w: 1.0,
      h: 0.36,
      fontFace: FONT,
      fontSize: SIZE.footer,
      color: COLOR.textMuted,
      align: 'right',
      valign: 'middle',
      margin: 0,
    },
  });
}
