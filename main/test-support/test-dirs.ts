import { afterEach, beforeEach } from 'vitest';
import type { Db } from '../state/connection.ts';
import { openStateDb } from '../state/state-db.ts';
import { makeTempDir } from './temp-dir.ts';

/**
 * For suites that build a CODEX_HOME and a data dir per test: registers an afterEach that runs the
 * collected cleanups newest first, and returns the list (push your own) and a maker of the two dirs.
 */
export function perTestDirs(): {
  cleanups: (() => void | Promise<void>)[];
  dirs: () => { home: string; data: string };
} {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const dirs = (): { home: string; data: string } => {
    const home = makeTempDir();
    const data = makeTempDir();
    cleanups.push(home.cleanup, data.cleanup);
    return { home: home.dir, data: data.dir };
  };
  return { cleanups, dirs };
}

/**
 * For suites over one state DB: before each test a fresh, migrated `state_5.sqlite` in a temp dir is
 * handed to `onOpen` (keep it in the suite's own variable); after each it is closed and the dir removed.
 */
export function perTestStateDb(onOpen: (db: Db, dir: string) => void): void {
  let opened: { db: Db; cleanup: () => void } | null = null;
  beforeEach(() => {
    const t = makeTempDir();
    const db = openStateDb(t.dir);
    opened = { db, cleanup: t.cleanup };
    onOpen(db, t.dir);
  });
  afterEach(() => {
    opened?.db.close();
    opened?.cleanup();
    opened = null;
  });
}
