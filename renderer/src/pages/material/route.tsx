import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType } from 'react';

type Page = ComponentType<{ id: string }>;

/** The editor (TipTap, ProseMirror, Yjs) is its own chunk, loaded on first use or ahead by the library. */
let loaded: Page | null = null;
const load = () =>
  import('./MaterialEditorPage').then((m) => {
    loaded = m.MaterialEditorPage;
    return { default: m.MaterialEditorPage };
  });
const LazyEditor = lazy(load);

/** Fetches the editor's chunk and, when the browser is idle, runs it once on a hidden sample. */
export function preloadEditor(): void {
  void load().then(() =>
    import('./MaterialEditorPage').then((m) => {
      const idle = window.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 200));
      idle(() => m.warmUpEditor(), { timeout: 2000 });
    }),
  );
}

/** #/materials?id=… : the editor page of one material. */
export function MaterialEditorRoute({ id }: { id: string }) {
  // once the chunk is there, no Suspense boundary (React holds a revealed fallback for 300 ms)
  const Editor = loaded;
  if (Editor) return <Editor id={id} />;
  return (
    <Suspense
      fallback={
        <div className="coming">
          <Spin size="large" />
        </div>
      }
    >
      <LazyEditor id={id} />
    </Suspense>
  );
}
