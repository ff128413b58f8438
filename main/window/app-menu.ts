import { BrowserWindow, Menu, type MenuItemConstructorOptions } from 'electron';

/** Opens a route of the renderer's hash router in the focused (or first) window. */
function go(hash: string): void {
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  if (!win) return;
  void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(hash)}`);
  win.show();
}

/**
 * The application menu: the platform's standard menus plus Help → Send Feedback… (feedback about the app
 * itself, PRODUCT.md) and shortcuts to the Logs and Feedback pages.
 */
export function installAppMenu(): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Send Feedback…', click: () => go('#/feedback?new=1') },
        { label: 'Feedback History', click: () => go('#/feedback') },
        { label: 'Logs', accelerator: 'CmdOrCtrl+Shift+L', click: () => go('#/logs') },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
