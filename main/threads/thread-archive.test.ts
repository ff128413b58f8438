import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noYield } from '../core/time-slice.ts';
import type { IngestApi } from '../ingest/ingest-api.ts';
import { createIngestService } from '../ingest/ingest-service.ts';
import { createWorkerIngest } from '../ingest/worker-ingest.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { createRolloutFileRepo } from '../state/rollout-file-repo.ts';
import { openStateDb, stateDbFileName } from '../state/state-db.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import {
  assistantLine,
  harness,
  ID,
  invoke,
  listIds,
  metaLine,
  modes,
  sessionPath,
  userLine,
  writeSession,
  type Harness,
} from './thread-actions-test-kit.ts';
import { applyRolloutMove, planMove } from './thread-archive.ts';

const NAME = basename(sessionPath('/x'));

describe.each(modes)('archive / unarchive (%s)', (_mode, scripts) => {
  let h: Harness;
  beforeEach(() => {
    h = harness(() => scripts);
  });
  afterEach(() => h.cleanup());

  it('moves the rollout to archived_sessions/, updates the DB, and a re-scan keeps one thread there', async () => {
    const from = writeSession(h.home, metaLine() + userLine('archive me') + assistantLine('ok'));
    const c = await h.core();
    await c.start();
    const changed: string[][] = [];
    c.bus.subscribe((name, p) => name === 'threads:changed' && changed.push((p as { ids: string[] }).ids));
    const before = readFileSync(from);
    const { updatedAt } = await invoke(c, 'threads:get', { id: ID });

    const archived = await invoke(c, 'threads:archive', { id: ID });
    const to = join(h.home, 'archived_sessions', NAME);
    expect(existsSync(from)).toBe(false);
    expect(readFileSync(to)).toEqual(before);
    expect(archived).toMatchObject({ id: ID, archived: true, rolloutPath: to });
    expect(archived.archivedAt).toBeGreaterThan(0);
    // Same content, same activity time: the list order does not change.
    expect(archived.updatedAt).toBe(updatedAt);
    expect(changed).toContainEqual([ID]);
    expect(await listIds(c, true)).toEqual([ID]);
    expect(await listIds(c, false)).toEqual([]);

    // The ingest record moved with the file: a re-scan reads nothing and loses nothing.
    const rescan = await invoke(c, 'ingest:rescan', {});
    expect(rescan).toMatchObject({ filesSeen: 1, filesIngested: 0, filesRemoved: 0 });
    const again = await invoke(c, 'threads:get', { id: ID });
    expect(again).toEqual(archived);

    // Undo: back to sessions/YYYY/MM/DD/ from the date in the name.
    const restored = await invoke(c, 'threads:unarchive', { id: ID });
    expect(existsSync(to)).toBe(false);
    expect(readFileSync(from)).toEqual(before);
    expect(restored).toMatchObject({ archived: false, archivedAt: null, rolloutPath: from });
    expect(await invoke(c, 'ingest:rescan', {})).toMatchObject({ filesIngested: 0, filesRemoved: 0 });
    expect(await listIds(c, false)).toEqual([ID]);
  });

  it('refuses when the target exists (CONFLICT) and moves nothing', async () => {
    const from = writeSession(h.home, metaLine() + userLine('stay'));
    const c = await h.core();
    await c.start();
    mkdirSync(join(h.home, 'archived_sessions'));
    const squatter = join(h.home, 'archived_sessions', NAME);
    writeFileSync(squatter, 'not mine\n');
    await expect(invoke(c, 'threads:archive', { id: ID })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already exists'),
    });
    expect(existsSync(from)).toBe(true);
    expect(readFileSync(squatter, 'utf8')).toBe('not mine\n');
    expect(await invoke(c, 'threads:get', { id: ID })).toMatchObject({ archived: false, rolloutPath: from });
  });

  it('answers NOT_FOUND for a missing rollout or thread, CONFLICT for a repeated archive', async () => {
    const from = writeSession(h.home, metaLine() + userLine('gone soon'));
    const c = await h.core();
    await c.start();
    await expect(invoke(c, 'threads:unarchive', { id: ID })).rejects.toMatchObject({ code: 'CONFLICT' });
    renameSync(from, `${from}.bak`);
    await expect(invoke(c, 'threads:archive', { id: ID })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('is gone'),
    });
    await expect(
      invoke(c, 'threads:archive', { id: '019c0000-0000-7000-8000-0000000000ff' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    renameSync(`${from}.bak`, from);
    await invoke(c, 'threads:archive', { id: ID });
    await expect(invoke(c, 'threads:archive', { id: ID })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already archived'),
    });
  });
});

