/**
 * The shell's security rules (main/electron/security.ts, paths.ts, native.ts, channels.ts)
 * and the preload's surface, tested without Electron: pure functions directly, the handler
 * installers with small stubs that record what was registered and are then called.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { events } from '../../main/core/contract/index';
import { EVENT_CHANNEL, EVENT_NAMES, INVOKE_CHANNEL, isKnownEventName } from '../../main/electron/channels';
import { nativeBindingPath, missingNativeMessage } from '../../main/electron/native';
import { appDataDirFor, defaultDataDir, resolveDataDir, resourcesDirFor } from '../../main/electron/paths';
import {
  hardenSession,
  hardenWebContents,
  installSecurityHandlers,
  isAppUrl,
  isBlockedRequest,
  isSafeExternalUrl,
  isSafeToOpenPath,
  isTrustedIpcEvent,
  isTrustedSender,
  resolveDevServerUrl,
  type SecurityOptions,
} from '../../main/electron/security';
import { CONTENT_SECURITY_POLICY } from '../../main/electron/window-options';

type WebContents = Parameters<typeof hardenWebContents>[0];
type Session = Parameters<typeof hardenSession>[0];
type App = Parameters<typeof installSecurityHandlers>[0]['app'];

// The preload imports 'electron' at runtime; give it stubs (the real package is not
// importable here: its binary is not installed).
const electronStub = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn() },
}));
vi.mock('electron', () => electronStub);

const APP_FILE = '/opt/cwb/out/renderer/index.html';
const APP_URL = pathToFileURL(APP_FILE).href;
const DEV_URL = 'http://localhost:5173/';

describe('isSafeExternalUrl', () => {
  it.each([
    'https://www.creditchina.gov.cn/',
    'http://example.com/path?q=信用#frag',
    'https://例子.中国/页面',
    'https://example.com:8443/a',
  ])('accepts %s', (url) => expect(isSafeExternalUrl(url)).toBe(true));

  it.each([
    ['file', 'file:///etc/passwd'],
    ['javascript', 'javascript:alert(1)'],
    ['data', 'data:text/html,<script>alert(1)</script>'],
    ['blob', 'blob:https://example.com/uuid'],
    ['custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['smb', 'smb://server/share'],
    ['mailto', 'mailto:a@b.c'],
    ['credentials', 'https://user:pass@example.com/'],
    ['username only', 'https://user@example.com/'],
    ['relative', '/index.html'],
    ['no host', 'https://'],
    ['garbage', 'not a url'],
    ['empty', ''],
    ['control chars', 'https://example.com/\nfoo'],
    ['leading space', ' https://example.com/'],
    ['too long', `https://example.com/${'a'.repeat(3000)}`],
  ])('refuses %s', (_name, url) => expect(isSafeExternalUrl(url)).toBe(false));

  it('refuses non-strings', () => {
    for (const v of [null, undefined, 42, {}, ['https://example.com']])
      expect(isSafeExternalUrl(v)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts the app page in production, with hash routes or a query', () => {
    expect(isTrustedSender(APP_URL, APP_URL)).toBe(true);
    expect(isTrustedSender(`${APP_URL}#/tasks`, APP_URL)).toBe(true);
    expect(isTrustedSender(`${APP_URL}?x=1#/a`, APP_URL)).toBe(true);
  });

  it('refuses other local files and remote pages', () => {
    expect(isTrustedSender('file:///opt/cwb/out/renderer/other.html', APP_URL)).toBe(false);
    expect(isTrustedSender('file:///opt/cwb/out/renderer/', APP_URL)).toBe(false);
    expect(isTrustedSender('file:///tmp/evil/out/renderer/index.html', APP_URL)).toBe(false);
    expect(isTrustedSender('file://evil-host/opt/cwb/out/renderer/index.html', APP_URL)).toBe(false);
    expect(isTrustedSender('https://evil.example/index.html', APP_URL)).toBe(false);
    expect(isTrustedSender('about:blank', APP_URL)).toBe(false);
    expect(isTrustedSender('devtools://devtools/bundled/inspector.html', APP_URL)).toBe(false);
    expect(isTrustedSender('', APP_URL)).toBe(false);
    expect(isTrustedSender(undefined, APP_URL)).toBe(false);
  });

  it('matches paths with spaces and Chinese characters however they are encoded', () => {
    const file = '/home/张三/信用 工作台/out/renderer/index.html';
    const appUrl = pathToFileURL(file).href; // percent-encoded
    expect(isTrustedSender(`file://${file}`, appUrl)).toBe(true); // as typed
    expect(isTrustedSender(appUrl, appUrl)).toBe(true);
    expect(isTrustedSender(`file://${file.replace('张三', '李四')}`, appUrl)).toBe(false);
  });

  it('ignores the case of a Windows drive path', () => {
    expect(
      isTrustedSender(
        'file:///c:/Program%20Files/CWB/out/renderer/index.html',
        'file:///C:/Program%20Files/CWB/out/renderer/index.html',
      ),
    ).toBe(true);
  });

  it('trusts exactly the dev server origin in development', () => {
    expect(isTrustedSender('http://localhost:5173/', DEV_URL)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/#/tasks', DEV_URL)).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', DEV_URL)).toBe(false);
    expect(isTrustedSender('https://localhost:5173/', DEV_URL)).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5173/', DEV_URL)).toBe(false);
    expect(isTrustedSender(APP_URL, DEV_URL)).toBe(false);
  });

  it('trusts nothing when the app URL itself is invalid or exotic', () => {
    expect(isTrustedSender('about:blank', 'about:blank')).toBe(false);
    expect(isTrustedSender(APP_URL, 'not a url')).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('is the navigation rule: the same page (file) or the same origin (dev)', () => {
    expect(isAppUrl(APP_URL, APP_URL)).toBe(true);
    expect(isAppUrl(`${APP_URL}#/departments`, APP_URL)).toBe(true);
    expect(isAppUrl('file:///opt/cwb/out/renderer/assets/x.js', APP_URL)).toBe(false);
    expect(isAppUrl('http://localhost:5173/some/route', DEV_URL)).toBe(true);
    expect(isAppUrl('http://localhost.evil.example:5173/', DEV_URL)).toBe(false);
    expect(isAppUrl(42, APP_URL)).toBe(false);
  });
});

describe('isTrustedIpcEvent', () => {
  const top = { url: APP_URL };
  it('requires a live top frame of the app page', () => {
    expect(isTrustedIpcEvent({ sender: { mainFrame: top }, senderFrame: top }, APP_URL)).toBe(true);
  });
  it('refuses sub-frames even at the app URL', () => {
    const child = { url: APP_URL };
    expect(isTrustedIpcEvent({ sender: { mainFrame: top }, senderFrame: child }, APP_URL)).toBe(false);
  });
  it('refuses a destroyed frame and a foreign top frame', () => {
    expect(isTrustedIpcEvent({ sender: { mainFrame: top }, senderFrame: null }, APP_URL)).toBe(false);
    const evil = { url: 'https://evil.example/' };
    expect(isTrustedIpcEvent({ sender: { mainFrame: evil }, senderFrame: evil }, APP_URL)).toBe(false);
  });
  it('refuses when reading the frame throws', () => {
    const event = {
      sender: { mainFrame: top },
      get senderFrame(): { url: string } | null {
        throw new Error('Render frame was disposed');
      },
    };
    expect(isTrustedIpcEvent(event, APP_URL)).toBe(false);
  });
});

describe('resolveDevServerUrl', () => {
  it('uses ELECTRON_RENDERER_URL only unpackaged and only on loopback http(s)', () => {
    expect(resolveDevServerUrl('http://localhost:5173', false)).toBe('http://localhost:5173/');
    expect(resolveDevServerUrl('http://127.0.0.1:5173/', false)).toBe('http://127.0.0.1:5173/');
    expect(resolveDevServerUrl('http://[::1]:5173/', false)).toBe('http://[::1]:5173/');
    expect(resolveDevServerUrl('http://localhost:5173', true)).toBeNull();
    expect(resolveDevServerUrl('https://evil.example/', false)).toBeNull();
    expect(resolveDevServerUrl('file:///tmp/evil.html', false)).toBeNull();
    expect(resolveDevServerUrl('garbage', false)).toBeNull();
    expect(resolveDevServerUrl('', false)).toBeNull();
    expect(resolveDevServerUrl(undefined, false)).toBeNull();
  });
});

describe('isBlockedRequest (no remote content)', () => {
  it('blocks every network request in production', () => {
    expect(isBlockedRequest('https://cdn.example.com/x.js', APP_URL)).toBe(true);
    expect(isBlockedRequest('http://127.0.0.1:8080/', APP_URL)).toBe(true);
    expect(isBlockedRequest('wss://example.com/socket', APP_URL)).toBe(true);
    expect(isBlockedRequest('not a url', APP_URL)).toBe(true);
  });
  it('lets local resources through', () => {
    expect(isBlockedRequest(`${APP_URL}`, APP_URL)).toBe(false);
    expect(isBlockedRequest('file:///opt/cwb/out/renderer/assets/index-abc.js', APP_URL)).toBe(false);
    expect(isBlockedRequest('data:image/png;base64,AAAA', APP_URL)).toBe(false);
    expect(isBlockedRequest('devtools://devtools/bundled/inspector.html', APP_URL)).toBe(false);
  });
  it('allows only the dev server (and its HMR socket) in development', () => {
    expect(isBlockedRequest('http://localhost:5173/src/main.tsx', DEV_URL)).toBe(false);
    expect(isBlockedRequest('ws://localhost:5173/', DEV_URL)).toBe(false);
    expect(isBlockedRequest('http://localhost:9999/', DEV_URL)).toBe(true);
    expect(isBlockedRequest('https://fonts.googleapis.com/css', DEV_URL)).toBe(true);
  });
});

describe('isSafeToOpenPath', () => {
  it.each([
    '/home/a/报告.docx',
    '/home/a/汇报.pptx',
    '/tmp/x.pdf',
    '/home/a/工作区',
    'C:\\Users\\a\\材料.xlsx',
  ])('opens %s', (p) => expect(isSafeToOpenPath(p)).toBe(true));
  it.each([
    'C:\\Users\\a\\setup.exe',
    'C:\\x\\run.BAT',
    '/home/a/script.sh',
    '/home/a/app.AppImage',
    '/home/a/x.desktop',
    'C:\\a\\link.lnk',
    'C:\\a\\x.ps1',
    'relative/file.docx',
    '',
    '/tmp/a\0.docx',
  ])('refuses %s', (p) => expect(isSafeToOpenPath(p)).toBe(false));
});

describe('data folder rule', () => {
  it('defaultDataDir is <appData>/credit-workbench', () => {
    expect(defaultDataDir('/home/u/.config')).toBe(path.join('/home/u/.config', 'credit-workbench'));
    expect(defaultDataDir('/Users/u/Library/Application Support')).toBe(
      path.join('/Users/u/Library/Application Support', 'credit-workbench'),
    );
  });

  it('CWB_DATA_DIR overrides it (resolved to an absolute path); blank is ignored', () => {
    expect(resolveDataDir({ CWB_DATA_DIR: '/srv/cwb' }, '/home/u/.config')).toBe(path.resolve('/srv/cwb'));
    expect(resolveDataDir({ CWB_DATA_DIR: 'rel/dir' }, '/home/u/.config')).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir({ CWB_DATA_DIR: '   ' }, '/home/u/.config')).toBe(
      defaultDataDir('/home/u/.config'),
    );
    expect(resolveDataDir({}, '/home/u/.config')).toBe(defaultDataDir('/home/u/.config'));
  });

  it("appDataDirFor mirrors Electron's app.getPath('appData')", () => {
    expect(appDataDirFor('linux', {}, '/home/u')).toBe('/home/u/.config');
    expect(appDataDirFor('linux', { XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe('/x/cfg');
    expect(appDataDirFor('linux', { XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe('/home/u/.config');
    expect(appDataDirFor('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support');
    expect(appDataDirFor('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming',
    );
    expect(appDataDirFor('win32', {}, 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming');
  });

  it('resources: <resourcesPath>/resources packaged, <appPath>/resources unpackaged', () => {
    expect(resourcesDirFor({ isPackaged: true, resourcesPath: '/opt/cwb/resources', appPath: '/x' })).toBe(
      path.join('/opt/cwb/resources', 'resources'),
    );
    expect(resourcesDirFor({ isPackaged: false, resourcesPath: '/ignored', appPath: '/src/cwb' })).toBe(
      path.join('/src/cwb', 'resources'),
    );
  });
});

describe('native binding path', () => {
  const base = {
    resourcesPath: '/opt/cwb/resources',
    appPath: '/src/cwb',
    electronVersion: '41.7.1',
    platform: 'linux',
    arch: 'x64',
  };
  it('uses the shipped copy when packaged', () => {
    expect(nativeBindingPath({ ...base, isPackaged: true })).toBe(
      path.join('/opt/cwb/resources', 'native', 'better_sqlite3.node'),
    );
  });
  it('uses .native/electron-<version>-<platform>-<arch> in development (never node_modules)', () => {
    const p = nativeBindingPath({ ...base, isPackaged: false });
    expect(p).toBe(path.join('/src/cwb', '.native', 'electron-41.7.1-linux-x64', 'better_sqlite3.node'));
    expect(p).not.toContain('node_modules');
  });
  it('tells the developer to run npm start', () => {
    expect(missingNativeMessage('/x/better_sqlite3.node', false)).toContain('npm start');
    expect(missingNativeMessage('/x/better_sqlite3.node', true)).toContain('重新安装');
  });
});

describe('IPC channels', () => {
  it('forwards every contract event and nothing else', () => {
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
    expect(isKnownEventName('records.changed')).toBe(true);
    expect(isKnownEventName('__proto__')).toBe(false);
    expect(isKnownEventName('toString')).toBe(false);
    expect(isKnownEventName(undefined)).toBe(false);
    expect(INVOKE_CHANNEL).toBe('app:invoke');
    expect(EVENT_CHANNEL).toBe('app:event');
  });
});

// ---- handler installers with stubs -------------------------------------------------------

type AnyFn = (...args: never[]) => unknown;

function fakeWebContents() {
  const handlers = new Map<string, AnyFn>();
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  const wc = {
    on(event: string, handler: AnyFn) {
      handlers.set(event, handler);
      return wc;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      windowOpenHandler = handler;
    },
  };
  return {
    contents: wc as unknown as WebContents,
    emit(event: string, arg: unknown) {
      const h = handlers.get(event) as ((a: unknown) => void) | undefined;
      if (!h) throw new Error(`no handler for ${event}`);
      h(arg);
    },
    registered: () => [...handlers.keys()].sort(),
    openWindow(url: string) {
      if (!windowOpenHandler) throw new Error('no window open handler');
      return windowOpenHandler({ url });
    },
  };
}

function navEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

function fakeSession() {
  const rec: {
    permissionRequest?: (
      wc: unknown,
      permission: string,
      cb: (granted: boolean) => void,
      details: unknown,
    ) => void;
    permissionCheck?: (...args: unknown[]) => boolean;
    beforeRequest?: (details: { url: string }, cb: (r: { cancel?: boolean }) => void) => void;
    headersReceived?: (
      details: { url: string; resourceType: string; responseHeaders?: Record<string, string[]> },
      cb: (r: { responseHeaders?: Record<string, string[]> }) => void,
    ) => void;
  } = {};
  const session = {
    setPermissionRequestHandler: (h: typeof rec.permissionRequest) => (rec.permissionRequest = h),
    setPermissionCheckHandler: (h: typeof rec.permissionCheck) => (rec.permissionCheck = h),
    webRequest: {
      onBeforeRequest: (h: typeof rec.beforeRequest) => (rec.beforeRequest = h),
      onHeadersReceived: (h: typeof rec.headersReceived) => (rec.headersReceived = h),
    },
  };
  return { session: session as unknown as Session, rec };
}

function options(): SecurityOptions & { openExternal: ReturnType<typeof vi.fn> } {
  return {
    appUrl: APP_URL,
    csp: CONTENT_SECURITY_POLICY,
    openExternal: vi.fn(async () => {}),
    log: () => {},
  };
}

describe('hardenWebContents', () => {
  it('registers navigation, redirect and webview guards and a window-open handler', () => {
    const f = fakeWebContents();
    hardenWebContents(f.contents, options());
    expect(f.registered()).toEqual(['will-attach-webview', 'will-navigate', 'will-redirect']);
  });

  it('denies navigation to an evil URL (and opens nothing for a non-http one)', () => {
    const f = fakeWebContents();
    const opts = options();
    hardenWebContents(f.contents, opts);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@evil.example/']) {
      const e = navEvent(url);
      f.emit('will-navigate', e);
      expect(e.preventDefault).toHaveBeenCalledOnce();
    }
    expect(opts.openExternal).not.toHaveBeenCalled();
  });

  it('denies navigating away to a web page but shows it in the system browser', () => {
    const f = fakeWebContents();
    const opts = options();
    hardenWebContents(f.contents, opts);
    const e = navEvent('https://evil.example/phish');
    f.emit('will-navigate', e);
    expect(e.preventDefault).toHaveBeenCalledOnce();
    expect(opts.openExternal).toHaveBeenCalledWith('https://evil.example/phish');
  });

  it('allows navigation within the app page (reload, hash routes)', () => {
    const f = fakeWebContents();
    hardenWebContents(f.contents, options());
    const e = navEvent(`${APP_URL}#/tasks`);
    f.emit('will-navigate', e);
    expect(e.preventDefault).not.toHaveBeenCalled();
  });

  it('denies redirects away from the app', () => {
    const f = fakeWebContents();
    const opts = options();
    hardenWebContents(f.contents, opts);
    const e = navEvent('https://evil.example/');
    f.emit('will-redirect', e);
    expect(e.preventDefault).toHaveBeenCalledOnce();
    expect(opts.openExternal).not.toHaveBeenCalled();
  });

  it('always denies new windows; safe http(s) links go to the system browser', () => {
    const f = fakeWebContents();
    const opts = options();
    hardenWebContents(f.contents, opts);
    expect(f.openWindow('https://www.creditchina.gov.cn/')).toEqual({ action: 'deny' });
    expect(opts.openExternal).toHaveBeenCalledExactlyOnceWith('https://www.creditchina.gov.cn/');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', APP_URL, 'ms-settings:', 'about:blank']) {
      expect(f.openWindow(url)).toEqual({ action: 'deny' });
    }
    expect(opts.openExternal).toHaveBeenCalledOnce();
  });

  it('survives openExternal failing', async () => {
    const f = fakeWebContents();
    const opts = options();
    const log = vi.fn();
    opts.log = log;
    opts.openExternal.mockRejectedValueOnce(new Error('no browser'));
    hardenWebContents(f.contents, opts);
    expect(f.openWindow('https://example.com/')).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith(expect.stringContaining('no browser')));
  });

  it('blocks <webview> attachment', () => {
    const f = fakeWebContents();
    hardenWebContents(f.contents, options());
    const e = { preventDefault: vi.fn() };
    f.emit('will-attach-webview', e);
    expect(e.preventDefault).toHaveBeenCalledOnce();
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check', () => {
    const { session, rec } = fakeSession();
    hardenSession(session, options());
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
    ]) {
      const cb = vi.fn();
      rec.permissionRequest?.({}, permission, cb, {});
      expect(cb).toHaveBeenCalledExactlyOnceWith(false);
    }
    expect(rec.permissionCheck?.(null, 'media', APP_URL, {})).toBe(false);
    expect(rec.permissionCheck?.(null, 'clipboard-sanitized-write', APP_URL, {})).toBe(false);
  });

  it('cancels remote requests and lets local files through', () => {
    const { session, rec } = fakeSession();
    hardenSession(session, options());
    const remote = vi.fn();
    rec.beforeRequest?.({ url: 'https://tracker.example/pixel.gif' }, remote);
    expect(remote).toHaveBeenCalledWith({ cancel: true });
    const local = vi.fn();
    rec.beforeRequest?.({ url: 'file:///opt/cwb/out/renderer/assets/index.js' }, local);
    expect(local).toHaveBeenCalledWith({ cancel: false });
  });

  it('sets the CSP header on the app document, replacing any other policy', () => {
    const { session, rec } = fakeSession();
    hardenSession(session, options());
    const cb = vi.fn();
    rec.headersReceived?.(
      {
        url: APP_URL,
        resourceType: 'mainFrame',
        responseHeaders: { 'content-security-policy': ['default-src *'], 'X-A': ['1'] },
      },
      cb,
    );
    expect(cb).toHaveBeenCalledWith({
      responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  it('leaves other responses alone', () => {
    const { session, rec } = fakeSession();
    hardenSession(session, options());
    const script = vi.fn();
    rec.headersReceived?.(
      { url: 'file:///opt/cwb/out/renderer/assets/a.js', resourceType: 'script' },
      script,
    );
    expect(script).toHaveBeenCalledWith({});
    const foreign = vi.fn();
    rec.headersReceived?.({ url: 'https://evil.example/', resourceType: 'mainFrame' }, foreign);
    expect(foreign).toHaveBeenCalledWith({});
  });
});

describe('installSecurityHandlers', () => {
  it('hardens every webContents created later and the session', () => {
    const appHandlers = new Map<string, (...args: unknown[]) => void>();
    const app = {
      on: (event: string, h: (...args: unknown[]) => void) => appHandlers.set(event, h),
    } as unknown as App;
    const { session, rec } = fakeSession();
    installSecurityHandlers({ app, session, ...options() });

    expect(rec.permissionRequest).toBeTypeOf('function');
    expect(rec.headersReceived).toBeTypeOf('function');
    const created = appHandlers.get('web-contents-created');
    expect(created).toBeTypeOf('function');

    const f = fakeWebContents();
    created?.({}, f.contents);
    const e = navEvent('https://evil.example/');
    f.emit('will-navigate', e);
    expect(e.preventDefault).toHaveBeenCalledOnce();
    expect(f.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
  });
});

// ---- the preload -------------------------------------------------------------------------

describe('preload: window.app', () => {
  let exposed: Record<string, unknown>;
  let ipcListener: (event: unknown, name: unknown, payload: unknown) => void;

  beforeAll(async () => {
    await import('../../preload/index');
    expect(electronStub.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    const [key, api] = electronStub.contextBridge.exposeInMainWorld.mock.calls[0] as [
      string,
      Record<string, unknown>,
    ];
    expect(key).toBe('app');
    exposed = api;
    const [channel, listener] = electronStub.ipcRenderer.on.mock.calls[0] as [string, typeof ipcListener];
    expect(channel).toBe(EVENT_CHANNEL);
    ipcListener = listener;
  });

  it('exposes exactly { invoke, on }', () => {
    expect(Object.keys(exposed).sort()).toEqual(['invoke', 'on']);
    expect(exposed.invoke).toBeTypeOf('function');
    expect(exposed.on).toBeTypeOf('function');
  });

  it('invoke goes through the one channel and returns the result', async () => {
    const result = { ok: true, value: { total: 1 } };
    electronStub.ipcRenderer.invoke.mockResolvedValueOnce(result);
    const invoke = exposed.invoke as (name: unknown, input: unknown) => Promise<unknown>;
    await expect(invoke('tasks.list', { search: 'x' })).resolves.toEqual(result);
    expect(electronStub.ipcRenderer.invoke).toHaveBeenLastCalledWith(INVOKE_CHANNEL, 'tasks.list', {
      search: 'x',
    });
  });

  it('invoke never throws: IPC failures become an error envelope', async () => {
    electronStub.ipcRenderer.invoke.mockRejectedValueOnce(new Error('An object could not be cloned.'));
    const invoke = exposed.invoke as (
      name: unknown,
      input: unknown,
    ) => Promise<{ ok: boolean; error?: { code: string } }>;
    const r = await invoke('tasks.list', {});
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('INTERNAL');
    const bad = await invoke(42, {});
    expect(bad).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
  });

  it('on accepts only known events', () => {
    const on = exposed.on as (event: unknown, cb: unknown) => () => void;
    expect(() => on('evil.event', () => {})).toThrow(/未知事件/);
    expect(() => on('__proto__', () => {})).toThrow(/未知事件/);
    expect(() => on('records.changed', 'not a function')).toThrow();
  });

  it('on delivers only the payload (never the IpcRendererEvent) and unsubscribes', () => {
    const on = exposed.on as (event: string, cb: (...args: unknown[]) => void) => () => void;
    const cb = vi.fn();
    const other = vi.fn();
    const off = on('records.changed', cb);
    on('job.progress', other);
    const fakeIpcEvent = { sender: 'ipcRenderer', ports: [] };
    const payload = { entities: ['task'] };
    ipcListener(fakeIpcEvent, 'records.changed', payload);
    expect(cb).toHaveBeenCalledExactlyOnceWith(payload);
    expect(other).not.toHaveBeenCalled();
    ipcListener(fakeIpcEvent, 'not.an.event', payload);
    off();
    ipcListener(fakeIpcEvent, 'records.changed', payload);
    expect(cb).toHaveBeenCalledOnce();
  });

  it('a failing page callback does not stop the others', () => {
    const on = exposed.on as (event: string, cb: (...args: unknown[]) => void) => () => void;
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    const offBad = on('workspace.changed', () => {
      throw new Error('boom');
    });
    const offGood = on('workspace.changed', good);
    ipcListener({}, 'workspace.changed', { workspace: null });
    expect(good).toHaveBeenCalledOnce();
    offBad();
    offGood();
    spy.mockRestore();
  });
});
