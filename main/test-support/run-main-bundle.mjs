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
const rendererUrl = pathToFileURL(join(out, 'renderer', 'index.html')).href;
const call = (channel, input, url = rendererUrl) =>
  stub.handlers.get(channel)({ senderFrame: { url } }, input);

const win = stub.windows[0];
const report = {
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
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
