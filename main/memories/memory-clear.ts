import { lstat, mkdir, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../core/app-error.ts';
import type { Db } from '../state/connection.ts';
import { GLOBAL_JOB_KIND, STAGE1_JOB_KIND } from './memory-constants.ts';

/** Seed §5.15 clearing: the memory rows of the state DB and the contents of the memory root. */

export interface ClearMemoryDataResult {
  stage1OutputsDeleted: number;
  jobsDeleted: number;
}

export interface ResetMemoryDataResult extends ClearMemoryDataResult {
  /** Threads switched from `enabled` to `disabled`. */
  threadsDisabled: number;
}

function deleteMemoryRows(db: Db): ClearMemoryDataResult {
  const stage1OutputsDeleted = db.prepare('DELETE FROM stage1_outputs').run().changes;
  const jobsDeleted = db
    .prepare('DELETE FROM jobs WHERE kind IN (?, ?)')
    .run(STAGE1_JOB_KIND, GLOBAL_JOB_KIND).changes;
  return { stage1OutputsDeleted, jobsDeleted };
}

/** `clear_memory_data()`: one transaction deleting every stage-1 output and the jobs of both memory kinds. */
export function clearMemoryData(db: Db): ClearMemoryDataResult {
  return db.transaction(() => deleteMemoryRows(db))();
}

/**
 * `reset_memory_data_for_fresh_start()`: `clearMemoryData` plus every `enabled` thread set to `disabled` (so
 * history is not summarised again when memories are switched back on); `polluted` / `disabled` stay as they are.
 */
export function resetMemoryDataForFreshStart(db: Db): ResetMemoryDataResult {
  return db.transaction(() => {
    const cleared = deleteMemoryRows(db);
    const threadsDisabled = db
      .prepare("UPDATE threads SET memory_mode = 'disabled' WHERE memory_mode = 'enabled'")
      .run().changes;
    return { ...cleared, threadsDisabled };
  })();
}

export interface ClearMemoryRootFailure {
  path: string;
  message: string;
}

/**
 * `/debug-m-drop`'s "clear the contents of the memory root": refuses a symlinked root (nothing is touched),
 * creates the root when missing, removes every child (a child symlink is unlinked, never followed) and keeps the
 * root itself. A child that cannot be removed does not stop the others; the failures are returned.
 */
export async function clearMemoryRoot(root: string): Promise<ClearMemoryRootFailure[]> {
  const stat = await lstat(root).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  });
  if (stat?.isSymbolicLink()) {
    throw new AppError(
      'FORBIDDEN',
      `Refusing to clear the memory folder ${root}: it is a symbolic link. Nothing was deleted.`,
      [root],
    );
  }
  if (stat && !stat.isDirectory()) {
    throw new AppError('IO_ERROR', `Cannot clear the memory folder ${root}: it is a file, not a folder.`, [
      root,
    ]);
  }
  try {
    await mkdir(root, { recursive: true });
  } catch (err) {
    throw new AppError('IO_ERROR', `Cannot create the memory folder ${root}: ${(err as Error).message}`, [
      root,
    ]);
  }

  const failures: ClearMemoryRootFailure[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    try {
      if (entry.isDirectory()) await rm(path, { recursive: true });
      else await unlink(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        failures.push({ path, message: (err as Error).message });
    }
  }
  return failures;
}
