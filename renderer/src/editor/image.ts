/**
 * Images in documents: stored as content-addressed blobs in the workspace, referenced from the
 * document as src = "cwb-blob:<sha256>" with their pixel width and height. Inserted from a file
 * picker, pasted or dropped: large pictures are scaled down in a canvas first (longest side
 * 2000 px; JPEG 0.85 unless a PNG with transparency), then uploaded in chunks and stored by
 * docs.putImage. Shown through a node view that fetches each blob once (docs.image) and keeps
 * its data URL for the session.
 */
import { Image } from '@tiptap/extension-image';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { call } from '../api';
import { uploadFile } from '../pages/task/upload';

export const BLOB_PREFIX = 'cwb-blob:';
/** Larger files are refused outright. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Pictures above this size on a side, or in bytes, are scaled down before upload. */
export const MAX_SIDE = 2000;
export const REENCODE_BYTES = 2 * 1024 * 1024;

const urls = new Map<string, Promise<string>>();

/** The data URL of a stored image (fetched once per session). */
export function imageUrl(sha256: string): Promise<string> {
  let p = urls.get(sha256);
  if (!p) {
    p = call('docs.image', { sha256 }).then((r) => `data:${r.mime};base64,${r.base64}`);
    p.catch(() => urls.delete(sha256)); // try again next time
    urls.set(sha256, p);
  }
  return p;
}

const mb = (n: number) => (n / 1048576).toFixed(1);

function extOf(type: string): string {
  return type === 'image/png' ? '.png' : '.jpg';
}

function hasTransparency(ctx: CanvasRenderingContext2D, w: number, h: number): boolean {
  const data = ctx.getImageData(0, 0, w, h).data;
  for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 255) < 255) return true;
  return false;
}

/**
 * Checks a picture and scales it down when needed. Throws an Error with a Chinese message for
 * what cannot be inserted (not a picture, over 10 MB, unreadable).
 */
export async function prepareImage(file: File): Promise<File> {
  const name = file.name || '图片';
  if (!file.type.startsWith('image/')) {
    throw new Error(`「${name}」不是图片，只能插入 PNG、JPEG 等格式的图片。`);
  }
  if (file.size > MAX_IMAGE_BYTES) {
    throw new Error(`图片「${name}」有 ${mb(file.size)} MB，超过 10 MB 上限，请先压缩后再插入。`);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`无法读取图片「${name}」，文件可能已损坏或格式不受支持。`);
  }
  try {
    const { width, height } = bitmap;
    const storable = file.type === 'image/png' || file.type === 'image/jpeg';
    if (storable && Math.max(width, height) <= MAX_SIDE && file.size <= REENCODE_BYTES) return file;
    const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('无法处理图片：浏览器不支持画布。');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, w, h);
    const keepAlpha = file.type !== 'image/jpeg' && hasTransparency(ctx, w, h);
    const type = keepAlpha ? 'image/png' : 'image/jpeg';
    if (!keepAlpha) {
      // JPEG has no alpha: put the picture on white (as on paper)
      ctx.globalCompositeOperation = 'destination-over';
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, w, h);
    }
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.85));
    if (!blob) throw new Error(`无法压缩图片「${name}」。`);
    if (blob.size > MAX_IMAGE_BYTES) {
      throw new Error(`图片「${name}」压缩后仍有 ${mb(blob.size)} MB，超过 10 MB 上限。`);
    }
    return new File([blob], name.replace(/\.[^.]*$/, '') + extOf(type), { type });
  } finally {
    bitmap.close();
  }
}

export interface StoredImage {
  src: string;
  width: number;
  height: number;
  alt: string | null;
}

/** Prepares, uploads and stores a picture; returns the attributes of its image node. */
export async function storeImage(file: File): Promise<StoredImage> {
  const ready = await prepareImage(file);
  const { uploadId } = await uploadFile(ready);
  const name = (ready.name || 'image').slice(0, 200);
  const r = await call('docs.putImage', { uploadId, name });
  return { src: `${BLOB_PREFIX}${r.sha256}`, width: r.width, height: r.height, alt: null };
}

