import { channels, eventNames } from '../../preload/contract/index.ts';

export const BRIDGE_PATH = '/__serve/bridge.js';

/**
 * `window.api` for a browser: the same `WindowApi` shape as the Electron preload, over
 * `fetch('/api/<channel>')` and one shared `EventSource('/events')`. Like the preload it refuses
 * channels and events outside the contract before anything leaves the page, and it always resolves
 * `invoke` with an envelope (transport failures become UNAVAILABLE / FORBIDDEN envelopes).
 * Plain ES2020 text, because it is served as-is and must not depend on the bundler.
 */
export function bridgeScript(): string {
  return `(() => {
  'use strict';
  const CHANNELS = new Set(${JSON.stringify(channels)});
  const EVENTS = new Set(${JSON.stringify(eventNames)});
  const fail = (code, message) => ({ ok: false, error: { code, message } });
  let source = null;
  const listeners = new Map();

  const ensureSource = () => {
    if (source) return source;
    source = new EventSource('/events');
    // Events sent before the stream (re)connected are lost: on every open, ask the page to refetch.
    source.addEventListener('open', () => {
      for (const fn of Array.from(listeners.get('threads:changed') || [])) {
        try { fn({ ids: [], all: true }); } catch (err) { console.error(err); }
      }
    });
    for (const name of EVENTS) {
      source.addEventListener(name, (ev) => {
        let payload;
        try { payload = JSON.parse(ev.data); } catch { return; }
        for (const fn of Array.from(listeners.get(name) || [])) {
          try { fn(payload); } catch (err) { console.error(err); }
        }
      });
    }
    return source;
  };

  const api = {
    async invoke(channel, input) {
      if (!CHANNELS.has(channel)) return fail('UNKNOWN_CHANNEL', 'Unknown channel: ' + String(channel));
      let res;
      try {
        res = await fetch('/api/' + encodeURIComponent(channel), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: input === undefined ? '' : JSON.stringify(input),
        });
      } catch (err) {
        return fail('UNAVAILABLE', 'Cannot reach the Threadscope server: ' + (err && err.message ? err.message : String(err)));
      }
      if (res.status === 401) {
        return fail('FORBIDDEN', 'Access token missing or expired: open the URL printed by "threadscope serve" again.');
      }
      if (res.status === 429) {
        return fail('FORBIDDEN', 'Too many wrong access tokens: open the URL printed by "threadscope serve" again.');
      }
      let body;
      try { body = await res.json(); } catch { body = null; }
      if (body && typeof body === 'object' && typeof body.ok === 'boolean') return body;
      return fail(res.status >= 500 ? 'INTERNAL' : 'UNAVAILABLE', 'Unexpected HTTP ' + res.status + ' from ' + channel);
    },
    on(event, listener) {
      if (!EVENTS.has(event)) throw new Error('Unknown event: ' + event);
      ensureSource();
      let set = listeners.get(event);
      if (!set) { set = new Set(); listeners.set(event, set); }
      set.add(listener);
      return () => { set.delete(listener); };
    },
  };

  Object.defineProperty(window, 'api', { value: Object.freeze(api), writable: false, configurable: false });
})();
`;
}
