import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { devServerUrlFrom, isExternalLink, isRendererUrl } from './window-security.ts';

/**
 * Electron's security checklist (electronjs.org/docs/latest/tutorial/security) over the window and
 * session exactly as the BUILT main bundle sets them up, booted with the stubbed `electron`
 * (main/test-support/run-main-bundle.mjs), whose recorded guards are fired like Electron would.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(root, 'out', 'main', 'index.js');
const rendererDir = join(root, 'out', 'renderer');
const rendererUrl = 'app://threadscope/index.html';

const OUR_PAGES = [rendererUrl, `${rendererUrl}#/thread/x`, 'app://threadscope/'];
const FOREIGN = [
  'https://evil.example/',
  'http://127.0.0.1:8787/',
  'file:///etc/passwd',
  // The built page itself over file:// is not ours any more: the window only loads app://.
  pathToFileURL(join(rendererDir, 'index.html')).href,
  'app://evil/index.html',
  'app://threadscope.evil/index.html',
  'app://user@threadscope/index.html',
  pathToFileURL(join(root, 'out', 'renderer-evil', 'index.html')).href,
  pathToFileURL(join(root, 'out', 'main', 'index.js')).href,
  'javascript:alert(1)',
  'data:text/html,<script>1</script>',
  'custom-scheme://x',
];
const PERMISSIONS = [
  'media',
  'geolocation',
  'notifications',
  'openExternal',
  'clipboard-read',
  'display-capture',
  'fullscreen',
  'hid',
  'clipboard-sanitized-write',
];

/** Requests to the app:// protocol: "METHOD url". */
const SERVED = [
  'GET app://threadscope/index.html',
  'GET app://threadscope/',
  'HEAD app://threadscope/index.html',
  'GET app://threadscope/missing.js',
  'GET app://threadscope/../main/index.js',
  'GET app://threadscope/%2e%2e/main/index.js',
  'GET app://threadscope/assets/%2e%2e%2f%2e%2e%2fmain%2findex.js',
  'GET app://threadscope/%2fetc%2fpasswd',
  'GET app://threadscope/assets%5c..%5c..%5cmain%5cindex.js',
  'GET app://threadscope/index.html%00.png',
  'GET app://evil/index.html',
  'POST app://threadscope/index.html',
];
// The built page's script, by its hashed name.
const builtScript = existsSync(join(rendererDir, 'index.html'))
  ? /src="\.\/(assets\/[^"]+\.js)"/.exec(readFileSync(join(rendererDir, 'index.html'), 'utf8'))?.[1]
  : undefined;
const SCRIPT_ENTRY = `GET app://threadscope/${builtScript ?? 'assets/none.js'}`;
SERVED.push(SCRIPT_ENTRY);

interface Served {
  status: number;
  type: string | null;
  csp: string | null;
  bytes: number;
}

interface Envelope {
  ok: boolean;
  error?: { code: string };
}
interface SecurityReport {
  webPreferences: Record<string, unknown>;
  rendererLoaded: string;
  security: {
    loadedVia: string;
    privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[];
    served: Record<string, Served | null>;
    listeners: string[];
    headers: Record<string, string[]>;
    navigation: Record<string, string>;
    webviewPrevented: boolean;
    windowOpen: Record<string, string | null>;
    external: string[];
    permissions: Record<string, { requested: boolean | null; checked: boolean | null }>;
    senders: Record<string, Envelope>;
  };
}

const data = makeTempDir();
const home = makeTempDir();
afterAll(() => {
  data.cleanup();
  home.cleanup();
});