/** A data: URL (pasted HTML) as a File. */
export function dataUrlToFile(url: string, name = '粘贴的图片'): File | null {
  const m = /^data:(image\/[\w.+-]+);base64,(.*)$/i.exec(url);
  if (!m) return null;
  const type = (m[1] ?? 'image/png').toLowerCase();
  let bin: string;
  try {
    bin = atob(m[2] ?? '');
  } catch {
    return null;
  }
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new File([bytes], name + (type === 'image/png' ? '.png' : '.jpg'), { type });
}

// ---------------------------------------------------------------- positions that follow edits

const trackKey = new PluginKey<Map<number, number>>('cwbTrackedPositions');
let nextTrackId = 1;

/** Positions remembered while an upload runs, mapped through every change (local or remote). */
const trackPlugin = new Plugin<Map<number, number>>({
  key: trackKey,
  state: {
    init: () => new Map(),
    apply(tr, value) {
      const meta = tr.getMeta(trackKey) as { add?: [number, number]; remove?: number } | undefined;
      let next = value;
      if (tr.docChanged && value.size) {
        next = new Map();
        for (const [id, pos] of value) next.set(id, tr.mapping.map(pos));
      }
      if (meta?.add) {
        next = new Map(next);
        next.set(meta.add[0], meta.add[1]);
      }
      if (meta?.remove !== undefined) {
        next = new Map(next);
        next.delete(meta.remove);
      }
      return next;
    },
  },
});

function track(view: EditorView, pos: number): { get: () => number; done: () => void } {
  const id = nextTrackId++;
  view.dispatch(view.state.tr.setMeta(trackKey, { add: [id, pos] }).setMeta('addToHistory', false));
  return {
    get: () => trackKey.getState(view.state)?.get(id) ?? view.state.selection.from,
    done: () => {
      if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(trackKey, { remove: id }));
    },
  };
}

/**
 * Uploads pictures and inserts them at `pos` (followed through edits made meanwhile). Problems
 * (not a picture, too large, upload failed) go to `onError`, one message per file.
 */
export async function insertImages(
  view: EditorView,
  files: File[],
  pos: number,
  onError: (message: string) => void,
  onBusy?: (busy: boolean) => void,
): Promise<void> {
  if (files.length === 0) return;
  const at = track(view, pos);
  onBusy?.(true);
  try {
    for (const f of files) {
      try {
        const img = await storeImage(f);
        if (view.isDestroyed) return;
        const type = view.state.schema.nodes.image;
        if (!type) return;
        const p = Math.min(at.get(), view.state.doc.content.size);
        const tr = view.state.tr.replaceRangeWith(p, p, type.create(img));
        view.dispatch(tr.scrollIntoView());
      } catch (e) {
        onError(e instanceof Error ? e.message : String(e));
      }
    }
  } finally {
    onBusy?.(false);
    if (!view.isDestroyed) at.done();
  }
}

// ---------------------------------------------------------------- the node

export interface CwbImageOptions {
  onError: (message: string) => void;
}

const numberAttr = (name: 'width' | 'height') => ({
  default: null,
  parseHTML: (el: HTMLElement) => {
    const n = Number(el.getAttribute(name));
    return Number.isFinite(n) && n > 0 ? Math.round(n) : null;
  },
});

/**
 * The image node (block): src "cwb-blob:<sha>" (or, for a moment after a paste, a data: URL that
 * is being stored), alt, title, width and height in pixels.
 */
