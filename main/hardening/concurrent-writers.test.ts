import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiErrorShape, LogRecord } from '../../preload/contract/index.ts';
import { createAppCore, type AppCore } from '../app/app-core.ts';
import { AppError } from '../core/app-error.ts';
import { DATA_DIR_LOCK_FILE } from '../core/data-dir-lock.ts';
import { memoryWorkerId } from '../memories/dead-worker-leases.ts';
import { openStateDb } from '../state/state-db.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { writeLargeRollout } from '../test-support/synthetic-rollouts.ts';
import type { CodexWriterArgs, CodexWriterReport } from './codex-writer-process.ts';
import { call, dispatch, threadHead, threadId, writeThreadRollout } from './hardening-kit.ts';

const SOAK_MS = Math.max(1, Number(process.env.SOAK_SECONDS ?? 4)) * 1000;

const root = fileURLToPath(new URL('../../', import.meta.url));
const writerScript = fileURLToPath(new URL('./codex-writer-process.ts', import.meta.url));
const serveEntry = join(root, 'out', 'main', 'serve.js');
const { cleanups, dirs } = perTestDirs();
const cores: AppCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});

async function open(home: string, data: string, lockDataDir = true): Promise<AppCore> {
  const core = await createAppCore({
    codexHome: home,
    dataDir: data,
    shell: 'test',
    watch: false,
    lockDataDir,
  });
  cores.push(core);
  return core;
}

/** Runs the stand-in Codex; resolves `ready` once its logs DB exists and `done` with its report. */
function startCodexWriter(a: CodexWriterArgs): { ready: Promise<void>; done: Promise<CodexWriterReport> } {
  const child = spawn(process.execPath, [writerScript, JSON.stringify(a)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => void child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines = createInterface({ input: child.stdout });
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => (onReady = r));
  const done = new Promise<CodexWriterReport>((resolve, reject) => {
    let last = '';
    lines.on('line', (l) => {
      if (l === 'ready') onReady();
      else last = l;
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(last) as CodexWriterReport)
        : reject(new Error(`writer exited ${code}: ${stderr}`)),
    );
  });
  return { ready, done };
}

const rowNumber = (r: LogRecord): number => Number(/^codex row (\d+)$/.exec(r.message ?? '')?.[1] ?? -1);

describe('Codex writing while Threadscope reads', () => {
  it(
    'ingests a growing rollout and tails a growing logs DB with no error, every row once',
    { timeout: SOAK_MS + 60_000 },
    async () => {
      const { home, data } = dirs();
      const id = threadId(1);
      const created = Date.UTC(2026, 1, 3, 10);
      const head = threadHead(id, created);
      const rolloutPath = writeThreadRollout(home, id, created, head);
      const writer = startCodexWriter({
        rolloutPath,
        sqliteHome: home,
        threadId: id,
        // CI writes for 4 s; SOAK_SECONDS=120 (for example) runs a longer soak locally.
        durationMs: SOAK_MS,
        everyMs: 2,
        schemaFile: join(root, 'migrations', 'logs', '0001_logs.sql'),
      });
      await writer.ready;
      const core = await open(home, data);
      await core.start();
      const before = await call(core, 'threads:get', { id });

      let finished = false;
      void writer.done.finally(() => (finished = true));
      const errors: ApiErrorShape[] = [];
      const seen: number[] = [];
      let afterId = 0;
      let rounds = 0;
      const filter = { threadIds: [id] };
      const note = <T>(r: { ok: true; value: T } | { ok: false; error: ApiErrorShape }): T | null =>
        r.ok ? r.value : (errors.push(r.error), null);
      const tail = async (): Promise<boolean> => {
        const t = note(await dispatch(core, 'logs:tail', { source: 'codex', filter, afterId, limit: 1000 }));
        if (!t) return false;
        seen.push(...t.rows.map(rowNumber));
        afterId = t.lastId;
        return t.more;
      };
      while (!finished) {
        rounds++;
        note(await dispatch(core, 'ingest:rescan', {}));
        const page = note(await dispatch(core, 'transcript:page', { id, offset: 0, limit: 1 }));
        if (page)
          note(
            await dispatch(core, 'transcript:page', { id, offset: Math.max(0, page.total - 20), limit: 20 }),
          );
        note(await dispatch(core, 'threads:get', { id }));
        note(await dispatch(core, 'logs:query', { source: 'codex', filter, limit: 50 }));
        await tail();
        // Let the child's output and exit events in even when every call above answered at once.
        await new Promise((r) => setImmediate(r));
      }
      const report = await writer.done;
      console.log(
        `[concurrent-writers] Codex stand-in wrote ${report.lines} rollout lines and ${report.rows} log rows in ` +
          `${report.seconds.toFixed(2)} writer-seconds; Threadscope did ${rounds} rounds of re-scan + page + tail meanwhile`,
      );
      expect(errors.slice(0, 5)).toEqual([]);
      expect(rounds).toBeGreaterThan(3);

      // Final state: the thread has every line, the tail saw every row exactly once, in order.
      await call(core, 'ingest:rescan', {});
      const last = await call(core, 'transcript:page', { id, offset: 0, limit: 1 });
      expect(last.total).toBe(head.length + report.lines);
      const after = await call(core, 'threads:get', { id });
      expect(after.updatedAt).toBeGreaterThan(before.updatedAt);
      while (await tail());
      expect(seen).toEqual(Array.from({ length: report.rows }, (_, i) => i));
      const newest = await call(core, 'logs:query', { source: 'codex', filter, limit: 1 });
      expect(newest.rows.map(rowNumber)).toEqual([report.rows - 1]);
    },
  );
});

describe('a second instance on the same data dir', () => {
  it('is refused with a message naming the owner and the folder, while a CLI run shares it', async () => {
    const { home, data } = dirs();
    const first = await open(home, data);
    const lockFile = join(data, DATA_DIR_LOCK_FILE);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid, shell: 'test' });

    const second = open(home, data);
    await expect(second).rejects.toBeInstanceOf(AppError);
    await expect(second).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(second).rejects.toThrow(
      `Another Threadscope (this process, test, since ${JSON.parse(readFileSync(lockFile, 'utf8')).startedAt}) is using the data dir ${data}.`,
    );
    // The CLI's short runs do not take the lock: they share the DBs through SQLite's locking.
    const cli = await open(home, data, false);
    expect((await call(cli, 'app:info', {})).dataDir).toBe(data);
    await cli.close();
    expect(existsSync(lockFile)).toBe(true);

    await first.close();
    expect(existsSync(lockFile)).toBe(false);
    await open(home, data);
  });

  it.skipIf(!existsSync(serveEntry))(
    'refuses a second serve process, which exits 1 naming the data dir',
    async () => {
      const { home, data } = dirs();
      await open(home, data);
      const run = spawnSync(
        process.execPath,
        [serveEntry, '--codex-home', home, '--data-dir', data, '--port', '0'],
        {
          encoding: 'utf8',
          timeout: 20_000,
        },
      );
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`cannot open the data dir ${data}`);
      expect(run.stderr).toContain(`Another Threadscope (process ${process.pid}, test, since`);
    },
  );

  it('takes over the lock of a process that died without releasing it', async () => {
    const { home, data } = dirs();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const lockFile = join(data, DATA_DIR_LOCK_FILE);
    const stale = { pid: Number(dead.stdout), host: (await import('node:os')).hostname(), shell: 'serve' };
    // It died holding a phase-1 job, leased for another hour.
    const now = Math.floor(Date.now() / 1000);
    const db = openStateDb(data);
    db.prepare(
      `INSERT INTO jobs (kind, job_key, status, worker_id, ownership_token, started_at, lease_until, retry_remaining)
       VALUES ('memory_stage1', 't1', 'running', ?, 'tok', ?, ?, 3)`,
    ).run(memoryWorkerId(`pid:${stale.pid}:0199`), now - 60, now + 3540);
    db.close();
    writeFileSync(lockFile, JSON.stringify({ ...stale, startedAt: '2026-01-01T00:00:00Z', token: 'x' }));
    const core = await open(home, data);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    // Its lease is over: the next phase-1 run takes the job instead of waiting out the hour.
    const check = openStateDb(data);
    const lease = check.prepare(`SELECT lease_until FROM jobs WHERE job_key = 't1'`).pluck().get() as number;
    check.close();
    expect(lease).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(lease).toBeGreaterThanOrEqual(now);
    await core.logs.flush();
    const warned = await call(core, 'logs:query', {
      source: 'app',
      filter: { minLevel: 'WARN', text: 'took over the data dir' },
      limit: 5,
    });
    expect(warned.rows.map((r: LogRecord) => r.message)).toEqual([
      `took over the data dir from serve process ${stale.pid} (started 2026-01-01T00:00:00Z), which ended without releasing it; released its 1 memory job lease`,
    ]);
    await core.close();
    expect(existsSync(lockFile)).toBe(false);
  });
});