function boot(env: NodeJS.ProcessEnv = {}): SecurityReport {
  mkdirSync(join(home.dir, 'sessions'), { recursive: true });
  const run = spawnSync(
    process.execPath,
    [join(root, 'main/test-support/run-main-bundle.mjs'), bundle, '--codex-home', home.dir],
    {
      env: {
        ...process.env,
        THREADSCOPE_DATA_DIR: data.dir,
        CODEX_HOME: home.dir,
        THREADSCOPE_SECURITY_PROBE: JSON.stringify({
          urls: [...OUR_PAGES, ...FOREIGN, 'https://github.com/openai/codex'],
          permissions: PERMISSIONS,
          served: SERVED,
        }),
        ...env,
      },
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as SecurityReport;
}

describe.skipIf(!existsSync(bundle))('Electron security checklist over the built main bundle', () => {
  let report: SecurityReport;
  beforeAll(() => {
    report = boot();
  });

  it('isolates and sandboxes the renderer (checklist 2-4, 6, 8-12)', () => {
    const prefs = report.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    for (const risky of [
      'allowRunningInsecureContent',
      'experimentalFeatures',
      'enableBlinkFeatures',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'webviewTag',
      'enableRemoteModule',
    ]) {
      expect(prefs[risky], risky).toBeUndefined();
    }
    expect(report.security.webviewPrevented).toBe(true);
  });

  it('sets a strict CSP header on every response (checklist 7)', () => {
    const csp = report.security.headers['Content-Security-Policy']?.join(';') ?? '';
    expect(report.security.headers['X-Test']).toEqual(['1']);
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval|https?:|\*/);
    // The built page's own meta CSP agrees: no eval, no remote source.
    const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(meta).toContain("default-src 'self'");
    expect(meta).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('loads only the local renderer, never remote content (checklist 1, 5)', () => {
    expect(report.security.loadedVia).toBe('loadURL');
    expect(report.rendererLoaded).toBe(rendererUrl);
    const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref, ref).toMatch(/^(\.\/assets\/|data:,$)/);
    // A hostile ELECTRON_RENDERER_URL is ignored: only an http loopback dev server is ever loaded.
    const hostile = boot({ ELECTRON_RENDERER_URL: 'https://evil.example/' });
    expect(hostile.rendererLoaded).toBe(rendererUrl);
    expect(devServerUrlFrom('http://localhost:5173/', false)).toBe('http://localhost:5173/');
    expect(devServerUrlFrom('http://localhost:5173/', true)).toBeUndefined();
    expect(devServerUrlFrom('http://192.168.1.2:5173/', false)).toBeUndefined();
  });

  it('serves the renderer from its own app:// origin, not file:// (checklist 18)', () => {
    expect(report.security.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    const served = report.security.served;
    const page = readFileSync(join(rendererDir, 'index.html'));
    expect(builtScript).toBeDefined();
    expect(served[SCRIPT_ENTRY]).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
      bytes: readFileSync(join(rendererDir, builtScript ?? '')).length,
    });
    for (const entry of ['GET app://threadscope/index.html', 'GET app://threadscope/']) {
      expect(served[entry], entry).toMatchObject({
        status: 200,
        type: 'text/html; charset=utf-8',
        bytes: page.length,
      });
      expect(served[entry]?.csp).toContain("script-src 'self'");
    }
    expect(served['HEAD app://threadscope/index.html']).toMatchObject({ status: 200, bytes: 0 });
    expect(served['POST app://threadscope/index.html']?.status).toBe(405);
    // Nothing outside the renderer folder, however the path is spelled, and no other host.
    for (const entry of SERVED.slice(3, 11)) {
      expect(served[entry], entry).toMatchObject({ status: 404, bytes: 9 });
    }
    // The GrantFileProtocolExtraPrivileges fuse is off in the packaged app: main/hardening/packaging.test.ts.
  });

  it('blocks navigation away from the renderer and every new window (checklist 13-14)', () => {
    const { navigation, windowOpen } = report.security;
    for (const url of OUR_PAGES) expect(navigation[url], url).toBe('allowed');
    for (const url of FOREIGN) expect(navigation[url], url).toBe('prevented');
    for (const action of Object.values(windowOpen)) expect(action).toBe('deny');
  });

  it('opens only http(s) links in the system browser (checklist 15)', () => {
    expect(report.security.external).toEqual([
      'https://evil.example/',
      'http://127.0.0.1:8787/',
      'https://github.com/openai/codex',
    ]);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(isExternalLink(url), url).toBe(false);
    }
  });

  it('denies every permission request and check, except clipboard writes from our own page (checklist 5)', () => {
    const { permissions } = report.security;
    expect(Object.keys(permissions)).toHaveLength(
      PERMISSIONS.length * (OUR_PAGES.length + FOREIGN.length + 1),
    );
    for (const [key, result] of Object.entries(permissions)) {
      const [permission = '', url = ''] = key.split(' ');
      const allowed = permission === 'clipboard-sanitized-write' && OUR_PAGES.includes(url);
      expect(result, key).toEqual({ requested: allowed, checked: allowed });
    }
  });

  it('answers IPC only from our renderer frame (checklist 17)', () => {
    const { senders } = report.security;
    for (const url of OUR_PAGES) expect(senders[url]?.ok, url).toBe(true);
    for (const url of [...FOREIGN, 'null']) {
      expect(senders[url], url).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    const source = { rendererDir, devServerUrl: 'http://localhost:5173/' };
    expect(isRendererUrl('http://localhost:5173/#/threads', source)).toBe(true);
    expect(isRendererUrl('http://localhost:51730/', source)).toBe(false);
    expect(isRendererUrl('http://localhost:5173.evil.example/', source)).toBe(false);
  });

  it('ships no remote module (@electron/remote, removed from Electron itself)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).not.toHaveProperty(['@electron/remote']);
    for (const dir of ['main', 'preload']) {
      for (const file of readdirSync(join(root, 'out', dir), { recursive: true, encoding: 'utf8' })) {
        if (!/\.c?js$/.test(file)) continue;
        const text = readFileSync(join(root, 'out', dir, file), 'utf8');
        expect(text, file).not.toMatch(/@electron\/remote|enableRemoteModule/);
      }
    }
  });
});
