/**
 * The first pages of a PDF drawn with pdf.js (loaded on first use, so the app's start-up
 * bundle stays small). The worker is bundled by Vite as an asset of the app itself, which the
 * CSP allows ('self'); eval is never used (isEvalSupported: false). Chinese PDFs that rely on
 * the predefined Adobe-GB1 CMaps get them from the bundle too (no network, no fetch).
 */
import { Alert, Spin, Typography } from 'antd';
import type * as PdfJsModule from 'pdfjs-dist';
import { useEffect, useRef, useState } from 'react';

type PdfJs = typeof PdfJsModule;

/** Simplified-Chinese CMaps, each a lazy chunk holding the file as a data: URL. */
const CMAPS = import.meta.glob<string>('../../../node_modules/pdfjs-dist/cmaps/{Adobe-GB1-*,*GB*}.bcmap', {
  query: '?url&inline',
  import: 'default',
});
const cmapByName = new Map(
  Object.entries(CMAPS).map(([path, load]) => [
    path.slice(path.lastIndexOf('/') + 1, -'.bcmap'.length),
    load,
  ]),
);

function dataUrlBytes(url: string): Uint8Array {
  const bin = atob(url.slice(url.indexOf(',') + 1));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** pdf.js asks this for a predefined CMap by name (instead of fetching cMapUrl + name). */
class BundledCMapReaderFactory {
  async fetch({ name }: { name: string }): Promise<{ cMapData: Uint8Array; isCompressed: boolean }> {
    const load = cmapByName.get(name);
    if (!load) throw new Error(`不支持的字符映射表：${name}`);
    return { cMapData: dataUrlBytes(await load()), isCompressed: true };
  }
}

let loading: Promise<PdfJs> | null = null;

function loadPdfJs(): Promise<PdfJs> {
  loading ??= import('pdfjs-dist').then((pdfjs) => {
    pdfjs.GlobalWorkerOptions.workerSrc = new URL(
      'pdfjs-dist/build/pdf.worker.min.mjs',
      import.meta.url,
    ).toString();
    return pdfjs;
  });
  return loading;
}

interface Props {
  data: Uint8Array;
  /** How many pages to draw at most. */
  maxPages?: number;
  /** CSS width of a page. */
  width?: number;
}

export function PdfPages({ data, maxPages = 5, width = 780 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ pages: number; shown: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let cancelled = false;
    let destroy: (() => Promise<void>) | null = null;
    (async () => {
      const pdfjs = await loadPdfJs();
      const task = pdfjs.getDocument({
        data: data.slice(), // the worker takes ownership of the buffer
        isEvalSupported: false,
        CMapReaderFactory: BundledCMapReaderFactory,
        useWorkerFetch: false,
        verbosity: pdfjs.VerbosityLevel.ERRORS,
      });
      destroy = () => task.destroy();
      const doc = await task.promise;
      if (cancelled) return;
      const n = Math.min(doc.numPages, maxPages);
      setState({ pages: doc.numPages, shown: 0 });
      const ratio = window.devicePixelRatio || 1;
      for (let i = 1; i <= n; i++) {
        const page = await doc.getPage(i);
        if (cancelled) return;
        const base = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: (width / base.width) * ratio });
        const canvas = document.createElement('canvas');
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
        canvas.dataset.page = String(i);
        el.appendChild(canvas);
        await page.render({ canvas, viewport }).promise;
        if (cancelled) return;
        setState({ pages: doc.numPages, shown: i });
      }
    })().catch((e: unknown) => {
      if (cancelled) return;
      const msg = e instanceof Error ? e.message : String(e);
      setError(/Invalid PDF|InvalidPDF/i.test(msg) ? '文件不是有效的 PDF，或已损坏。' : `无法预览：${msg}`);
    });
    return () => {
      cancelled = true;
      void destroy?.();
      el.replaceChildren();
    };
  }, [data, maxPages, width]);

  return (
    <div>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {!error && (
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
          {state === null
            ? '正在打开…'
            : state.pages > maxPages
              ? `共 ${state.pages} 页，预览前 ${maxPages} 页；完整内容请下载或打开。`
              : `共 ${state.pages} 页`}
          {state !== null && state.shown < Math.min(state.pages, maxPages) && (
            <Spin size="small" style={{ marginLeft: 8 }} />
          )}
        </Typography.Text>
      )}
      <div className="pdf-pages" ref={box} data-testid="pdf-pages" />
    </div>
  );
}
