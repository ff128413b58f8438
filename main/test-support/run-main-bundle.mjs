// node main/test-support/run-main-bundle.mjs out/main/index.js
// Boots the built Electron main bundle with `electron` mapped to electron-stub.mjs, then calls its
// IPC handlers the way Electron would and prints one JSON report on stdout.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const bundle = resolve(process.argv[2] ?? 'out/main/index.js');
const stubUrl = pathToFileURL(join(import.meta.dirname, 'electron-stub.mjs')).href;
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'electron') return { url: stubUrl, shortCircuit: true, format: 'module' };
    return next(specifier, context);
  },
});

await import(pathToFileURL(bundle).href);
const stub = globalThis.__electronStub;
for (let i = 0; i < 200 && stub.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 25));

const out = dirname(dirname(bundle));
const rendererUrl = 'app://threadscope/index.html';
const call = (channel, input, url = rendererUrl) =>
  stub.handlers.get(channel)({ senderFrame: { url } }, input);

const win = stub.windows[0];
const report = {
  rendererUrl,
  channels: [...stub.handlers.keys()].sort(),
  singleInstance: stub.singleInstance,
  webPreferences: win?.options.webPreferences ?? null,
  preloadExists: win ? existsSync(win.options.webPreferences.preload) : false,
  rendererLoaded: win?.loaded ?? null,
  rendererExists: existsSync(join(out, 'renderer', 'index.html')),
  info: await call('app:info', {}),
  list: await call('threads:list', { limit: 5 }),
  badInput: await call('threads:get', { id: 'nope' }),
  forbidden: await call('app:info', {}, 'https://evil.example/'),
  helpMenu: (stub.menu?.template.find((m) => m.role === 'help')?.submenu ?? []).map((i) => i.label),
  walExists: existsSync(join(process.env.THREADSCOPE_DATA_DIR, 'state_5.sqlite-wal')),
};

// THREADSCOPE_SECURITY_PROBE={"urls":[…],"permissions":[…]}: fire the window's guards like Electron would.
const probe = process.env.THREADSCOPE_SECURITY_PROBE;
if (probe && win) {
  const probeJson = JSON.parse(probe);
  const { urls, permissions } = probeJson;
  const wc = win.webContents;
  const fire = (name, url) => {
    let prevented = false;
    wc.listeners.get(name)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  let headers = null;
  wc.headerHook?.(
    { url: rendererUrl, responseHeaders: { 'X-Test': ['1'] } },
    (r) => (headers = r.responseHeaders),
  );
  const permissionResults = {};
  for (const url of urls) {
    for (const permission of permissions) {
      let granted = null;
      wc.permissionRequestHandler?.(wc, permission, (g) => (granted = g), { requestingUrl: url });
      const checked = wc.permissionCheckHandler?.(wc, permission, url, { requestingUrl: url }) ?? null;
      permissionResults[`${permission} ${url}`] = { requested: granted, checked };
    }
  }
  const senders = {};
  for (const url of [...urls, null]) {
    const frame = url === null ? null : { url };
    senders[String(url)] = await stub.handlers.get('app:info')({ senderFrame: frame }, {});
  }
  // The renderer's protocol, asked like Chromium would (the probe's urls plus traversal attempts).
  const served = {};
  const handler = stub.protocols.get('app');
  // Each entry is "METHOD url".
  for (const entry of probeJson.served ?? []) {
    const [method, url] = entry.split(' ');
    const res = handler ? await handler(new Request(url, { method })) : null;
    served[entry] = res && {
      status: res.status,
      type: res.headers.get('content-type'),
      csp: res.headers.get('content-security-policy'),
      bytes: (await res.arrayBuffer()).byteLength,
    };
  }
  report.security = {
    loadedVia: win.loadedVia,
    privilegedSchemes: stub.privilegedSchemes,
    served,
    listeners: [...wc.listeners.keys()].sort(),
    headers,
    navigation: Object.fromEntries(urls.map((u) => [u, fire('will-navigate', u) ? 'prevented' : 'allowed'])),
    webviewPrevented: fire('will-attach-webview', rendererUrl),
    windowOpen: Object.fromEntries(urls.map((u) => [u, wc.openHandler?.({ url: u })?.action ?? null])),
    external: stub.external,
    permissions: permissionResults,
    senders,
  };
}
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
