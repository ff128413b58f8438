import { app, BrowserWindow, dialog, ipcMain, protocol, shell } from 'electron';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppCore, type AppCore } from './app/app-core.ts';
import { builtWorkers } from './app/worker-url.ts';
import { defaultCodexHome, defaultDataDir } from './core/paths.ts';
import { feedbackConfigFromEnv } from './feedback/feedback-config.ts';
import { logsConfigFromEnv } from './logs/logs-config.ts';
import { forwardEvents, registerIpc } from './ipc/register-electron.ts';
import { installAppMenu } from './window/app-menu.ts';
import { createMainWindow } from './window/main-window.ts';
import { RENDERER_SCHEME, RENDERER_SCHEME_PRIVILEGES, rendererResponse } from './window/renderer-protocol.ts';
import { devServerUrlFrom, isRendererUrl } from './window/window-security.ts';

const { values: flags } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: { 'codex-home': { type: 'string' }, 'data-dir': { type: 'string' } },
  strict: false,
  allowPositionals: true,
});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const here = import.meta.dirname;
const rendererDir = join(here, '../renderer');
const devServerUrl = devServerUrlFrom(process.env.ELECTRON_RENDERER_URL, app.isPackaged);

// The renderer's own origin (app://threadscope/), declared before the app is ready as Electron requires.
protocol.registerSchemesAsPrivileged([RENDERER_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  // Another Threadscope owns the state DB; it will focus its window (second-instance below).
  app.quit();
} else {
  let core: AppCore | null = null;
  let win: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', (event) => {
    if (!core) return;
    event.preventDefault();
    const closing = core;
    core = null;
    void closing.close().finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    protocol.handle(RENDERER_SCHEME, (request) => rendererResponse(request, rendererDir));
    const dataDir =
      str(flags['data-dir']) ??
      (process.env.THREADSCOPE_DATA_DIR ? defaultDataDir() : app.getPath('userData'));
    const codexHome = str(flags['codex-home']) ?? defaultCodexHome();
    try {
      core = await createAppCore({
        codexHome,
        dataDir,
        shell: 'electron',
        workers: builtWorkers(import.meta.url),
        // An invalid value stops start-up with a dialog naming the variable (the catch below).
        logs: logsConfigFromEnv(),
        feedback: feedbackConfigFromEnv(),
        showItemInFolder: (path) => shell.showItemInFolder(path),
        dialogs: {
          async saveFile({ title, defaultName, extensions }) {
            const opts = {
              title,
              defaultPath: join(app.getPath('downloads'), defaultName),
              filters: [{ name: 'Markdown', extensions }],
            };
            const parent = win && !win.isDestroyed() ? win : null;
            const r = parent ? await dialog.showSaveDialog(parent, opts) : await dialog.showSaveDialog(opts);
            return r.canceled || !r.filePath ? null : r.filePath;
          },
        },
      });
    } catch (err) {
      dialog.showErrorBox('Threadscope cannot start', (err as Error).message);
      app.exit(1);
      return;
    }
    registerIpc(ipcMain, core.router, (url) => isRendererUrl(url, { rendererDir, devServerUrl }));
    installAppMenu();
    const open = (): BrowserWindow => {
      const w = createMainWindow({
        preloadPath: join(here, '../preload/index.cjs'),
        rendererDir,
        devServerUrl,
        stateFile: join(dataDir, 'window-state.json'),
      });
      if (core) {
        const stop = forwardEvents(core.bus, w.webContents);
        w.on('closed', stop);
      }
      return w;
    };
    win = open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) win = open();
    });
    core.start().catch((err: unknown) => {
      process.stderr.write(`[threadscope] initial ingest failed: ${(err as Error).message}\n`);
    });
  });
}
