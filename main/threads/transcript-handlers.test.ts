import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../preload/contract/index.ts';
import type { TranscriptFindResult } from '../../preload/contract/index.ts';
import { createAppCore, type AppCore } from '../app/app-core.ts';
import { buildFixtureHome, haveRealFixtures, NO_FIXTURES_MESSAGE } from '../test-support/fixture-home.ts';
import type { FixtureFile } from '../test-support/fixture-home.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';

const ctx = { transport: 'test' } as const;
const BIG_ID = '019f9b36-1e6d-7651-9801-5450483871e2';
const VSCODE_ID = '4accfe1e-cc02-49e1-a13c-2318fb86a0b1';

describe.skipIf(!haveRealFixtures)(
  `transcript handlers${haveRealFixtures ? '' : ` (${NO_FIXTURES_MESSAGE})`}`,
  () => {
    const home = makeTempDir();
    const data = makeTempDir();
    let core: AppCore;
    let files: FixtureFile[];

    beforeAll(async () => {
      files = buildFixtureHome(home.dir);
      core = await createAppCore({ codexHome: home.dir, dataDir: data.dir, shell: 'test', watch: false });
      await core.start();
    });
    afterAll(async () => {
      await core.close();
      home.cleanup();
      data.cleanup();
    });

    /** Through the router, so inputs are validated and outputs cloned as over IPC; outputs checked against the contract. */
    async function call(
      channel: 'transcript:page' | 'transcript:outline' | 'transcript:find',
      input: unknown,
    ) {
      const res = await core.router.dispatch(channel, input, ctx);
      if (res.ok) expect(methods[channel].output.safeParse(res.value).success).toBe(true);
      return res;
    }

    it('pages, outlines and finds in a thread by id', async () => {
      const page = await call('transcript:page', { id: BIG_ID, offset: 0, limit: 50 });
      expect(page).toMatchObject({ ok: true, value: { offset: 0, total: 1179, turn: null } });
      const outline = await call('transcript:outline', { id: BIG_ID });
      expect(outline).toMatchObject({ ok: true, value: { total: 1179, counts: { compactions: 1 } } });
      // Once the outline is known, a page says which turn it starts in.
      expect(await call('transcript:page', { id: BIG_ID, offset: 1040, limit: 5 })).toMatchObject({
        ok: true,
        value: { turn: 20 },
      });
      const found = await call('transcript:find', { id: BIG_ID, query: 'Viser', limit: 3 });
      expect(found).toMatchObject({ ok: true, value: { query: 'Viser', truncated: true } });
      expect(found.ok ? (found.value as TranscriptFindResult).positions : null).toHaveLength(3);
    });

    it('rejects bad input and explains missing threads and files', async () => {
      expect(await call('transcript:page', { id: BIG_ID, limit: 10_000 })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
      expect(await call('transcript:find', { id: BIG_ID, query: '' })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
      expect(await call('transcript:outline', { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      const gone = files.find((f) => f.name.includes(VSCODE_ID))!;
      rmSync(gone.path);
      expect(await call('transcript:page', { id: VSCODE_ID })).toMatchObject({
        ok: false,
        error: {
          code: 'NOT_FOUND',
          message: `The rollout file of thread ${VSCODE_ID} is gone: ${gone.path}`,
        },
      });
    });
  },
);
