import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channels, eventNames, type WindowApi } from './contract/index.ts';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (channel: string) => ({ ok: true, value: channel }));
const on = vi.fn();
const removeListener = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: { invoke, on, removeListener },
}));

describe('preload allowlist', () => {
  beforeEach(async () => {
    vi.resetModules();
    await import('./index.ts');
  });

  it('exposes exactly one object, window.api = { invoke, on }', () => {
    expect(Object.keys(exposed)).toEqual(['api']);
    expect(Object.keys(exposed.api as object).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards every contract channel and nothing else', async () => {
    const api = exposed.api as WindowApi;
    for (const c of channels) await expect(api.invoke(c, {})).resolves.toEqual({ ok: true, value: c });
    expect(invoke).toHaveBeenCalledTimes(channels.length);
    await expect(api.invoke('fs:readFile', { path: '/etc/passwd' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(invoke).toHaveBeenCalledTimes(channels.length);
  });

  it('subscribes only to contract events and unsubscribes cleanly', () => {
    const api = exposed.api as WindowApi;
    for (const e of eventNames) {
      const off = api.on(e, () => {});
      off();
    }
    expect(on).toHaveBeenCalledTimes(eventNames.length);
    expect(removeListener).toHaveBeenCalledTimes(eventNames.length);
    expect(() => api.on('ipc:anything', () => {})).toThrowError(/Unknown event/);
  });
});