export const CwbImage = Image.extend<CwbImageOptions & { inline: boolean; allowBase64: boolean }>({
  addOptions() {
    return {
      ...this.parent?.(),
      inline: false,
      allowBase64: true,
      onError: () => undefined,
    };
  },

  addAttributes() {
    return {
      ...this.parent?.(),
      width: numberAttr('width'),
      height: numberAttr('height'),
    };
  },

  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement('div');
      dom.className = 'cwb-image';
      const img = document.createElement('img');
      img.draggable = false;
      dom.appendChild(img);
      let shown = '';
      const render = (n: typeof node) => {
        const { src, alt, title, width, height } = n.attrs as {
          src: string | null;
          alt: string | null;
          title: string | null;
          width: number | null;
          height: number | null;
        };
        img.alt = alt ?? '';
        if (title) img.title = title;
        else img.removeAttribute('title');
        img.style.width = width ? `${width}px` : '';
        img.style.aspectRatio = width && height ? `${width} / ${height}` : '';
        if (src === shown) return;
        shown = src ?? '';
        if (src?.startsWith(BLOB_PREFIX)) {
          img.removeAttribute('src');
          dom.classList.add('loading');
          const sha = src.slice(BLOB_PREFIX.length);
          imageUrl(sha).then(
            (url) => {
              if (shown !== src) return;
              img.src = url;
              dom.classList.remove('loading', 'missing');
            },
            () => {
              if (shown !== src) return;
              dom.classList.remove('loading');
              dom.classList.add('missing');
              img.alt = '图片不在本机（同步后可查看）';
            },
          );
        } else if (src?.startsWith('data:')) {
          img.src = src;
          dom.classList.add('loading');
        } else img.removeAttribute('src');
      };
      render(node);
      return {
        dom,
        update: (n) => {
          if (n.type !== node.type) return false;
          render(n);
          return true;
        },
      };
    };
  },

  addProseMirrorPlugins() {
    const onError = this.options.onError;
    const busy = new Set<string>();
    const pasteKey = new PluginKey<boolean>('cwbPastedImages');
    return [
      trackPlugin,
      // pictures pasted as data: URLs (web pages, WPS) are stored as blobs and replaced
      new Plugin<boolean>({
        key: pasteKey,
        state: {
          init: () => false,
          apply: (tr, prev) => {
            const ui = tr.getMeta('uiEvent') as string | undefined;
            if (tr.docChanged && (ui === 'paste' || ui === 'drop')) return true;
            return tr.getMeta(pasteKey) === false ? false : prev;
          },
        },
        view: () => ({
          update: (view) => {
            if (!pasteKey.getState(view.state)) return;
            // not while the view is updating: one tick later
            setTimeout(() => {
              if (!view.isDestroyed && pasteKey.getState(view.state)) scan(view);
            }, 0);
          },
        }),
      }),
    ];

    function scan(view: EditorView): void {
      view.dispatch(view.state.tr.setMeta(pasteKey, false));
      const found: string[] = [];
      view.state.doc.descendants((n) => {
        const src = n.type.name === 'image' ? (n.attrs.src as string | null) : null;
        if (src?.startsWith('data:') && !busy.has(src)) found.push(src);
        return n.isBlock;
      });
      for (const src of new Set(found)) {
        busy.add(src);
        const replace = (attrs: StoredImage | null) => {
          if (view.isDestroyed) return;
          const tr = view.state.tr;
          const hits: { pos: number; size: number }[] = [];
          view.state.doc.descendants((n, pos) => {
            if (n.type.name === 'image' && n.attrs.src === src) hits.push({ pos, size: n.nodeSize });
            return n.isBlock;
          });
          for (const h of hits.reverse()) {
            if (attrs) {
              const old = view.state.doc.nodeAt(h.pos);
              tr.setNodeMarkup(h.pos, undefined, {
                ...old?.attrs,
                src: attrs.src,
                width: attrs.width,
                height: attrs.height,
              });
            } else tr.delete(h.pos, h.pos + h.size);
          }
          if (hits.length) view.dispatch(tr);
        };
        const file = dataUrlToFile(src);
        const job = file ? storeImage(file) : Promise.reject(new Error('粘贴的图片无法读取，已略去。'));
        job
          .then(replace, (e: unknown) => {
            replace(null);
            onError(e instanceof Error ? e.message : String(e));
          })
          .finally(() => busy.delete(src));
      }
    }
  },
});
