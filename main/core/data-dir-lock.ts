import { randomUUID } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from './app-error.ts';

/** In the data dir while a long-running Threadscope (the desktop app or serve) uses it. */
export const DATA_DIR_LOCK_FILE = 'threadscope.lock';

/** What the lock file holds: enough to name the owner in the refusal and to tell a stale lock. */
export interface DataDirLockOwner {
  pid: number;
  host: string;
  shell: string;
  startedAt: string;
  token: string;
}

export interface DataDirLock {
  readonly path: string;
  /**
   * The owner of a lock this process took over: a Threadscope on this host that died holding the data
   * dir (crash, SIGKILL). Its leases can be ended at once instead of when they run out.
   */
  readonly takenOverFrom: DataDirLockOwner | null;
  /** Removes the lock file if it is still ours (idempotent). */
  release(): void;
}

const errText = (err: unknown): string => {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message.replace(/^[A-Z]+: /, '')}` : String(err);
};

/**
 * Creates the data dir if needed and checks that it is a folder Threadscope can write, with a message
 * naming it (a read-only mount, a file in its place, no permission) instead of a later SQLite error.
 */
export function checkDataDir(dataDir: string): void {
  let isDir: boolean;
  try {
    mkdirSync(dataDir, { recursive: true });
    isDir = true;
  } catch (err) {
    if (
      (err as NodeJS.ErrnoException).code !== 'EEXIST' &&
      (err as NodeJS.ErrnoException).code !== 'ENOTDIR'
    ) {
      throw new AppError('IO_ERROR', `Cannot create the data dir ${dataDir} (${errText(err)})`, [dataDir]);
    }
    isDir = false;
  }
  if (isDir) {
    try {
      isDir = statSync(dataDir).isDirectory();
    } catch (err) {
      throw new AppError('IO_ERROR', `Cannot use the data dir ${dataDir} (${errText(err)})`, [dataDir]);
    }
  }
  if (!isDir) {
    throw new AppError('IO_ERROR', `The data dir ${dataDir} is not a folder: choose another --data-dir`, [
      dataDir,
    ]);
  }
  try {
    accessSync(dataDir, constants.W_OK);
  } catch (err) {
    throw new AppError(
      'IO_ERROR',
      `The data dir ${dataDir} is not writable (${errText(err)}): Threadscope keeps its databases there; choose another --data-dir or fix its permissions`,
      [dataDir],
    );
  }
}

/** True while a process with this pid exists (EPERM: it exists but is not ours). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): { owner: DataDirLockOwner | null; raw: string } | null {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const o = JSON.parse(raw) as Partial<DataDirLockOwner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string') return { owner: o as DataDirLockOwner, raw };
  } catch {
    // Unparseable: a writer between create and write, or a damaged file (see `stale`).
  }
  return { owner: null, raw };
}

/** A lock is stale when its process is gone (same host), or when it is unreadable and not brand new. */
function stale(path: string, owner: DataDirLockOwner | null): boolean {
  if (!owner) {
    try {
      return Date.now() - statSync(path).mtimeMs > 5_000;
    } catch {
      return true;
    }
  }
  return owner.host === hostname() && !alive(owner.pid);
}

function refusal(dataDir: string, path: string, owner: DataDirLockOwner | null): AppError {
  const who = owner
    ? `${owner.pid === process.pid ? 'this process' : `process ${owner.pid}`}${owner.host === hostname() ? '' : ` on ${owner.host}`}, ${owner.shell}, since ${owner.startedAt}`
    : 'a process that is starting';
  return new AppError(
    'CONFLICT',
    `Another Threadscope (${who}) is using the data dir ${dataDir}. Quit it first, or choose another --data-dir. ` +
      `If no Threadscope is running, delete ${path}.`,
    [path],
  );
}

/**
 * Takes the data dir for this process: one long-running Threadscope per data dir, so two never run the
 * background ingestion, search indexer, logs caps and memories pipeline over the same databases. A lock
 * left by a process that died (crash, SIGKILL) is taken over. Throws AppError CONFLICT naming the owner.
 */
export function acquireDataDirLock(dataDir: string, shell: string): DataDirLock {
  checkDataDir(dataDir);
  const path = join(dataDir, DATA_DIR_LOCK_FILE);
  const me: DataDirLockOwner = {
    pid: process.pid,
    host: hostname(),
    shell,
    startedAt: new Date().toISOString(),
    token: randomUUID(),
  };
  let takenOverFrom: DataDirLockOwner | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError('IO_ERROR', `Cannot write ${path} in the data dir ${dataDir} (${errText(err)})`, [
          dataDir,
        ]);
      }
      const held = readOwner(path);
      if (!held) continue; // released meanwhile
      if (!stale(path, held.owner)) throw refusal(dataDir, path, held.owner);
      // Take over a dead owner's lock, unless another starter replaced it since we read it.
      if (readOwner(path)?.raw === held.raw) {
        try {
          unlinkSync(path);
          takenOverFrom = held.owner;
        } catch {
          // Gone already: the next attempt decides.
        }
      }
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      takenOverFrom,
      release() {
        if (released) return;
        released = true;
        if (readOwner(path)?.owner?.token !== me.token) return;
        try {
          unlinkSync(path);
        } catch {
          // Already removed: nothing to release.
        }
      },
    };
  }
  throw refusal(dataDir, path, readOwner(path)?.owner ?? null);
}
