import { BrowserWindow, screen, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fitToDisplays, loadWindowState, saveWindowState } from './window-state.ts';

export interface MainWindowOptions {
  preloadPath: string;
  rendererDir: string;
  /** electron-vite dev server, when running `electron-vite dev`. */
  devServerUrl: string | undefined;
  stateFile: string;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The renderer's origin as the sender check and navigation guard see it. */
export function rendererOrigin(opts: Pick<MainWindowOptions, 'rendererDir' | 'devServerUrl'>): string {
  return opts.devServerUrl ? new URL(opts.devServerUrl).origin : pathToFileURL(opts.rendererDir).href;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const saved = fitToDisplays(
    loadWindowState(opts.stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...(saved.x !== undefined && saved.y !== undefined ? { x: saved.x, y: saved.y } : {}),
    width: saved.width,
    height: saved.height,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Threadscope',
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (saved.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  // Every page load carries the CSP header as well as the meta tag (dev server responses included).
  win.webContents.session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  const origin = rendererOrigin(opts);
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(origin)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  const persist = (): void => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    try {
      saveWindowState(opts.stateFile, { ...b, maximized: win.isMaximized() });
    } catch {
      // Losing the window position is not worth interrupting the user.
    }
  };
  win.on('close', persist);

  if (opts.devServerUrl) void win.loadURL(opts.devServerUrl);
  else void win.loadFile(join(opts.rendererDir, 'index.html'));
  return win;
}
