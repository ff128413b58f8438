/**
 * Seed §5.14 usage recording and §5.4 pollution during ingestion, and the Q3 memory_mode rule, end to end:
 * real rollout files in a CODEX_HOME, a real state DB, on both ingest paths (inline, and the ingest worker
 * with an extract worker, both run from source).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { noYield } from '../core/time-slice.ts';
import { GLOBAL_JOB_KIND } from '../memories/memory-constants.ts';
import {
  citedAnswer,
  event,
  FILE_NAME,
  functionCall,
  OTHER_ID,
  resetClock,
  responseMessage,
  sessionMeta,
  THREAD_ID,
  userMessage,
  webSearchCall,
} from '../rollouts/rollout-test-kit.ts';
import { SettingsStore } from '../settings/settings-store.ts';
import type { Db } from '../state/connection.ts';
import { openStateDb, stateDbFileName } from '../state/state-db.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import type { IngestApi } from './ingest-api.ts';
import { createIngestService } from './ingest-service.ts';
import { createWorkerIngest } from './worker-ingest.ts';
import { pollutionRuleFromSettings } from '../settings/pollution-rule.ts';

const { cleanups, dirs } = perTestDirs();

type Make = (db: Db, home: string, data: string) => IngestApi;
const modes: [string, Make][] = [
  [
    'inline',
    (db, home, data) =>
      createIngestService({
        db,
        codexHome: home,
        defaultProvider: 'openai',
        slicer: noYield,
        pollutionRule: pollutionRuleFromSettings(data),
      }),
  ],
  [
    'workers',
    (db, home, data) =>
      createWorkerIngest(
        new URL('./ingest-worker.ts', import.meta.url),
        {
          dbFile: join(data, stateDbFileName),
          codexHome: home,
          defaultProvider: 'openai',
          extractWorker: new URL('../rollouts/extract-worker.ts', import.meta.url).href,
        },
        db,
        { emit: () => {} },
        pollutionRuleFromSettings(data),
      ),
  ],
];

/** THREAD_ID's rollout (the thread that cites) and OTHER_ID, a thread with a stage-1 output (the cited one). */
interface World {
  db: Db;
  data: string;
  ingest: IngestApi;
  path: string;
}

const lineSeconds = (jsonLine: string): number =>
  Math.floor(Date.parse((JSON.parse(jsonLine) as { timestamp: string }).timestamp) / 1000);

function usage(db: Db, id = OTHER_ID): { usage_count: number | null; last_usage: number | null } {
  return db.prepare('SELECT usage_count, last_usage FROM stage1_outputs WHERE thread_id = ?').get(id) as {
    usage_count: number | null;
    last_usage: number | null;
  };
}

const modeOf = (db: Db, id = THREAD_ID): string | undefined => createThreadRepo(db).get(id)?.memoryMode;

const globalJobs = (db: Db): number =>
  db.prepare('SELECT COUNT(*) FROM jobs WHERE kind = ?').pluck().get(GLOBAL_JOB_KIND) as number;

function addStage1Output(db: Db, id: string, selected: boolean): void {
  if (!createThreadRepo(db).get(id))
    createThreadRepo(db).upsert({
      meta: makeMeta({ id, rolloutPath: `/elsewhere/${id}.jsonl` }),
      memoryMode: 'enabled',
      dynamicTools: [],
    });
  db.prepare(
    `INSERT INTO stage1_outputs (thread_id, source_updated_at, raw_memory, rollout_summary, generated_at,
       selected_for_phase2) VALUES (?, 1770000000, 'raw', 'summary', 1770000000, ?)`,
  ).run(id, selected ? 1 : 0);
}

const fileOf = (lines: string[]): string => lines.map((l) => `${l}\n`).join('');

