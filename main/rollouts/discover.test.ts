import { chmodSync, mkdirSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Slicer } from '../core/time-slice.ts';
import { discoverRollouts, parseRolloutFileName } from './discover.ts';
import { isRolloutFileName } from './rollout-name.ts';
import { removeTempDirs, tempDir, writeRollout } from './rollout-test-kit.ts';

afterAll(removeTempDirs);

const A = '019c2a00-0000-7000-8000-00000000000a';
const B = '019c2a00-0000-7000-8000-00000000000b';
const C = '019c2a00-0000-7000-8000-00000000000c';
const D = '5f0c2d1e-0000-4000-8000-123456789abc';
const E = '019c2a00-0000-7000-8000-00000000000e';

describe('parseRolloutFileName', () => {
  it('reads the timestamp (as UTC) and the id', () => {
    expect(parseRolloutFileName(`rollout-2026-03-01T10-00-00-${A}.jsonl`)).toEqual({
      timestamp: Date.UTC(2026, 2, 1, 10) / 1000,
      id: A,
    });
    expect(parseRolloutFileName(`rollout-2026-03-01T10-00-00-${A}.jsonl.zst`)?.id).toBe(A);
    expect(parseRolloutFileName(`rollout-2025-05-07-${D.toUpperCase()}.jsonl`)).toEqual({
      timestamp: Date.UTC(2025, 4, 7) / 1000,
      id: D,
    });
  });

  it('rejects other names', () => {
    for (const name of [
      `rollout-2026-03-01T10-00-00-${A}.json`,
      `session-2026-03-01T10-00-00-${A}.jsonl`,
      'rollout-2026-03-01T10-00-00-not-a-uuid.jsonl',
      `rollout-${A}.jsonl`,
      `rollout-2026-13-01T10-00-00-${A}.jsonl`,
      `rollout-yesterday-${A}.jsonl`,
    ]) {
      expect(parseRolloutFileName(name), name).toBeNull();
    }
  });
});

