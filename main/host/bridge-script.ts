/**
 * Served as /__bridge.js by the web host and loaded before the renderer. It defines the same
 * `window.app = { invoke, on }` the Electron preload exposes, over HTTP + Server-Sent Events.
 * The per-run token arrives once in the URL (?token=…), is kept in sessionStorage and removed
 * from the address bar.
 */
export const BRIDGE_SCRIPT = `(() => {
  'use strict';
  const params = new URLSearchParams(location.search);
  let token = params.get('token');
  if (token) {
    sessionStorage.setItem('cwb-token', token);
    params.delete('token');
    const q = params.toString();
    history.replaceState(null, '', location.pathname + (q ? '?' + q : '') + location.hash);
  } else {
    token = sessionStorage.getItem('cwb-token') || '';
  }
  const listeners = new Map();
  let source = null;
  function connect() {
    if (source) return;
    source = new EventSource('/api/events?token=' + encodeURIComponent(token));
    source.addEventListener('app', (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      const set = listeners.get(msg.name);
      if (set) for (const cb of [...set]) { try { cb(msg.payload); } catch (e) { console.error(e); } }
    });
  }
  async function invoke(name, input) {
    try {
      const res = await fetch('/api/invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
        body: JSON.stringify({ name, input: input === undefined ? {} : input }),
      });
      return await res.json();
    } catch (e) {
      return { ok: false, error: { code: 'IO_ERROR', message: '无法连接本地服务：' + (e && e.message ? e.message : String(e)) } };
    }
  }
  function on(name, cb) {
    connect();
    let set = listeners.get(name);
    if (!set) { set = new Set(); listeners.set(name, set); }
    set.add(cb);
    return () => { set.delete(cb); };
  }
  Object.defineProperty(window, 'app', { value: Object.freeze({ invoke, on }), writable: false, configurable: false });
})();
`;
