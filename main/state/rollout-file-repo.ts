import type { IngestProblem } from '../../preload/contract/index.ts';
import type { PackedFoldState } from '../rollouts/packed-state.ts';
import type { Db } from './connection.ts';
import { RolloutStamps } from './rollout-stamps.ts';

export interface RolloutFileRecord {
  path: string;
  threadId: string | null;
  archived: boolean;
  size: number;
  mtimeMs: number;
  byteOffset: number;
  foldState: PackedFoldState | null;
  parseErrors: number;
  problem: string | null;
}

/** Fold states above this size are not kept (such files re-read in full); packed ones are ~150 B. */
const MAX_FOLD_STATE_CHARS = 256 * 1024;

export function createRolloutFileRepo(db: Db) {
  const stamps = db.prepare('SELECT path, size, mtime_ms FROM rollout_files').raw(true);
  const threadIdOf = db.prepare('SELECT thread_id FROM rollout_files WHERE path = ?').pluck();
  const one = db.prepare(
    'SELECT path, thread_id, archived, size, mtime_ms, byte_offset, fold_state, parse_errors, problem FROM rollout_files WHERE path = ?',
  );
  const put =
    db.prepare(`INSERT INTO rollout_files (path, thread_id, archived, size, mtime_ms, byte_offset, fold_state,
      parse_errors, problem, problem_at, ingested_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(path) DO UPDATE SET thread_id = excluded.thread_id, archived = excluded.archived, size = excluded.size,
      mtime_ms = excluded.mtime_ms, byte_offset = excluded.byte_offset, fold_state = excluded.fold_state,
      parse_errors = excluded.parse_errors, problem = excluded.problem, problem_at = excluded.problem_at,
      ingested_at = excluded.ingested_at`);
  const del = db.prepare('DELETE FROM rollout_files WHERE path = ?');
  const others = db.prepare('SELECT COUNT(*) AS n FROM rollout_files WHERE thread_id = ? AND path <> ?');
  const problems = db.prepare(
    'SELECT path, thread_id, problem, problem_at FROM rollout_files WHERE problem IS NOT NULL ORDER BY problem_at DESC, path LIMIT ?',
  );
  const problemCount = db.prepare('SELECT COUNT(*) AS n FROM rollout_files WHERE problem IS NOT NULL');

  return {
    /** One pass over every known file: enough to tell unchanged files from changed ones. */
    stamps(): RolloutStamps {
      return new RolloutStamps(stamps.all() as [string, number, number][]);
    },
    threadIdOf(path: string): string | null {
      return (threadIdOf.get(path) as string | null | undefined) ?? null;
    },
    get(path: string): RolloutFileRecord | null {
      const r = one.get(path) as
        | {
            path: string;
            thread_id: string | null;
            archived: number;
            size: number;
            mtime_ms: number;
            byte_offset: number;
            fold_state: string | null;
            parse_errors: number;
            problem: string | null;
          }
        | undefined;
      if (!r) return null;
      let foldState: PackedFoldState | null = null;
      if (r.fold_state) {
        try {
          foldState = JSON.parse(r.fold_state) as PackedFoldState;
        } catch {
          foldState = null;
        }
      }
      return {
        path: r.path,
        threadId: r.thread_id,
        archived: r.archived !== 0,
        size: r.size,
        mtimeMs: r.mtime_ms,
        byteOffset: r.byte_offset,
        foldState,
        parseErrors: r.parse_errors,
        problem: r.problem,
      };
    },
    put(rec: RolloutFileRecord, at: number): void {
      let state: string | null = rec.foldState ? JSON.stringify(rec.foldState) : null;
      if (state !== null && state.length > MAX_FOLD_STATE_CHARS) state = null;
      put.run(
        rec.path,
        rec.threadId,
        rec.archived ? 1 : 0,
        rec.size,
        rec.mtimeMs,
        state === null ? 0 : rec.byteOffset,
        state,
        rec.parseErrors,
        rec.problem,
        rec.problem ? at : null,
        at,
      );
    },
    delete(path: string): void {
      del.run(path);
    },
    /** Whether another file still provides this thread (e.g. it was moved to archived_sessions/). */
    threadHasOtherFile(threadId: string, path: string): boolean {
      return (others.get(threadId, path) as { n: number }).n > 0;
    },
    problems(limit: number): IngestProblem[] {
      return (
        problems.all(limit) as {
          path: string;
          thread_id: string | null;
          problem: string;
          problem_at: number;
        }[]
      ).map((r) => ({ path: r.path, threadId: r.thread_id, message: r.problem, at: r.problem_at }));
    },
    problemCount(): number {
      return (problemCount.get() as { n: number }).n;
    },
  };
}

export type RolloutFileRepo = ReturnType<typeof createRolloutFileRepo>;
