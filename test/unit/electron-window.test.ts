/**
 * The hardened BrowserWindow options, asserted on the object the shell really passes to
 * `new BrowserWindow(...)` (main/electron/window-options.ts), not by searching source text.
 */
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from '../../main/electron/menu';
import {
  CONTENT_SECURITY_POLICY,
  createWindowOptions,
  devContentSecurityPolicy,
  WINDOW_TITLE,
} from '../../main/electron/window-options';

type MenuItemConstructorOptions = ReturnType<typeof buildMenuTemplate>[number];

const PRELOAD = '/opt/app/out/preload/index.cjs';

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

describe('createWindowOptions', () => {
  const options = createWindowOptions({ preloadPath: PRELOAD });
  const web = options.webPreferences ?? {};

  it('isolates and sandboxes the renderer', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and risky features off', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.spellcheck).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
  });

  it('does not enable anything that weakens the sandbox', () => {
    // Flags that must never appear with a permissive value.
    expect(web).not.toHaveProperty('enableRemoteModule');
    expect(web.nodeIntegration).not.toBe(true);
    expect(web.plugins ?? false).toBe(false);
    expect(web.enableBlinkFeatures).toBeUndefined();
    expect(web.additionalArguments).toBeUndefined();
  });

  it('passes the preload path through unchanged', () => {
    expect(web.preload).toBe(PRELOAD);
    expect(createWindowOptions({ preloadPath: 'C:\\应用\\preload\\index.cjs' }).webPreferences?.preload).toBe(
      'C:\\应用\\preload\\index.cjs',
    );
  });

  it('has a sensible size, title and shows only when ready', () => {
    expect(options.width).toBe(1440);
    expect(options.height).toBe(900);
    expect(options.minWidth).toBe(1100);
    expect(options.minHeight).toBe(700);
    expect(options.title).toBe('信用创建工作台');
    expect(WINDOW_TITLE).toBe('信用创建工作台');
    expect(options.show).toBe(false);
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('sets the icon only when given', () => {
    expect(options).not.toHaveProperty('icon');
    expect(createWindowOptions({ preloadPath: PRELOAD, iconPath: '/opt/app/icon.png' }).icon).toBe(
      '/opt/app/icon.png',
    );
  });

  it('returns a fresh object each time (no shared mutable state)', () => {
    const a = createWindowOptions({ preloadPath: PRELOAD });
    const b = createWindowOptions({ preloadPath: PRELOAD });
    expect(a).not.toBe(b);
    expect(a.webPreferences).not.toBe(b.webPreferences);
    expect(a).toEqual(b);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const d = directives(CONTENT_SECURITY_POLICY);

  it("is strict: default-src 'self', scripts only from the app", () => {
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
  });

  it('allows inline styles (antd CSS-in-JS) and local images/fonts only', () => {
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(d.get('font-src')).toEqual(["'self'", 'data:']);
  });

  it("never allows 'unsafe-eval', wildcards or remote origins", () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('*');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:/);
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('the dev policy adds only the inline React-refresh preamble and the HMR socket', () => {
    const dev = directives(devContentSecurityPolicy('http://localhost:5173/'));
    expect(dev.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(dev.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(dev.get('default-src')).toEqual(["'self'"]);
    expect(devContentSecurityPolicy('http://localhost:5173/')).not.toContain('unsafe-eval');
  });
});

describe('application menu', () => {
  const labels = (items: MenuItemConstructorOptions[]): string[] => items.map((i) => i.label ?? i.role ?? '');
  const submenu = (items: MenuItemConstructorOptions[], label: string) =>
    (items.find((i) => i.label === label)?.submenu ?? []) as MenuItemConstructorOptions[];
  const roles = (items: MenuItemConstructorOptions[]) => items.map((i) => i.role).filter(Boolean);

  it('is Chinese with 文件 / 编辑 / 视图 / 帮助', () => {
    const menu = buildMenuTemplate({ isDev: false, onAbout: () => {} });
    expect(labels(menu)).toEqual(['文件', '编辑', '视图', '帮助']);
    expect(roles(submenu(menu, '文件'))).toEqual(['quit']);
    expect(roles(submenu(menu, '编辑'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
  });

  it('offers reload and devtools only in development', () => {
    const prod = roles(submenu(buildMenuTemplate({ isDev: false, onAbout: () => {} }), '视图'));
    const dev = roles(submenu(buildMenuTemplate({ isDev: true, onAbout: () => {} }), '视图'));
    expect(prod).not.toContain('reload');
    expect(prod).not.toContain('toggleDevTools');
    expect(prod).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    expect(dev).toEqual(['reload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  });

  it('关于 calls the about handler', () => {
    const onAbout = vi.fn();
    const about = submenu(buildMenuTemplate({ isDev: false, onAbout }), '帮助').find(
      (i) => i.label === '关于',
    );
    expect(about?.click).toBeTypeOf('function');
    (about?.click as () => void)();
    expect(onAbout).toHaveBeenCalledOnce();
  });
});
