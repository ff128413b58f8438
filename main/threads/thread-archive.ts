import { lstatSync, mkdirSync, realpathSync, renameSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Thread } from '../../preload/contract/index.ts';
import { AppError } from '../core/app-error.ts';
import type { IngestApi } from '../ingest/ingest-api.ts';
import { isRolloutFileName } from '../rollouts/rollout-name.ts';
import { perConnection, type Db } from '../state/connection.ts';

/** A planned archive or unarchive: `from` and `to` are absolute paths inside CODEX_HOME. */
export interface RolloutMove {
  threadId: string;
  from: string;
  to: string;
  archived: boolean;
  /** Epoch seconds; null when unarchiving. */
  archivedAt: number | null;
}

const ARCHIVE_DIR = 'archived_sessions';
const SESSIONS_DIR = 'sessions';
const NAME_DATE = /^rollout-(\d{4})-(\d{2})-(\d{2})/;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

const fsCode = (err: unknown): string => String((err as { code?: unknown }).code ?? '');

/** The real path of the nearest existing ancestor of `path` (a move creates the folders that are missing). */
function realAncestor(path: string): string {
  for (let p = path; ; p = dirname(p)) {
    try {
      return realpathSync(p);
    } catch (err) {
      if (fsCode(err) !== 'ENOENT' || dirname(p) === p) throw err;
    }
  }
}

/** Refuses a move whose destination folder is a symlink leading outside CODEX_HOME (the file would leave it). */
function checkTarget(codexHome: string, move: RolloutMove): RolloutMove {
  const realHome = realpathSync(codexHome);
  let real: string;
  try {
    real = realAncestor(dirname(move.to));
  } catch (err) {
    throw new AppError('IO_ERROR', `Cannot check ${dirname(move.to)}: ${(err as Error).message}`, [move.to]);
  }
  if (real !== realHome && !inside(realHome, real)) {
    throw new AppError(
      'FORBIDDEN',
      `${dirname(move.to)} links to ${real}, outside CODEX_HOME; ${basename(move.from)} was not moved`,
      [move.from],
    );
  }
  return move;
}

/**
 * Seed §3.1: archived rollouts live flat in `archived_sessions/<same name>`; unarchiving puts the file
 * back under `sessions/YYYY/MM/DD/` from the date in its name. Refuses anything that is not a rollout
 * inside CODEX_HOME, including a symlink whose target lies outside it.
 */
export function planMove(codexHome: string, thread: Thread, archive: boolean, now: number): RolloutMove {
  const from = thread.rolloutPath;
  const name = basename(from);
  const rel = relative(codexHome, from).split(sep);
  if (!isRolloutFileName(name) || !inside(codexHome, from) || rel.includes('..')) {
    throw new AppError('FORBIDDEN', `${from} is not a rollout file inside CODEX_HOME (${codexHome})`, [from]);
  }
  let real: string;
  try {
    real = realpathSync(from);
  } catch (err) {
    if (fsCode(err) === 'ENOENT')
      throw new AppError('NOT_FOUND', `The rollout file of thread ${thread.id} is gone: ${from}`, [from]);
    throw new AppError('IO_ERROR', `Cannot read ${from}: ${(err as Error).message}`, [from]);
  }
  if (!inside(realpathSync(codexHome), real)) {
    throw new AppError('FORBIDDEN', `${from} links to ${real}, outside CODEX_HOME; it was not moved`, [from]);
  }
  const top = rel[0];
  if (archive) {
    if (top !== SESSIONS_DIR)
      throw new AppError('CONFLICT', `Thread ${thread.id} is already archived (${from})`, [from]);
    return checkTarget(codexHome, {
      threadId: thread.id,
      from,
      to: join(codexHome, ARCHIVE_DIR, name),
      archived: true,
      archivedAt: now,
    });
  }
  if (top !== ARCHIVE_DIR)
    throw new AppError('CONFLICT', `Thread ${thread.id} is not archived (${from})`, [from]);
  const date = NAME_DATE.exec(name);
  if (!date) {
    throw new AppError('INVALID_INPUT', `Cannot tell the session date from the file name ${name}`, [from]);
  }
  const [, y, m, d] = date as unknown as [string, string, string, string];
  return checkTarget(codexHome, {
    threadId: thread.id,
    from,
    to: join(codexHome, SESSIONS_DIR, y, m, d, name),
    archived: false,
    archivedAt: null,
  });
}

