import type { Db } from './connection.ts';

export type BackfillStatus = 'pending' | 'running' | 'complete';

export interface BackfillState {
  status: BackfillStatus;
  lastWatermark: string | null;
  lastSuccessAt: number | null;
  updatedAt: number;
}

/** Seed §3.6 lease: a `running` claim older than this may be taken over. */
export const BACKFILL_LEASE_SECONDS = 900;

const now = (): number => Math.floor(Date.now() / 1000);

/** Seed §1.4 / §3.6 backfill_state accessors; each first ensures the singleton row exists. */
export function createBackfillRepo(db: Db, leaseSeconds = BACKFILL_LEASE_SECONDS) {
  const ensure = db.prepare(
    `INSERT INTO backfill_state (id, status, last_watermark, last_success_at, updated_at)
     VALUES (1, 'pending', NULL, NULL, ?) ON CONFLICT(id) DO NOTHING`,
  );
  const read = db.prepare(
    'SELECT status, last_watermark, last_success_at, updated_at FROM backfill_state WHERE id = 1',
  );
  const claim = db.prepare(`UPDATE backfill_state SET status = 'running', updated_at = @now
     WHERE id = 1 AND status <> 'complete' AND (status <> 'running' OR updated_at <= @stale)`);
  const checkpoint = db.prepare('UPDATE backfill_state SET last_watermark = ?, updated_at = ? WHERE id = 1');
  const complete = db.prepare(
    `UPDATE backfill_state SET status = 'complete', last_watermark = COALESCE(?, last_watermark), last_success_at = ?, updated_at = ? WHERE id = 1`,
  );

  return {
    get(): BackfillState {
      ensure.run(now());
      const r = read.get() as {
        status: BackfillStatus;
        last_watermark: string | null;
        last_success_at: number | null;
        updated_at: number;
      };
      return {
        status: r.status,
        lastWatermark: r.last_watermark,
        lastSuccessAt: r.last_success_at,
        updatedAt: r.updated_at,
      };
    },
    /** True when this worker now owns the backfill. */
    tryClaim(at = now()): boolean {
      ensure.run(at);
      return claim.run({ now: at, stale: at - leaseSeconds }).changes > 0;
    },
    /** Records progress; also refreshes updated_at, which is the lease heartbeat. */
    checkpoint(watermark: string, at = now()): void {
      checkpoint.run(watermark, at);
    },
    markComplete(watermark: string | null, at = now()): void {
      complete.run(watermark, at, at);
    },
  };
}

export type BackfillRepo = ReturnType<typeof createBackfillRepo>;