describe.each(modes)('memory signals at ingest (%s)', (_mode, make) => {
  let w: World;

  beforeEach(() => {
    resetClock();
    const { home, data } = dirs();
    const db = openStateDb(data);
    const ingest = make(db, home, data);
    cleanups.push(
      () => {
        db.close();
      },
      () => ingest.close(),
    );
    addStage1Output(db, OTHER_ID, false);
    const path = join(home, 'sessions', '2026', '02', '03', FILE_NAME);
    mkdirSync(dirname(path), { recursive: true });
    w = { db, data, ingest, path };
  });

  const pollutionRule = (on: boolean): void => {
    new SettingsStore(w.data).updateMemories({ no_memories_if_mcp_or_web_search: on });
  };

  it('counts a citation once, then only appended ones (duplicates twice), and never again on a re-read', async () => {
    const first = citedAnswer('Fixed it as before.', [OTHER_ID]);
    writeFileSync(w.path, fileOf([sessionMeta(), userMessage('fix the login'), first]));
    await w.ingest.scanAll();
    expect(usage(w.db)).toEqual({ usage_count: 1, last_usage: lineSeconds(first) });

    await w.ingest.scanAll();
    expect(usage(w.db).usage_count).toBe(1);

    // Appended: the resume reads only the new lines.
    const second = citedAnswer('Twice.', [OTHER_ID, 'not-a-thread', OTHER_ID]);
    appendFileSync(w.path, fileOf([userMessage('again'), second]));
    await w.ingest.scanPaths([w.path]);
    expect(usage(w.db)).toEqual({ usage_count: 3, last_usage: lineSeconds(second) });

    // Read again from the top (as after a git metadata edit): nothing is counted twice.
    await w.ingest.scanPaths([w.path], { force: true });
    expect(usage(w.db).usage_count).toBe(3);

    // A user message quoting a citation, or an assistant message without one, is no use.
    appendFileSync(
      w.path,
      fileOf([
        responseMessage('user', `<oai-mem-citation><thread_ids>${OTHER_ID}</thread_ids></oai-mem-citation>`),
        responseMessage('assistant', 'no citation here'),
      ]),
    );
    await w.ingest.scanPaths([w.path]);
    expect(usage(w.db).usage_count).toBe(3);
  });

  it('records usage from a compressed rollout, once', async () => {
    const answer = citedAnswer('From the archive.', [OTHER_ID]);
    const zst = join(dirname(w.path), `${FILE_NAME}.zst`);
    writeFileSync(zst, zstdCompressSync(Buffer.from(fileOf([sessionMeta(), userMessage('q'), answer]))));
    await w.ingest.scanAll();
    expect(usage(w.db)).toEqual({ usage_count: 1, last_usage: lineSeconds(answer) });
    await w.ingest.scanPaths([zst], { force: true });
    expect(usage(w.db).usage_count).toBe(1);
  });

  it('marks the thread polluted on an MCP call when the rule is on, and enqueues phase 2 if it was selected', async () => {
    pollutionRule(true);
    writeFileSync(w.path, fileOf([sessionMeta(), userMessage('look it up')]));
    await w.ingest.scanAll();
    addStage1Output(w.db, THREAD_ID, true);
    expect(modeOf(w.db)).toBe('enabled');
    expect(globalJobs(w.db)).toBe(0);

    appendFileSync(w.path, fileOf([functionCall('mcp__docs__search', { arguments: '{"q":"x"}' })]));
    await w.ingest.scanPaths([w.path]);
    expect(modeOf(w.db)).toBe('polluted');
    expect(globalJobs(w.db)).toBe(1);
  });

  it('marks polluted on a web search call and on an MCP event, without phase 2 when not selected', async () => {
    pollutionRule(true);
    writeFileSync(w.path, fileOf([sessionMeta(), userMessage('search the web'), webSearchCall()]));
    await w.ingest.scanAll();
    expect(modeOf(w.db)).toBe('polluted');
    expect(globalJobs(w.db)).toBe(0);

    const other = join(dirname(w.path), FILE_NAME.replace(THREAD_ID, OTHER_ID));
    writeFileSync(
      other,
      fileOf([sessionMeta({ id: OTHER_ID }), event('mcp_tool_call_begin', { call_id: 'c' })]),
    );
    await w.ingest.scanAll();
    expect(modeOf(w.db, OTHER_ID)).toBe('polluted');
  });

  it('does nothing on MCP and web search calls when the rule is off (the default)', async () => {
    writeFileSync(
      w.path,
      fileOf([sessionMeta(), userMessage('q'), functionCall('mcp__docs__search'), webSearchCall()]),
    );
    await w.ingest.scanAll();
    expect(modeOf(w.db)).toBe('enabled');
    pollutionRule(false);
    await w.ingest.scanPaths([w.path], { force: true });
    expect(modeOf(w.db)).toBe('enabled');
  });

  it('reads the rule at each run and does not pollute again for calls already ingested', async () => {
    writeFileSync(w.path, fileOf([sessionMeta(), userMessage('q'), webSearchCall()]));
    await w.ingest.scanAll();
    expect(modeOf(w.db)).toBe('enabled');
    // Turned on later: only calls made from then on count.
    pollutionRule(true);
    await w.ingest.scanPaths([w.path], { force: true });
    expect(modeOf(w.db)).toBe('enabled');
    appendFileSync(w.path, fileOf([webSearchCall()]));
    await w.ingest.scanPaths([w.path]);
    expect(modeOf(w.db)).toBe('polluted');
  });

  it('keeps a DB-only disabled or polluted mode unless the rollout states a newer memory_mode (seed Q3)', async () => {
    writeFileSync(w.path, fileOf([sessionMeta({ memory_mode: 'enabled' }), userMessage('q')]));
    await w.ingest.scanAll();
    expect(modeOf(w.db)).toBe('enabled');
    const setMode = (mode: string): void => {
      w.db.prepare('UPDATE threads SET memory_mode = ? WHERE id = ?').run(mode, THREAD_ID);
    };

    setMode('disabled');
    appendFileSync(w.path, fileOf([userMessage('more')]));
    await w.ingest.scanPaths([w.path]);
    expect(modeOf(w.db)).toBe('disabled');
    await w.ingest.scanPaths([w.path], { force: true });
    expect(modeOf(w.db)).toBe('disabled');

    setMode('polluted');
    await w.ingest.scanPaths([w.path], { force: true });
    expect(modeOf(w.db)).toBe('polluted');

    // Codex appends a fresh session_meta when the thread is resumed: its value is the current one.
    appendFileSync(w.path, fileOf([sessionMeta({ memory_mode: 'enabled' }), userMessage('resumed')]));
    await w.ingest.scanPaths([w.path]);
    expect(modeOf(w.db)).toBe('enabled');
  });

  it('sets the rollout memory_mode on a new thread', async () => {
    writeFileSync(w.path, fileOf([sessionMeta({ memory_mode: 'disabled' }), userMessage('q')]));
    await w.ingest.scanAll();
    expect(modeOf(w.db)).toBe('disabled');
  });
});
