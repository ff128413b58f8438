import { afterEach } from 'vitest';
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
