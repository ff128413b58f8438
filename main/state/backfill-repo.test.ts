import { describe, expect, it } from 'vitest';
import { perTestStateDb } from '../test-support/test-dirs.ts';
import { createBackfillRepo } from './backfill-repo.ts';
import type { Db } from './connection.ts';

let db: Db;
perTestStateDb((d) => (db = d));

describe('backfill lease and watermark (seed §3.6)', () => {
  it('claims once, refuses a fresh running claim and takes over a stale one', () => {
    const a = createBackfillRepo(db, 900);
    expect(a.get().status).toBe('pending');
    expect(a.tryClaim(1000)).toBe(true);
    expect(a.get().status).toBe('running');
    expect(a.tryClaim(1500)).toBe(false);
    expect(a.tryClaim(1900)).toBe(true);
  });

  it('checkpoints refresh the lease; completion is final', () => {
    const repo = createBackfillRepo(db, 900);
    repo.tryClaim(1000);
    repo.checkpoint('sessions/2026/03/01/rollout-a.jsonl', 1800);
    expect(repo.tryClaim(1900)).toBe(false);
    expect(repo.get().lastWatermark).toBe('sessions/2026/03/01/rollout-a.jsonl');
    repo.markComplete(null, 2000);
    expect(repo.get()).toMatchObject({
      status: 'complete',
      lastWatermark: 'sessions/2026/03/01/rollout-a.jsonl',
      lastSuccessAt: 2000,
    });
    expect(repo.tryClaim(99999)).toBe(false);
  });

  it('recreates the singleton row if it is missing', () => {
    db.prepare('DELETE FROM backfill_state').run();
    expect(createBackfillRepo(db).get().status).toBe('pending');
  });
});