interface MoveStatements {
  thread: { run(...args: unknown[]): { changes: number } };
  dropTarget: { run(...args: unknown[]): unknown };
  moveFile: { run(...args: unknown[]): unknown };
}

const prepared = perConnection((db): MoveStatements => ({
  // Seed mark_archived / mark_unarchived re-point the path and set archived_at. Unlike the seed,
  // updated_at stays: ours is the last line's time (mtimes of copied files mean nothing), and
  // a rename changes neither the content nor the mtime.
  thread: db.prepare(
    'UPDATE threads SET rollout_path = ?, archived = ?, archived_at = ? WHERE id = ? AND rollout_path = ?',
  ),
  dropTarget: db.prepare('DELETE FROM rollout_files WHERE path = ?'),
  // The per-file ingest record (size, mtime, offset, fold state) moves with the file, so the
  // watcher's unlink + add that follow find the same, unchanged file and re-read nothing.
  moveFile: db.prepare('UPDATE rollout_files SET path = ?, archived = ? WHERE path = ?'),
}));

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (err) {
    if (fsCode(err) === 'ENOENT') return false;
    throw new AppError('IO_ERROR', `Cannot check ${path}: ${(err as Error).message}`, [path]);
  }
}

/**
 * Renames the rollout (same filesystem only, never copy + delete) and re-points the thread and its
 * ingest record in one transaction; if the transaction fails the file is renamed back. Runs on the
 * ingest write connection, serialised with scans (IngestApi.moveRollout).
 */
export function applyRolloutMove(db: Db, move: RolloutMove): void {
  const { from, to } = move;
  if (!exists(from)) throw new AppError('NOT_FOUND', `The rollout file is gone: ${from}`, [from]);
  if (exists(to)) {
    throw new AppError('CONFLICT', `${to} already exists; ${basename(from)} was not moved`, [to]);
  }
  try {
    mkdirSync(dirname(to), { recursive: true });
    renameSync(from, to);
  } catch (err) {
    const code = fsCode(err);
    if (code === 'EXDEV') {
      throw new AppError(
        'IO_ERROR',
        `${dirname(to)} is on another filesystem than ${dirname(from)}; Threadscope only renames rollouts, so the file was left where it was`,
        [from],
      );
    }
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `The rollout file is gone: ${from}`, [from]);
    throw new AppError('IO_ERROR', `Cannot move ${from} to ${to}: ${(err as Error).message}`, [from]);
  }
  const s = prepared(db);
  try {
    db.transaction(() => {
      const r = s.thread.run(to, move.archived ? 1 : 0, move.archivedAt, move.threadId, from);
      if (r.changes === 0) {
        throw new AppError('CONFLICT', `Thread ${move.threadId} no longer points at ${from}; try again`);
      }
      s.dropTarget.run(to);
      s.moveFile.run(to, move.archived ? 1 : 0, from);
    })();
  } catch (err) {
    try {
      renameSync(to, from);
    } catch (back) {
      throw new AppError(
        'INTERNAL',
        `Updating the state DB failed (${(err as Error).message}) and moving the file back failed too (${(back as Error).message}): it is now at ${to}`,
        [to],
      );
    }
    if (err instanceof AppError) throw err;
    throw new AppError(
      'INTERNAL',
      `Updating the state DB failed, the file was moved back: ${(err as Error).message}`,
    );
  }
}

export interface ArchiveDeps {
  codexHome: string;
  ingest: Pick<IngestApi, 'moveRollout'>;
  getThread: (id: string) => Thread | null;
  onChanged: (ids: string[]) => void;
  now?: () => number;
}

/** Archive / unarchive a thread as Codex does; each returns the updated thread (undo = the other one). */
export function createThreadArchiver(deps: ArchiveDeps) {
  const now = deps.now ?? ((): number => Math.floor(Date.now() / 1000));
  async function run(id: string, archive: boolean): Promise<Thread> {
    const thread = deps.getThread(id);
    if (!thread) throw new AppError('NOT_FOUND', `No thread ${id} in the state DB`);
    const move = planMove(deps.codexHome, thread, archive, now());
    await deps.ingest.moveRollout(move);
    deps.onChanged([id]);
    const updated = deps.getThread(id);
    if (!updated) throw new AppError('INTERNAL', `Thread ${id} disappeared after it was moved to ${move.to}`);
    return updated;
  }
  return {
    archive: (id: string): Promise<Thread> => run(id, true),
    unarchive: (id: string): Promise<Thread> => run(id, false),
  };
}
