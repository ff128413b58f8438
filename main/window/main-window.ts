import { BrowserWindow, screen, shell } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../core/csp.ts';
import { RENDERER_ENTRY_URL } from './renderer-protocol.ts';
import { fitToDisplays, loadWindowState, saveWindowState } from './window-state.ts';
import { isExternalLink, isPermissionAllowed, isRendererUrl } from './window-security.ts';

export interface MainWindowOptions {
  preloadPath: string;
  rendererDir: string;
  /** electron-vite dev server, when running `electron-vite dev`. */
  devServerUrl: string | undefined;
  stateFile: string;
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

  // No device, notification or other permission for anyone; our own page may write the clipboard.
  const { session } = win.webContents;
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl || contents.getURL(), opts));
  });
  session.setPermissionCheckHandler((contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? contents?.getURL() ?? requestingOrigin, opts),
  );

  // The window only ever shows our renderer: links open in the system browser, nothing else opens.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isRendererUrl(url, opts)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
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
  else void win.loadURL(RENDERER_ENTRY_URL);
  return win;
}
