import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventNames, isChannel, type WindowApi } from './contract/index.ts';

const allowedEvents = new Set<string>(eventNames);

/** The single object the renderer sees. Anything outside the contract is refused before it reaches main. */
const api: WindowApi = {
  invoke(channel, input) {
    if (!isChannel(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel: ${String(channel)}` },
      });
    }
    return ipcRenderer.invoke(channel, input);
  },
  on(event, listener) {
    if (!allowedEvents.has(event)) throw new Error(`Unknown event: ${event}`);
    const wrapped = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(`event:${event}`, wrapped);
    return () => {
      ipcRenderer.removeListener(`event:${event}`, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
