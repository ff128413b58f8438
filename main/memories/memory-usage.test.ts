import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../state/connection.ts';
import { openStateDb } from '../state/state-db.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import { buildArtifactSet, type MemoryArtifact } from './memory-artifacts.ts';
import { extractCitationBlocks, extractCitedThreadIds, recordStage1OutputUsage } from './memory-usage.ts';
import { getPhase2InputSelection } from './phase2-selection.ts';

const A = '0194f5a6-89ab-7cde-8123-456789abcd0a';
const B = '0194f5a6-89ab-7cde-8123-456789abcd0b';
const C = '0194f5a6-89ab-7cde-8123-456789abcd0c';
const NOW = 1_772_400_000;

const citation = (ids: string, tag = 'thread_ids'): string =>
  `<oai-mem-citation>\n<citation_entries>\nMEMORY.md:1-2|note=[login fix]\n</citation_entries>\n<${tag}>\n${ids}\n</${tag}>\n</oai-mem-citation>`;

describe('extractCitedThreadIds (seed §5.14)', () => {
  it('takes the valid ids of the <thread_ids> section and skips invalid lines (§10 vector 10)', () => {
    const text = `Use the redirect wait.\n\n${citation(`${A}\nnot-a-uuid\n${B}`)}`;
    expect(extractCitedThreadIds(text)).toEqual([A, B]);
  });

  it('reads the legacy <rollout_ids> section', () => {
    expect(extractCitedThreadIds(citation(A, 'rollout_ids'))).toEqual([A]);
  });

  it('prefers <thread_ids> over <rollout_ids> in the same block, wherever they are', () => {
    const block = `<oai-mem-citation><rollout_ids>\n${A}\n</rollout_ids><thread_ids>\n${B}\n</thread_ids></oai-mem-citation>`;
    expect(extractCitedThreadIds(block)).toEqual([B]);
  });

  it('uses only the first section of a kind in a block', () => {
    const block = `<oai-mem-citation><thread_ids>${A}</thread_ids><thread_ids>${B}</thread_ids></oai-mem-citation>`;
    expect(extractCitedThreadIds(block)).toEqual([A]);
  });

  it('collects every block in order and keeps duplicates', () => {
    const text = `one ${citation(`${A}\n${B}`)} two ${citation(`${A}\n${A}`, 'rollout_ids')}`;
    expect(extractCitedThreadIds(text)).toEqual([A, B, A, A]);
  });

  it('trims lines, skips blank ones and stores ids in lowercase hyphenated form', () => {
    const upper = B.toUpperCase();
    expect(extractCitedThreadIds(citation(`   ${A}\t\r\n\n  \n${upper}`))).toEqual([A, B]);
    expect(extractCitedThreadIds(citation(B.replaceAll('-', '')))).toEqual([B]);
  });

  it('ignores id sections outside citation blocks and blocks without ids', () => {
    expect(extractCitedThreadIds(`<thread_ids>\n${A}\n</thread_ids>`)).toEqual([]);
    expect(
      extractCitedThreadIds('<oai-mem-citation><citation_entries>x</citation_entries></oai-mem-citation>'),
    ).toEqual([]);
    expect(extractCitedThreadIds('no citation at all')).toEqual([]);
  });

  it('closes a block left open at the end of the text, and does not nest blocks', () => {
    expect(
      extractCitationBlocks('a<oai-mem-citation>x<oai-mem-citation>y</oai-mem-citation>b<oai-mem-citation>z'),
    ).toEqual(['x<oai-mem-citation>y', 'z']);
    expect(extractCitedThreadIds(`<oai-mem-citation>\n<thread_ids>\n${A}\n</thread_ids>`)).toEqual([A]);
  });

  it('skips a section whose closing tag is missing', () => {
    expect(extractCitedThreadIds(`<oai-mem-citation><thread_ids>\n${A}\n</oai-mem-citation>`)).toEqual([]);
  });
});

describe('recordStage1OutputUsage (seed §5.14)', () => {
  let db: Db;
  let cleanup: () => void;
  beforeEach(() => {
    const t = makeTempDir();
    cleanup = t.cleanup;
    db = openStateDb(t.dir);
    const threads = createThreadRepo(db);
    const insert = db.prepare(
      `INSERT INTO stage1_outputs (thread_id, source_updated_at, raw_memory, rollout_summary, generated_at, usage_count, last_usage)
       VALUES (?, ?, ?, 'summary', ?, ?, ?)`,
    );
    for (const [id, usage, lastUsage] of [
      [A, null, null],
      [B, 3, 1_772_300_000],
      [C, null, null],
    ] as const) {
      threads.upsert({
        meta: makeMeta({ id, updatedAt: 1_772_359_200 }),
        memoryMode: 'enabled',
        dynamicTools: [],
      });
      insert.run(id, 1_772_359_200, `memory of ${id}`, 1_772_359_300, usage, lastUsage);
    }
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  const usage = (id: string): { usage_count: number | null; last_usage: number | null } | undefined =>
    db.prepare('SELECT usage_count, last_usage FROM stage1_outputs WHERE thread_id = ?').get(id) as
      { usage_count: number | null; last_usage: number | null } | undefined;

  it('adds one use and sets last_usage = now for each cited thread (§10 vector 10)', () => {
    const ids = extractCitedThreadIds(citation(`${A}\nnot-a-uuid\n${B}`));
    expect(recordStage1OutputUsage(db, ids, NOW)).toBe(2);
    expect(usage(A)).toEqual({ usage_count: 1, last_usage: NOW });
    expect(usage(B)).toEqual({ usage_count: 4, last_usage: NOW });
    expect(usage(C)).toEqual({ usage_count: null, last_usage: null });
  });

  it('counts a duplicate id twice', () => {
    expect(recordStage1OutputUsage(db, [A, A, B, A], NOW)).toBe(4);
    expect(usage(A)).toEqual({ usage_count: 3, last_usage: NOW });
    expect(usage(B)).toEqual({ usage_count: 4, last_usage: NOW });
  });

  it('ignores ids without a stage-1 output and creates no row', () => {
    const missing = '0194f5a6-89ab-7cde-8123-456789abcdff';
    expect(recordStage1OutputUsage(db, [missing, C], NOW)).toBe(1);
    expect(usage(missing)).toBeUndefined();
    expect(usage(C)).toEqual({ usage_count: 1, last_usage: NOW });
    expect(recordStage1OutputUsage(db, [], NOW)).toBe(0);
  });

  it('makes phase 2 rank the cited thread first (§10 vector 10, §5.11 order)', () => {
    db.prepare('UPDATE stage1_outputs SET usage_count = NULL, last_usage = NULL').run();
    const before = getPhase2InputSelection(db, 10, 30, NOW).selected.map((o) => o.threadId);
    expect(before).toEqual([C, B, A]);
    recordStage1OutputUsage(db, extractCitedThreadIds(citation(A)), NOW);
    const selection = getPhase2InputSelection(db, 10, 30, NOW);
    expect(selection.selected.map((o) => o.threadId)).toEqual([A, C, B]);
    // The selection's items are the artifact type phase 2 writes.
    const artifacts: MemoryArtifact[] = buildArtifactSet(selection.selected, selection.previousSelected);
    expect(artifacts.map((o) => o.threadId)).toEqual([A, C, B]);
  });
});
