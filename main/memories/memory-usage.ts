import { perConnection, type Db } from '../state/connection.ts';
import { parseThreadId, trimRust } from './memory-stem.ts';

/**
 * Seed §5.14 usage recording: the thread ids an assistant answer cites in its `<oai-mem-citation>` blocks
 * get `usage_count + 1` and `last_usage = now` on their stage-1 output, which phase 2 ranks by (§5.11).
 */

const CITATION_OPEN = '<oai-mem-citation>';
const CITATION_CLOSE = '</oai-mem-citation>';
/** Current section first, then the legacy one; the first of them present in a block is used. */
const ID_SECTIONS: readonly (readonly [string, string])[] = [
  ['<thread_ids>', '</thread_ids>'],
  ['<rollout_ids>', '</rollout_ids>'],
];

/**
 * The contents of every `<oai-mem-citation>` block, as Codex's citation stream parser extracts them: literal,
 * non-nested tags; a block left open runs to the end of the text.
 */
export function extractCitationBlocks(text: string): string[] {
  const blocks: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf(CITATION_OPEN, from);
    if (open < 0) return blocks;
    const start = open + CITATION_OPEN.length;
    const close = text.indexOf(CITATION_CLOSE, start);
    if (close < 0) {
      blocks.push(text.slice(start));
      return blocks;
    }
    blocks.push(text.slice(start, close));
    from = close + CITATION_CLOSE.length;
  }
}

/** The body of the first `<open>…<close>` section, or `null`. */
function section(block: string, open: string, close: string): string | null {
  const start = block.indexOf(open);
  if (start < 0) return null;
  const end = block.indexOf(close, start + open.length);
  return end < 0 ? null : block.slice(start + open.length, end);
}

/**
 * Every thread id cited in `text`: per citation block, its first `<thread_ids>` section (else the legacy
 * `<rollout_ids>` one), each trimmed non-empty line that parses as a thread id, in the lowercase hyphenated
 * form Codex stores. Invalid lines are skipped; duplicates are kept (each one counts as a use).
 */
export function extractCitedThreadIds(text: string): string[] {
  const ids: string[] = [];
  for (const block of extractCitationBlocks(text)) {
    let body: string | null = null;
    for (const [open, close] of ID_SECTIONS) {
      body = section(block, open, close);
      if (body !== null) break;
    }
    if (body === null) continue;
    for (const line of body.split('\n')) {
      const trimmed = trimRust(line);
      if (trimmed === '') continue;
      const id = parseThreadId(trimmed);
      if (id !== null) ids.push(id);
    }
  }
  return ids;
}

const usageStatement = perConnection((db) =>
  db.prepare<[number, string]>(
    // max(): an older rollout ingested after a newer one must not move last_usage back (live, `now` is newest).
    'UPDATE stage1_outputs SET usage_count = COALESCE(usage_count, 0) + 1, last_usage = max(COALESCE(last_usage, 0), ?) WHERE thread_id = ?',
  ),
);

/**
 * `record_stage1_output_usage(ids)` (§5.14), in one transaction: for each id, `usage_count = COALESCE(usage_count,
 * 0) + 1` and `last_usage = now` (epoch seconds). Ids without a stage-1 output are ignored; a duplicate id counts
 * twice. Returns the number of row updates made.
 */
export function recordStage1OutputUsage(db: Db, threadIds: readonly string[], now: number): number {
  if (threadIds.length === 0) return 0;
  const stmt = usageStatement(db);
  return db.transaction(() => {
    let updated = 0;
    for (const id of threadIds) updated += stmt.run(now, id).changes;
    return updated;
  })();
}