describe('moves under the watcher (unlink + add of the same file)', () => {
  const temp: (() => void)[] = [];
  afterEach(() => temp.splice(0).forEach((c) => c()));

  const setups: [string, (db: ReturnType<typeof openStateDb>, home: string, data: string) => IngestApi][] = [
    [
      'inline',
      (db, home) => createIngestService({ db, codexHome: home, defaultProvider: 'openai', slicer: noYield }),
    ],
    [
      'workers',
      (db, home, data) =>
        createWorkerIngest(
          new URL('../ingest/ingest-worker.ts', import.meta.url),
          {
            dbFile: join(data, stateDbFileName),
            codexHome: home,
            defaultProvider: 'openai',
            extractWorker: null,
          },
          db,
          new EventBus(),
        ),
    ],
  ];

  it.each(setups)('%s: neither re-ingests nor drops the thread', async (_mode, make) => {
    const home = makeTempDir();
    const data = makeTempDir();
    temp.push(home.cleanup, data.cleanup);
    const from = writeSession(home.dir, metaLine() + userLine('watched'));
    const db = openStateDb(data.dir);
    const ingest = make(db, home.dir, data.dir);
    try {
      await ingest.scanAll();
      const thread = createThreadRepo(db).get(ID);
      if (!thread) throw new Error('not ingested');
      const move = planMove(home.dir, thread, true, 1_800_000_000);
      await ingest.moveRollout(move);
      // What the watcher reports after a rename: the old path gone, the new one added.
      const s = await ingest.scanPaths([from, move.to]);
      expect(s).toMatchObject({ filesIngested: 0, filesRemoved: 0 });
      expect(createThreadRepo(db).get(ID)).toMatchObject({
        rolloutPath: move.to,
        archived: true,
        archivedAt: 1_800_000_000,
      });
      expect(createRolloutFileRepo(db).get(move.to)).toMatchObject({ threadId: ID, archived: true });
      expect(createRolloutFileRepo(db).get(from)).toBeNull();
    } finally {
      await ingest.close();
      db.close();
    }
  });
});

describe('applyRolloutMove safety', () => {
  const temp: (() => void)[] = [];
  afterEach(() => temp.splice(0).forEach((c) => c()));
  function setup() {
    const home = makeTempDir();
    const data = makeTempDir();
    temp.push(home.cleanup, data.cleanup);
    const from = writeSession(home.dir, metaLine() + userLine('x'));
    const db = openStateDb(data.dir);
    temp.unshift(() => db.close());
    return { home: home.dir, from, db };
  }

  it('renames the file back when the DB update fails', () => {
    const { home, from, db } = setup();
    const to = join(home, 'archived_sessions', NAME);
    // No thread row: the transaction refuses, the file must end up where it was.
    expect(() => applyRolloutMove(db, { threadId: ID, from, to, archived: true, archivedAt: 1 })).toThrow(
      /no longer points/,
    );
    expect(existsSync(from)).toBe(true);
    expect(existsSync(to)).toBe(false);
  });

  it('refuses rollouts outside CODEX_HOME, also through a symlink', async () => {
    const { home, from, db } = setup();
    const svc = createIngestService({ db, codexHome: home, defaultProvider: 'openai', slicer: noYield });
    await svc.scanAll();
    const t = createThreadRepo(db).get(ID);
    if (!t) throw new Error('not ingested');
    expect(() => planMove(home, { ...t, rolloutPath: join(tmpdir(), NAME) }, true, 1)).toThrow(
      /inside CODEX_HOME/,
    );
    expect(() =>
      planMove(home, { ...t, rolloutPath: join(home, 'sessions', '..', '..', NAME) }, true, 1),
    ).toThrow(/inside CODEX_HOME/);
    const outside = makeTempDir();
    temp.push(outside.cleanup);
    const real = join(outside.dir, NAME);
    renameSync(from, real);
    symlinkSync(real, from);
    expect(() => planMove(home, t, true, 1)).toThrow(/outside CODEX_HOME/);
    await svc.close();
  });

  it('refuses a move across filesystems (EXDEV) with a clear IO_ERROR and leaves the file', () => {
    const shm = '/dev/shm';
    const { home, from, db } = setup();
    if (!existsSync(shm) || statSync(shm).dev === statSync(home).dev) return; // no second filesystem here
    const target = join(shm, `threadscope-exdev-${process.pid}`);
    mkdirSync(target, { recursive: true });
    temp.push(() => rmSync(target, { recursive: true, force: true }));
    symlinkSync(target, join(home, 'archived_sessions'));
    expect(() =>
      applyRolloutMove(db, {
        threadId: ID,
        from,
        to: join(home, 'archived_sessions', NAME),
        archived: true,
        archivedAt: 1,
      }),
    ).toThrow(
      expect.objectContaining({ code: 'IO_ERROR', message: expect.stringContaining('another filesystem') }),
    );
    expect(existsSync(from)).toBe(true);
    expect(existsSync(join(target, NAME))).toBe(false);
  });
});
