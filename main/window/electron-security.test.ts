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
const rendererUrl = pathToFileURL(join(rendererDir, 'index.html')).href;

const OUR_PAGES = [rendererUrl, `${rendererUrl}#/thread/x`];
const FOREIGN = [
  'https://evil.example/',
  'http://127.0.0.1:8787/',
  'file:///etc/passwd',
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

interface Envelope {
  ok: boolean;
  error?: { code: string };
}
interface SecurityReport {
  webPreferences: Record<string, unknown>;
  rendererLoaded: string;
  security: {
    loadedVia: string;
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
    expect(report.security.loadedVia).toBe('loadFile');
    expect(report.rendererLoaded).toBe(join(rendererDir, 'index.html'));
    const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref, ref).toMatch(/^(\.\/assets\/|data:,$)/);
    // A hostile ELECTRON_RENDERER_URL is ignored: only an http loopback dev server is ever loaded.
    const hostile = boot({ ELECTRON_RENDERER_URL: 'https://evil.example/' });
    expect(hostile.security.loadedVia).toBe('loadFile');
    expect(devServerUrlFrom('http://localhost:5173/', false)).toBe('http://localhost:5173/');
    expect(devServerUrlFrom('http://localhost:5173/', true)).toBeUndefined();
    expect(devServerUrlFrom('http://192.168.1.2:5173/', false)).toBeUndefined();
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
