import type { Thread } from '../../preload/contract/index.ts';
import { AppError } from '../core/app-error.ts';
import type { IngestApi } from '../ingest/ingest-api.ts';
import { discoverRollouts } from '../rollouts/discover.ts';
import { perConnection, type Db } from '../state/connection.ts';

export const GIT_FIELDS = ['gitSha', 'gitBranch', 'gitOriginUrl'] as const;
export type GitField = (typeof GIT_FIELDS)[number];

/** Seed names, used in validation messages (`gitInfo.branch must not be empty`). */
const SEED_NAME: Record<GitField, string> = { gitSha: 'sha', gitBranch: 'branch', gitOriginUrl: 'originUrl' };

/** Tri-state per field (seed update_thread_git_info): absent = keep, null = clear, string = set. */
export type GitValues = Partial<Record<GitField, string | null>>;

export interface GitPatch extends GitValues {
  threadId: string;
  /** Epoch seconds recorded as the edit time. */
  at: number;
}

interface PatchStatements {
  update: { run(...args: unknown[]): { changes: number } };
  record: { run(...args: unknown[]): unknown };
}

const prepared = perConnection((db): PatchStatements => ({
  // Only the git columns are written, so concurrent writes to other columns survive (seed §2.3).
  update: db.prepare(`UPDATE threads SET
          git_sha = CASE WHEN ? THEN ? ELSE git_sha END,
          git_branch = CASE WHEN ? THEN ? ELSE git_branch END,
          git_origin_url = CASE WHEN ? THEN ? ELSE git_origin_url END
        WHERE id = ?`),
  // Flags only ever turn on: once the user set a field, ingestion never refills it.
  record:
    db.prepare(`INSERT INTO thread_edits (thread_id, git_sha_set, git_branch_set, git_origin_url_set, edited_at)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(thread_id) DO UPDATE SET
          git_sha_set = MAX(git_sha_set, excluded.git_sha_set),
          git_branch_set = MAX(git_branch_set, excluded.git_branch_set),
          git_origin_url_set = MAX(git_origin_url_set, excluded.git_origin_url_set),
          edited_at = excluded.edited_at`),
}));

/**
 * Writes a validated patch and records which fields the user set, in one transaction. Runs on the
 * ingest write connection (IngestApi.patchGitInfo). No row → NOT_FOUND.
 */
export function applyGitPatch(db: Db, patch: GitPatch): void {
  const s = prepared(db);
  const has = (f: GitField): number => (patch[f] !== undefined ? 1 : 0);
  db.transaction(() => {
    const r = s.update.run(
      has('gitSha'),
      patch.gitSha ?? null,
      has('gitBranch'),
      patch.gitBranch ?? null,
      has('gitOriginUrl'),
      patch.gitOriginUrl ?? null,
      patch.threadId,
    );
    if (r.changes === 0) {
      throw new AppError(
        'NOT_FOUND',
        `thread metadata disappeared before update completed: ${patch.threadId}`,
      );
    }
    s.record.run(patch.threadId, has('gitSha'), has('gitBranch'), has('gitOriginUrl'), patch.at);
  })();
}

/** Seed step 5: strings are trimmed; empty after trimming is an error; null clears; absent keeps. */
export function validateGitValues(values: GitValues): GitValues {
  const out: GitValues = {};
  for (const f of GIT_FIELDS) {
    const v = values[f];
    if (v === undefined) continue;
    if (v === null) {
      out[f] = null;
      continue;
    }
    const trimmed = v.trim();
    if (trimmed === '') {
      throw new AppError(
        'INVALID_INPUT',
        `gitInfo.${SEED_NAME[f]} must not be empty (use null to clear it)`,
        [f],
      );
    }
    out[f] = trimmed;
  }
  return out;
}

/** Seed §6.2 step 4 (not loaded): `rollout-*-<id>.jsonl` under sessions/, else archived_sessions/. */
export async function findRolloutById(codexHome: string, id: string): Promise<string | null> {
  const found = (await discoverRollouts(codexHome, undefined, { stat: false })).filter(
    (r) => r.idFromName === id,
  );
  return (found.find((r) => !r.archived) ?? found[0])?.path ?? null;
}

export interface MetadataDeps {
  codexHome: string;
  ingest: Pick<IngestApi, 'patchGitInfo' | 'scanPaths'>;
  getThread: (id: string) => Thread | null;
  onChanged: (ids: string[]) => void;
  now?: () => number;
}

/** `thread/metadata/update` (seed §6.2): patch git sha / branch / origin URL of a thread. */
export function createThreadMetadataUpdater(deps: MetadataDeps) {
  const now = deps.now ?? ((): number => Math.floor(Date.now() / 1000));

  /** Step 4: make sure the row exists, re-reading the rollout if it does not; never clobbers a row. */
  async function ensureRow(id: string): Promise<void> {
    if (deps.getThread(id)) return;
    const path = await findRolloutById(deps.codexHome, id);
    if (!path) throw new AppError('NOT_FOUND', `thread not found: ${id}`);
    const summary = await deps.ingest.scanPaths([path], { force: true });
    if (!deps.getThread(id)) {
      const problem = summary.problems.find((p) => p.path === path)?.message;
      throw new AppError(
        'INTERNAL',
        `failed to create thread metadata from rollout for ${id}${problem ? `: ${problem}` : ''}`,
        [path],
      );
    }
  }

  return {
    async update(input: { id: string } & GitValues): Promise<Thread> {
      const { id } = input;
      if (GIT_FIELDS.every((f) => input[f] === undefined)) {
        throw new AppError('INVALID_INPUT', 'gitInfo must include at least one field');
      }
      await ensureRow(id);
      const values = validateGitValues(input);
      await deps.ingest.patchGitInfo({ threadId: id, at: now(), ...values });
      deps.onChanged([id]);
      const thread = deps.getThread(id);
      if (!thread) throw new AppError('INTERNAL', `thread ${id} disappeared after its metadata was updated`);
      return thread;
    },
  };
}
