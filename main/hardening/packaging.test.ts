import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, matchesGlob, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run dist` (electron-builder) cannot run here: it downloads Electron. What can be checked
 * without the binary: electron-builder's own loader and schema accept electron-builder.yml, and the
 * file set that config selects is the built app (out/ and package.json), never sources or tests,
 * with every module the main bundle imports at run time packed and better-sqlite3 outside the asar.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(root, 'out');
const require = createRequire(join(root, 'package.json'));

interface TargetConfig {
  target?: (string | { target: string })[];
}
interface BuilderConfig extends Record<string, unknown> {
  appId?: string;
  productName?: string;
  icon?: string;
  /** Normalised by getConfig to `[{ filter: [...] }]`. */
  files?: (string | { filter?: string[] })[];
  asar?: boolean;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  electronFuses?: Record<string, boolean>;
  linux?: TargetConfig;
  mac?: TargetConfig;
  win?: TargetConfig;
}
interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
}
const builder = require('app-builder-lib/out/util/config/config.js') as ConfigModule;
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

interface PackageJson {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

/** electron-builder's `files` semantics: the last pattern that matches decides (`!` excludes). */
function selects(patterns: readonly string[], path: string): boolean {
  let inside = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchesGlob(path, p.slice(1))) inside = false;
    } else if (matchesGlob(path, p)) inside = true;
  }
  return inside;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const targetNames = (c: TargetConfig | undefined): string[] =>
  (c?.target ?? []).map((t) => (typeof t === 'string' ? t : t.target));

let config: BuilderConfig;
let files: string[];
beforeAll(async () => {
  config = await builder.getConfig(root, null, null);
  files = (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
});

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema validation and names the app, targets and icon", async () => {
    await expect(builder.validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator is live: an unknown key or a wrong type is refused.
    await expect(
      builder.validateConfiguration({ ...config, appIdentifier: 'x' }, new DebugLogger(false)),
    ).rejects.toThrow(/unknown property 'appIdentifier'/);

    expect(config.appId).toBe('dev.threadscope.app');
    expect(config.productName).toBe('Threadscope');
    expect(targetNames(config.linux).sort()).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.mac)).toEqual(['dmg']);
    expect(targetNames(config.win)).toEqual(['nsis']);
    // Prebuilt N-API binaries: nothing may be rebuilt (and nothing downloaded) for Electron.
    expect(config.npmRebuild).toBe(false);
    // Electron security checklist 19: the fuses the app never needs are off.
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      // The renderer is served from app:// (checklist 18): file:// pages get no extra privileges.
      grantFileProtocolExtraPrivileges: false,
    });

    const icon = readFileSync(join(root, config.icon ?? 'missing'));
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([512, 512]);

    expect(pkg.scripts.dist).toBe('electron-vite build && electron-builder');
    // The one dependency install script electron-builder brings (Squirrel's 7-Zip picker) stays off.
    expect(pkg.allowScripts['electron-winstaller']).toBe(false);
  });

  it('selects the built app and package.json, never sources, tests or benchmarks', () => {
    expect(config.asar).toBe(true);
    expect(selects(files, 'package.json')).toBe(true);
    expect(selects(files, pkg.main)).toBe(true);
    for (const path of [
      'main/index.ts',
      'main/hardening/packaging.test.ts',
      'preload/index.ts',
      'renderer/main.tsx',
      'migrations/state/0001_threads.sql',
      'e2e/threads.browser.spec.ts',
      'bench/run-bench.ts',
      '.bench/home/sessions/x.jsonl',
      'build/icon.png',
      'electron-builder.yml',
      'README.md',
      'reports/unit.json',
      'out/main/index.js.map',
    ]) {
      expect(selects(files, path), path).toBe(false);
    }
  });

  it('keeps every better-sqlite3 prebuild and its loader out of the asar, and drops its sources', () => {
    const unpack = config.asarUnpack ?? [];
    const mod = join(root, 'node_modules', 'better-sqlite3');
    const shipped = walk(mod)
      .map((f) => relative(root, f))
      .filter((f) => selects(['**/*', ...files.filter((p) => p.startsWith('!'))], f));
    const natives = shipped.filter((f) => f.endsWith('.node'));
    expect(natives).toContain(
      `node_modules/better-sqlite3/prebuilds/${process.platform}-${process.arch}.node`,
    );
    for (const f of shipped)
      expect(
        unpack.some((p) => matchesGlob(f, p)),
        f,
      ).toBe(true);
    expect(shipped).toContain('node_modules/better-sqlite3/lib/binding.js');
    expect(shipped.some((f) => /better-sqlite3\/(deps|src)\//.test(f) || f.endsWith('binding.gyp'))).toBe(
      false,
    );
  });
});

describe.skipIf(!existsSync(join(outDir, 'main', 'index.js')))(
  'the packaged file set of the built app (run `npm run build` first)',
  () => {
    it('packs out/main, out/preload and out/renderer whole, and every module main imports at run time', () => {
      const built = walk(outDir).map((f) => relative(root, f).split('\\').join('/'));
      const packed = built.filter((f) => selects(files, f));
      expect(built.filter((f) => !selects(files, f)).every((f) => f.endsWith('.map'))).toBe(true);
      for (const dir of ['out/main/', 'out/preload/', 'out/renderer/']) {
        expect(
          packed.some((f) => f.startsWith(dir)),
          dir,
        ).toBe(true);
      }
      expect(packed).toContain('out/preload/index.cjs');
      expect(packed).toContain('out/renderer/index.html');
      for (const w of ['ingest-worker', 'extract-worker', 'search-worker', 'logs-worker']) {
        expect(packed).toContain(`out/main/${w}.js`);
      }

      // Bare imports left in the main bundle are loaded from node_modules in the packaged app:
      // electron-builder packs `dependencies` (never devDependencies), so each must be one.
      const bare = new Set<string>();
      for (const f of packed.filter((p) => p.startsWith('out/main/') && p.endsWith('.js'))) {
        const src = readFileSync(join(root, f), 'utf8');
        for (const m of src.matchAll(
          /(?:\bfrom|\bimport\(|\brequire\()\s*["']((?:@[\w.-]+\/)?[\w-][\w.-]*(?:\/[\w./-]+)?|node:[\w/]+)["']/g,
        )) {
          const spec = m[1] ?? '';
          if (spec.startsWith('node:') || spec === 'electron') continue;
          bare.add(
            spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec),
          );
        }
      }
      expect([...bare].sort()).toEqual(
        expect.arrayContaining(['better-sqlite3', 'chokidar', 'smol-toml', 'zod']),
      );
      for (const dep of bare) expect(pkg.dependencies[dep], `${dep} must be a dependency`).toBeDefined();
    });
  },
);
