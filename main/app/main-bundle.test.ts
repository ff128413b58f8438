import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { channels } from '../../preload/contract/index.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(root, 'out', 'main', 'index.js');
const data = makeTempDir();
const home = makeTempDir();
afterAll(() => {
  data.cleanup();
  home.cleanup();
});

describe.skipIf(!existsSync(bundle))(
  'built main bundle with a stubbed electron (run `npm run build` first)',
  () => {
    it('boots, registers every channel, hardens the window and answers over IPC', () => {
      mkdirSync(join(home.dir, 'sessions'), { recursive: true });
      const run = spawnSync(
        process.execPath,
        [join(root, 'main/test-support/run-main-bundle.mjs'), bundle, '--codex-home', home.dir],
        {
          env: { ...process.env, THREADSCOPE_DATA_DIR: data.dir, CODEX_HOME: home.dir },
          encoding: 'utf8',
          timeout: 20_000,
        },
      );
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.status).toBe(0);
      const report = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
      expect(report.channels).toEqual([...channels].sort());
      expect(report.singleInstance).toBe(1);
      expect(report.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
      });
      expect(report.preloadExists).toBe(true);
      expect(report.rendererExists).toBe(true);
      expect(report.rendererLoaded).toBe('app://threadscope/index.html');
      expect(report.info).toMatchObject({
        ok: true,
        value: { shell: 'electron', codexHome: home.dir, dataDir: data.dir },
      });
      expect(report.list).toMatchObject({ ok: true, value: { items: [], nextCursor: null } });
      expect(report.badInput).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(report.forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(report.walExists).toBe(true);
      expect(report.helpMenu).toEqual(['Send Feedback…', 'Feedback History', 'Logs']);
    });
  },
);
