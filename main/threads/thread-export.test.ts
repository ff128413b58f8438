import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFixtureHome, haveRealFixtures, NO_FIXTURES_MESSAGE } from '../test-support/fixture-home.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import {
  assistantLine,
  harness,
  ID,
  invoke,
  metaLine,
  userLine,
  writeSession,
  type Harness,
} from './thread-actions-test-kit.ts';
import { exportThreadMarkdown, homeFromCwd, homeShortener } from './thread-export.ts';

const inline = () => ({ ingest: null, extract: null });

describe('home directory shortening', () => {
  it('finds the home in a cwd', () => {
    expect(homeFromCwd('/Users/kane/Workspace/app')).toBe('/Users/kane');
    expect(homeFromCwd('/home/relu')).toBe('/home/relu');
    expect(homeFromCwd('C:\\Users\\stell\\GolfIQ')).toBe('C:\\Users\\stell');
    expect(homeFromCwd('/mnt/d/ai/MoonMind')).toBeNull();
  });

  it('replaces whole path prefixes only', () => {
    const s = homeShortener(['/home/alice', 'C:\\Users\\bob']);
    expect(s('cd /home/alice/app && ls /home/alice')).toBe('cd ~/app && ls ~');
    expect(s('/home/alice2/x /srv/home/alice/x /home/alice.bak')).toBe(
      '/home/alice2/x /srv/home/alice/x /home/alice.bak',
    );
    expect(s('"workdir":"C:\\\\Users\\\\bob\\\\repo" C:\\Users\\bob\\repo')).toBe(
      '"workdir":"~\\\\repo" ~\\repo',
    );
  });
});

describe('threads:exportMarkdown', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness(inline);
  });
  afterEach(() => h.cleanup());

  it('renders metadata and transcript with this user’s home shortened', async () => {
    const cwd = join(homedir(), 'work', 'app');
    writeSession(
      h.home,
      metaLine(ID, { branch: 'main' }, cwd) +
        userLine(`look at ${cwd}/src/index.ts`) +
        assistantLine('Done: see `src/index.ts`.\n\n```ts\nexport {};\n```'),
    );
    const c = await h.core();
    await c.start();
    const out = await invoke(c, 'threads:exportMarkdown', { id: ID });
    expect(out.fileName).toBe('look-at-work-app-src-index-ts-019c0000.md');
    expect(out.truncated).toBe(false);
    expect(out.markdown).not.toContain(homedir() + '/');
    expect(out.markdown).toContain('| Project | `~/work/app` |');
    expect(out.markdown).toContain('| Git branch | `main` |');
    expect(out.markdown).toContain('### User · 2026-03-01 10:00:01 UTC\n\nlook at ~/work/app/src/index.ts');
    expect(out.markdown).toContain('### Assistant · 2026-03-01 10:00:05 UTC\n\nDone: see `src/index.ts`.');
  });

  it('cuts a long transcript at the cap and says so', async () => {
    const big = 'x'.repeat(2000);
    let content = metaLine() + userLine('long one');
    for (let i = 0; i < 50; i++) content += assistantLine(`${i} ${big}`);
    writeSession(h.home, content);
    const c = await h.core();
    await c.start();
    const thread = await invoke(c, 'threads:get', { id: ID });
    const out = await exportThreadMarkdown(thread, { maxChars: 20_000 });
    expect(out.truncated).toBe(true);
    expect(out.markdown.length).toBeLessThan(21_000);
    expect(out.markdown).toMatch(/_Export truncated at .* MB: the rest of the transcript was left out/);
  });

  it('answers NOT_FOUND when the rollout is gone, UNAVAILABLE for saveExport without dialogs', async () => {
    const c = await h.core();
    await c.start();
    await expect(invoke(c, 'threads:exportMarkdown', { id: ID })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(invoke(c, 'threads:saveExport', { id: ID })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('saves through the injected dialog, atomically; cancel saves nothing', async () => {
    writeSession(h.home, metaLine() + userLine('save me'));
    const out = makeTempDir();
    const target = join(out.dir, 'chosen.md');
    let answer: string | null = target;
    const asked: string[] = [];
    const c = await h.core({
      dialogs: {
        saveFile: async ({ defaultName }) => {
          asked.push(defaultName);
          return answer;
        },
      },
    });
    try {
      await c.start();
      expect(await invoke(c, 'threads:saveExport', { id: ID })).toEqual({ path: target });
      expect(asked[0]).toMatch(/^save-me-019c0000\.md$/);
      expect(readFileSync(target, 'utf8')).toContain('# save me');
      answer = null;
      const cancelled = join(out.dir, 'other.md');
      expect(await invoke(c, 'threads:saveExport', { id: ID })).toEqual({ path: null });
      expect(existsSync(cancelled)).toBe(false);
    } finally {
      out.cleanup();
    }
  });

  describe.skipIf(!haveRealFixtures)(
    `real rollouts (${haveRealFixtures ? 'present' : NO_FIXTURES_MESSAGE})`,
    () => {
      it('exports current, legacy and Windows rollouts with the thread’s home shortened', async () => {
        buildFixtureHome(h.home);
        const c = await h.core();
        await c.start();
        const exec = await invoke(c, 'threads:exportMarkdown', {
          id: '019b0093-0f99-75e3-9b62-65da9e3c9e61',
        });
        expect(exec.fileName).toBe('what-is-you-name-and-make-memory-stats-report-019b0093.md');
        expect(exec.markdown).toMatch(/^# What is you name\? And make memory stats report\n/);
        expect(exec.markdown).toContain('| Project | `~/PhpstormProjects/jarvis-brain-node` |');
        expect(exec.markdown).toContain('**Tool call · `mcp__vector-memory__get_memory_stats`**');
        expect(exec.markdown).toContain('### Assistant');
        expect(exec.markdown).not.toContain('/Users/xsaven');

        // Legacy (pre-0.32): no cwd column; the home comes from the injected environment context.
        const legacy = await invoke(c, 'threads:exportMarkdown', {
          id: '8a837827-6a97-40ad-9fc8-905176aa9307',
        });
        expect(legacy.markdown).toContain('### User\n\nmodel_reasoning_effort=high');
        expect(legacy.markdown).toContain('> _Reasoning:_');
        expect(legacy.markdown).not.toContain('<environment_context>');

        const windows = await invoke(c, 'threads:exportMarkdown', {
          id: '019977d7-d30a-7202-ae9b-946b851efde4',
        });
        expect(windows.markdown).toContain('`~\\GolfIQ-YOLO`');
        expect(windows.markdown).not.toMatch(/Users\\+stell/);
        // Tool outputs are clipped, so a 3 MB rollout stays well below the cap.
        expect(windows.truncated).toBe(false);
        expect(windows.markdown).toMatch(/… \(\d+ more lines, [\d,]+ more characters\)/);
      });
    },
  );
});