describe('a rollout moved or deleted while it is read', () => {
  it('answers NOT_FOUND (never INTERNAL), follows a move after a re-scan, and survives truncation', async () => {
    const { home, data } = dirs();
    const id = threadId(2);
    const created = Date.UTC(2026, 1, 4, 9);
    const path = writeThreadRollout(home, id, created, threadHead(id, created));
    writeLargeRollout(path, 3 << 20, 7);
    const core = await open(home, data);
    await core.start();
    const { total } = await call(core, 'transcript:page', { id, offset: 0, limit: 1 });
    expect(total).toBeGreaterThan(1000);

    // Moved away mid-read: the read in flight either finishes on its open file or reports NOT_FOUND.
    const moved = join(home, 'sessions', '2026', '02', '05', path.split('/').pop() ?? 'x');
    mkdirSync(dirname(moved), { recursive: true });
    const inFlight = [
      dispatch(core, 'transcript:page', { id, offset: total - 5, limit: 5 }),
      dispatch(core, 'transcript:find', { id, query: 'zzz-not-there', limit: 5 }),
      dispatch(core, 'transcript:outline', { id }),
    ];
    renameSync(path, moved);
    for (const r of await Promise.all(inFlight)) {
      if (!r.ok) expect(r.error.code).toBe('NOT_FOUND');
    }
    expect(await dispatch(core, 'transcript:page', { id, offset: 0, limit: 5 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: `The rollout file of thread ${id} is gone: ${path}` },
    });
    // A re-scan finds it at its new place.
    await call(core, 'ingest:rescan', {});
    expect((await call(core, 'threads:get', { id })).rolloutPath).toBe(moved);
    expect((await call(core, 'transcript:page', { id, offset: total - 5, limit: 5 })).items).toHaveLength(5);

    // Cut short under a cached line index: a page past the new end is empty, the total shrinks.
    truncateSync(moved, 4096);
    const cut = await call(core, 'transcript:page', { id, offset: total - 5, limit: 5 });
    expect(cut.total).toBeLessThan(total);
    expect(cut.items).toEqual([]);

    // Deleted while a re-scan reads it: the scan completes; reads say NOT_FOUND.
    const scan = dispatch(core, 'ingest:rescan', {});
    rmSync(moved);
    expect((await scan).ok).toBe(true);
    expect(await dispatch(core, 'transcript:outline', { id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
