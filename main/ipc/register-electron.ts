import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channels } from '../../preload/contract/index.ts';
import type { EventBus } from './event-bus.ts';
import type { Router } from './router.ts';

/** Only our own renderer (file:// build or the dev server) may call main. */
export type SenderCheck = (url: string) => boolean;

export function registerIpc(ipcMain: IpcMain, router: Router, isTrustedSender: SenderCheck): () => void {
  for (const channel of channels) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown) => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedSender(url)) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: `Caller ${url || '(unknown)'} is not allowed` },
        };
      }
      return router.dispatch(channel, input, { transport: 'electron' });
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** Forward bus events to a window's renderer on the `event:<name>` channel the preload listens on. */
export function forwardEvents(bus: EventBus, contents: WebContents): () => void {
  return bus.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(`event:${name}`, payload);
  });
}
