import type { Db } from '../state/connection.ts';

/**
 * The `worker_id` a Threadscope process stamps on the memory jobs it claims: its logs process uuid
 * (`pid:<pid>:<uuid>`, so the Logs page's process filter finds what the run did), or its bare pid when
 * it writes no logs.
 */
export function memoryWorkerId(processUuid: string | null, pid = process.pid): string {
  return `threadscope:${processUuid ?? pid}`;
}

/**
 * Ends the leases of the memory jobs (phase 1 and phase 2) that a dead Threadscope process held, so the
 * next run takes them over at once instead of after their lease (an hour, seed §5) has run out. Only for
 * a process known to be dead: the owner of a data-dir lock that was taken over (its pid is gone on this
 * host). The jobs stay `running` with their ownership token, exactly as after a lease ran out: the
 * seed's claim rules do the rest, and a late write from the dead owner's token is still refused.
 * Returns how many jobs it released.
 */
export function releaseDeadWorkerLeases(db: Db, pid: number, now: number): number {
  return db
    .prepare(
      `UPDATE jobs SET lease_until = @now
       WHERE status = 'running' AND lease_until > @now
         AND (worker_id = @bare OR substr(worker_id, 1, length(@prefix)) = @prefix)`,
    )
    .run({ now, bare: memoryWorkerId(null, pid), prefix: `${memoryWorkerId(`pid:${pid}:`)}` }).changes;
}
