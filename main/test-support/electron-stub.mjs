// A stand-in for the `electron` module, enough for main/index.ts to boot in plain Node.
// It records what the app registers so run-main-bundle.mjs can call it like Electron would.
import { pathToFileURL } from 'node:url';

export const recorded = {
  handlers: new Map(),
  windows: [],
  sent: [],
  singleInstance: 0,
  menu: null,
  /** URLs handed to shell.openExternal. */
  external: [],
  /** protocol.registerSchemesAsPrivileged calls, and scheme -> protocol.handle handler. */
  privilegedSchemes: [],
  protocols: new Map(),
};
globalThis.__electronStub = recorded;

const listeners = new Map();
export const app = {
  isPackaged: false,
  requestSingleInstanceLock: () => {
    recorded.singleInstance += 1;
    return true;
  },
  on: (name, fn) => listeners.set(name, fn),
  whenReady: () => Promise.resolve(),
  getPath: () => process.env.THREADSCOPE_DATA_DIR,
  quit: () => {},
  exit: (code) => process.exit(code),
};

export const ipcMain = {
  handle: (channel, fn) => recorded.handlers.set(channel, fn),
  removeHandler: (channel) => recorded.handlers.delete(channel),
};

class WebContents {
  constructor() {
    /** Event name -> listener, so the runner can fire will-navigate and the like. */
    this.listeners = new Map();
    this.url = '';
    this.session = {
      webRequest: { onHeadersReceived: (fn) => (this.headerHook = fn) },
      setPermissionRequestHandler: (fn) => (this.permissionRequestHandler = fn),
      setPermissionCheckHandler: (fn) => (this.permissionCheckHandler = fn),
    };
  }
  on(name, fn) {
    this.listeners.set(name, fn);
  }
  getURL() {
    return this.url;
  }
  setWindowOpenHandler(fn) {
    this.openHandler = fn;
  }
  send(channel, payload) {
    recorded.sent.push({ channel, payload });
  }
  isDestroyed() {
    return false;
  }
}

export class BrowserWindow {
  static getAllWindows() {
    return recorded.windows;
  }
  constructor(options) {
    this.options = options;
    this.webContents = new WebContents();
    recorded.windows.push(this);
  }
  once() {}
  on() {}
  maximize() {}
  isMaximized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1280, height: 820 };
  }
  loadFile(file) {
    this.loaded = file;
    this.loadedVia = 'loadFile';
    this.webContents.url = pathToFileURL(file).href;
    return Promise.resolve();
  }
  loadURL(url) {
    this.loaded = url;
    this.loadedVia = 'loadURL';
    this.webContents.url = url;
    return Promise.resolve();
  }
}

export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: (menu) => (recorded.menu = menu),
};
BrowserWindow.getFocusedWindow = () => recorded.windows[0] ?? null;

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const shell = {
  openExternal: (url) => {
    recorded.external.push(url);
    return Promise.resolve();
  },
  showItemInFolder: () => {},
};
export const dialog = { showErrorBox: (title, msg) => console.error(title, msg) };
export const protocol = {
  registerSchemesAsPrivileged: (schemes) => recorded.privilegedSchemes.push(...schemes),
  handle: (scheme, fn) => recorded.protocols.set(scheme, fn),
};
export default { app, ipcMain, BrowserWindow, Menu, screen, shell, dialog, protocol };