describe('discoverRollouts', () => {
  it('finds dated, flat, archived and compressed rollouts, sorted by watermark', async () => {
    const home = tempDir('home');
    const dated = writeRollout(home, '{}\n', `sessions/2026/03/01/rollout-2026-03-01T10-00-00-${A}.jsonl`);
    writeRollout(home, 'x', `sessions/2026/02/28/rollout-2026-02-28T09-00-00-${B}.jsonl.zst`);
    writeRollout(home, '', `sessions/rollout-2025-05-07-${D}.jsonl`);
    writeRollout(home, 'abc', `archived_sessions/rollout-2026-01-01T00-00-00-${C}.jsonl`);
    // Both forms of one file while Codex (de)compresses it: the plain one wins.
    writeRollout(home, 'plain', `archived_sessions/rollout-2026-01-02T00-00-00-${E}.jsonl`);
    writeRollout(home, 'zst', `archived_sessions/rollout-2026-01-02T00-00-00-${E}.jsonl.zst`);
    // Not rollouts.
    writeRollout(home, '', 'sessions/2026/03/01/notes.jsonl');
    writeRollout(home, '', `sessions/2026/03/01/rollout-x-${A}.json`);
    writeRollout(home, '', 'history.jsonl');
    writeRollout(home, '', `other/rollout-2026-03-01T10-00-00-${A}.jsonl`);
    mkdirSync(join(home, 'sessions', `rollout-2026-03-01T10-00-00-${B}.jsonl`));
    utimesSync(dated, 1_700_000_000, 1_700_000_000);

    const found = await discoverRollouts(home);
    expect(found.map((f) => f.watermark)).toEqual([
      `archived_sessions/rollout-2026-01-01T00-00-00-${C}.jsonl`,
      `archived_sessions/rollout-2026-01-02T00-00-00-${E}.jsonl`,
      `sessions/2026/02/28/rollout-2026-02-28T09-00-00-${B}.jsonl.zst`,
      `sessions/2026/03/01/rollout-2026-03-01T10-00-00-${A}.jsonl`,
      `sessions/rollout-2025-05-07-${D}.jsonl`,
    ]);
    expect(found[0]).toEqual({
      path: join(home, `archived_sessions/rollout-2026-01-01T00-00-00-${C}.jsonl`),
      watermark: `archived_sessions/rollout-2026-01-01T00-00-00-${C}.jsonl`,
      archived: true,
      compressed: false,
      size: 3,
      mtimeMs: expect.any(Number) as number,
      idFromName: C,
    });
    expect(found[1]!.size).toBe(5);
    expect(found[2]).toMatchObject({ archived: false, compressed: true, idFromName: B, size: 1 });
    expect(found[3]).toMatchObject({ path: dated, mtimeMs: 1_700_000_000_000, idFromName: A });
    expect(found[4]).toMatchObject({ idFromName: D, size: 0 });
  });

  it('is fine with missing folders and skips unreadable ones', async () => {
    expect(await discoverRollouts(join(tempDir('none'), 'absent'))).toEqual([]);
    const home = tempDir('locked');
    writeRollout(home, '', `sessions/2026/01/01/rollout-2026-01-01T00-00-00-${A}.jsonl`);
    writeRollout(home, '', `sessions/2026/01/02/rollout-2026-01-02T00-00-00-${B}.jsonl`);
    chmodSync(join(home, 'sessions/2026/01/02'), 0o000);
    try {
      const found = await discoverRollouts(home);
      const ids = found.map((f) => f.idFromName);
      expect(ids).toContain(A);
      // Root ignores permissions; everyone else cannot list the locked folder.
      if (process.getuid?.() !== 0) expect(ids).not.toContain(B);
    } finally {
      chmodSync(join(home, 'sessions/2026/01/02'), 0o755);
    }
  });

  it('does not follow symlinked folders but accepts symlinked files', async () => {
    const home = tempDir('links');
    const target = writeRollout(home, 'x', `sessions/2026/01/01/rollout-2026-01-01T00-00-00-${A}.jsonl`);
    symlinkSync(join(home, 'sessions'), join(home, 'sessions/2026/loop'));
    mkdirSync(join(home, 'archived_sessions'));
    symlinkSync(target, join(home, `archived_sessions/rollout-2026-01-01T00-00-00-${B}.jsonl`));
    const found = await discoverRollouts(home);
    expect(found.map((f) => [f.idFromName, f.archived])).toEqual([
      [B, true],
      [A, false],
    ]);
  });

  it('yields to the event loop while walking many files', async () => {
    const home = tempDir('many');
    for (let i = 0; i < 300; i++) {
      const id = `019c2a00-0000-7000-8000-${String(i).padStart(12, '0')}`;
      writeRollout(
        home,
        '',
        `sessions/2026/01/${String((i % 28) + 1).padStart(2, '0')}/rollout-2026-01-01T00-00-00-${id}.jsonl`,
      );
    }
    let yields = 0;
    const slicer: Slicer = { due: () => true, yieldNow: async () => {}, maybeYield: () => void yields++ };
    const found = await discoverRollouts(home, slicer);
    expect(found).toHaveLength(300);
    expect(yields).toBeGreaterThan(0);
    const sorted = [...found].sort((a, b) => (a.watermark < b.watermark ? -1 : 1));
    expect(found).toEqual(sorted);
  });
});

describe('isRolloutFileName', () => {
  it('accepts exactly the names of the pattern rollout-<something>.jsonl[.zst]', () => {
    const pattern = /^rollout-.+\.jsonl(?:\.zst)?$/;
    const names = [
      'rollout-2026-03-01T10-00-00-019c2a00-0000-7000-8000-00000000000c.jsonl',
      'rollout-2026-03-01T10-00-00-019c2a00-0000-7000-8000-00000000000c.jsonl.zst',
      'rollout-x.jsonl',
      'rollout-.jsonl',
      'rollout-.jsonl.zst',
      'rollout-x.jsonl.zst',
      'rollout-x.json',
      'rollout-x.jsonl.gz',
      'Rollout-x.jsonl',
      'xrollout-x.jsonl',
      'rollout-x.jsonl.zst.tmp',
      '.rollout-x.jsonl',
      'rollout.jsonl',
      '',
    ];
    for (const name of names) expect(isRolloutFileName(name), name).toBe(pattern.test(name));
  });
});
