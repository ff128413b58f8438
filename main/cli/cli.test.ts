import { describe, expect, it } from 'vitest';
import { buildFixtureHome, haveRealFixtures, NO_FIXTURES_MESSAGE } from '../test-support/fixture-home.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { runCli } from './cli.ts';
import type { ThreadJson } from './cli-format.ts';

function capture(): { write: (s: string) => void; text: () => string } {
  let buf = '';
  return { write: (s: string) => void (buf += s), text: () => buf };
}

const FIELDS = [
  'id',
  'rolloutPath',
  'createdAt',
  'updatedAt',
  'source',
  'modelProvider',
  'model',
  'cwd',
  'title',
  'firstUserMessage',
  'cliVersion',
  'gitSha',
  'gitBranch',
  'gitOriginUrl',
  'agentNickname',
  'agentRole',
  'parentThreadId',
  'archived',
  'tokensUsed',
];

describe('cli arguments', () => {
  it.each([
    [[]],
    [['frobnicate']],
    [['threads', '--codex-home', '/x']],
    [['ingest', '--bogus']],
    [['threads', '--json', 'extra']],
  ])('prints usage and exits 2 for %j', async (argv) => {
    const out = capture();
    const err = capture();
    expect(await runCli(argv, out, err)).toBe(2);
    expect(err.text()).toMatch(/Usage: npm run cli -- <command>/);
    expect(out.text()).toBe('');
  });
});

describe.skipIf(!haveRealFixtures)(
  `cli over the real fixtures (${haveRealFixtures ? 'present' : NO_FIXTURES_MESSAGE})`,
  () => {
    it('ingest prints a summary naming the problem file; threads prints exactly the documented fields', async () => {
      const home = makeTempDir();
      const data = makeTempDir();
      try {
        buildFixtureHome(home.dir, (n) => n.includes('019b0093-0f99'));
        const out = capture();
        expect(
          await runCli(['ingest', '--codex-home', home.dir, '--data-dir', data.dir], out, capture()),
        ).toBe(0);
        expect(out.text()).toMatch(
          /15 rollout files, 15 read, 0 unchanged, 0 removed, 14 threads upserted, 1 problem files/,
        );
        expect(out.text()).toMatch(
          /problem: .*01997c70-23f7-73d2-8f74-f9124ff97828\.jsonl: empty session file/,
        );

        const json = capture();
        expect(
          await runCli(
            ['threads', '--codex-home', home.dir, '--data-dir', data.dir, '--json'],
            json,
            capture(),
          ),
        ).toBe(0);
        const threads = JSON.parse(json.text()) as ThreadJson[];
        expect(threads).toHaveLength(13);
        for (const t of threads) {
          expect(Object.keys(t)).toEqual(FIELDS);
          expect(t.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
          expect(t.archived).toBe(false);
        }
        const archived = capture();
        await runCli(
          ['threads', '--codex-home', home.dir, '--data-dir', data.dir, '--json', '--archived'],
          archived,
          capture(),
        );
        expect((JSON.parse(archived.text()) as ThreadJson[]).map((t) => [t.id, t.archived])).toEqual([
          ['019b0093-0f99-75e3-9b62-65da9e3c9e61', true],
        ]);
        const search = capture();
        await runCli(
          [
            'threads',
            '--codex-home',
            home.dir,
            '--data-dir',
            data.dir,
            '--json',
            '--search',
            'zzz-no-such-title',
          ],
          search,
          capture(),
        );
        expect(JSON.parse(search.text())).toEqual([]);
      } finally {
        home.cleanup();
        data.cleanup();
      }
    });
  },
);
