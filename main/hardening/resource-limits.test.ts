import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAppCore } from '../app/app-core.ts';
import { AppError, toApiError } from '../core/app-error.ts';
import { createSlicer } from '../core/time-slice.ts';
import { BATCH_SIZE, createIngestService } from '../ingest/ingest-service.ts';
import { openLogsDb } from '../logs/logs-db.ts';
import { LogWriter } from '../logs/log-writer.ts';
import { allLogs } from '../logs/logs-test-support.ts';
import type { Db } from '../state/connection.ts';
import { openStateDb } from '../state/state-db.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { call, threadHead, threadId, writeThreadRollout } from './hardening-kit.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serveEntry = join(root, 'out', 'main', 'serve.js');
const { cleanups, dirs } = perTestDirs();

const integrity = (db: Db): string => db.pragma('integrity_check', { simple: true }) as string;
/** Lets SQLite grow the file by only `pages` more pages: inserts past that fail with SQLITE_FULL. */
const capPages = (db: Db, pages: number): void => {
  const now = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${now + pages}`);
};

/**
 * How a read-only data dir can be made here. As root, chmod does not stop writes: a tmpfs remounted
 * read-only does (when this process may mount, as in the CI container); otherwise chmod 0555 works.
 */
function readOnlyMethod(): 'remount' | 'chmod' | null {
  if (process.getuid?.() !== 0) return 'chmod';
  const probe = makeTempDir('threadscope-mount-probe-');
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe.dir]).status === 0;
  if (ok) spawnSync('umount', [probe.dir]);
  probe.cleanup();
  return ok ? 'remount' : null;
}
const roMethod = readOnlyMethod();

/** A data dir that `readOnly()` turns read-only for this process and `writable()` turns back. */
function switchableDataDir(): { dir: string; readOnly(): void; writable(): void } {
  const base = makeTempDir('threadscope-ro-');
  const dir = join(base.dir, 'data');
  mkdirSync(dir);
  if (roMethod === 'remount') {
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir]).status).toBe(0);
    cleanups.push(() => {
      spawnSync('umount', [dir]);
      rmdirSync(dir);
      base.cleanup();
    });
    const remount = (mode: string) =>
      expect(spawnSync('mount', ['-o', `remount,${mode}`, dir]).status).toBe(0);
    return { dir, readOnly: () => remount('ro'), writable: () => remount('rw') };
  }
  cleanups.push(() => {
    chmodSync(dir, 0o755);
    base.cleanup();
  });
  return { dir, readOnly: () => chmodSync(dir, 0o555), writable: () => chmodSync(dir, 0o755) };
}

describe('an unusable data dir', () => {
  it('is refused with a message naming it when it is a file (core and the serve process)', async () => {
    const { home, data } = dirs();
    const file = join(data, 'not-a-folder');
    writeFileSync(file, 'x');
    const opening = createAppCore({ codexHome: home, dataDir: file, shell: 'test', watch: false });
    await expect(opening).rejects.toBeInstanceOf(AppError);
    await expect(opening).rejects.toThrow(`The data dir ${file} is not a folder`);
    if (!existsSync(serveEntry)) return; // the built serve shell is checked once `npm run build` ran
    const run = spawnSync(
      process.execPath,
      [serveEntry, '--codex-home', home, '--data-dir', file, '--port', '0'],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`cannot open the data dir ${file}: The data dir ${file} is not a folder`);
  });

  it.skipIf(!roMethod)(
    `is refused when read-only, and its databases are intact once writable again (${roMethod ?? 'cannot mount as root'})`,
    async () => {
      const { home } = dirs();
      const data = switchableDataDir();
      const id = threadId(3);
      writeThreadRollout(home, id, Date.UTC(2026, 1, 5), threadHead(id, Date.UTC(2026, 1, 5)));
      const first = await createAppCore({ codexHome: home, dataDir: data.dir, shell: 'test', watch: false });
      await first.start();
      await first.close();

      data.readOnly();
      const opening = createAppCore({ codexHome: home, dataDir: data.dir, shell: 'serve', watch: false });
      await expect(opening).rejects.toMatchObject({ code: 'IO_ERROR' });
      await expect(opening).rejects.toThrow(
        new RegExp(`^The data dir ${data.dir} is not writable \\((EROFS|EACCES)`),
      );

      data.writable();
      const again = await createAppCore({ codexHome: home, dataDir: data.dir, shell: 'test', watch: false });
      expect((await call(again, 'threads:get', { id })).id).toBe(id);
      await again.close();
      const db = openStateDb(data.dir);
      expect(integrity(db)).toBe('ok');
      db.close();
    },
  );
});

describe('a full disk (SQLite refuses to grow the file: SQLITE_FULL, as on ENOSPC)', () => {
  it('the logs writer counts the rows it lost, says so once there is room, and the DB stays sound', async () => {
    const { data } = dirs();
    const db = openLogsDb(data);
    cleanups.push(() => {
      db.close();
    });
    const errors: string[] = [];
    const writer = new LogWriter(db, {
      flushIntervalMs: 0,
      caps: null,
      onError: (e) => errors.push(e.message),
    });
    writer.log({ level: 'INFO', target: 't', message: 'before' });
    await writer.flush();

    capPages(db, 2);
    for (let i = 0; i < 300; i++)
      writer.log({ level: 'INFO', target: 't', message: `row ${i} ${'x'.repeat(400)}` });
    await writer.flush();
    expect(errors[0]).toBe('database or disk is full');
    expect(toApiError(Object.assign(new Error(errors[0]), { code: 'SQLITE_FULL' }))).toEqual({
      code: 'IO_ERROR',
      message: 'The disk is full: free some space and try again (database or disk is full)',
    });
    const lost = writer.droppedCount;
    expect(lost).toBeGreaterThan(0);
    expect(integrity(db)).toBe('ok');

    db.pragma('max_page_count = 1073741823');
    await writer.flush();
    const rows = allLogs(db);
    expect(rows.at(-1)?.message).toBe(`${lost} log rows were dropped (log queue full or a write failed)`);
    expect(rows.filter((r) => r.message?.startsWith('row ')).length + lost).toBe(300);
    expect(writer.droppedCount).toBe(0);
    await writer.close();
    expect(integrity(db)).toBe('ok');
  });

  it('ingestion fails with the disk error, keeps what it committed, and completes once there is room', async () => {
    const { home, data } = dirs();
    const n = 450;
    for (let i = 0; i < n; i++) {
      const created = Date.UTC(2026, 1, 6) + i * 60_000;
      writeThreadRollout(home, threadId(100 + i), created, threadHead(threadId(100 + i), created));
    }
    const db = openStateDb(data);
    cleanups.push(() => {
      db.close();
    });
    const ingest = () =>
      createIngestService({ db, codexHome: home, defaultProvider: 'openai', slicer: createSlicer(8) });
    const count = db.prepare('SELECT count(*) FROM threads').pluck();

    capPages(db, 100);
    const failed = await ingest()
      .scanAll()
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(toApiError(failed)).toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringMatching(/^The disk is full/),
    });
    const partial = count.get() as number;
    console.log(
      `[resource-limits] state DB capped at +100 pages: ${partial} of ${n} threads committed before SQLITE_FULL`,
    );
    // Whole checkpointed batches only: the batch that hit the full disk rolled back.
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(n);
    expect(partial % BATCH_SIZE).toBe(0);
    expect(integrity(db)).toBe('ok');

    db.pragma('max_page_count = 1073741823');
    const summary = await ingest().scanAll();
    expect(summary.problems).toEqual([]);
    expect(count.get()).toBe(n);
    expect(integrity(db)).toBe('ok');
  });
});
