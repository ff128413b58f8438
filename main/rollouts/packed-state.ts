import type { ExtractResult, FoldState, ThreadMeta } from './types.ts';

/**
 * FoldState as it is stored per file and shipped between threads. The thread's `meta` is exactly the
 * threads row and the tools are in thread_dynamic_tools, so neither is repeated: a full state averages
 * ~2.7 KB per file (long first prompts reach tens of KB) and writing it was most of a backfill's
 * SQLite cost. On resume, `meta` is rebuilt from the row.
 */
export interface PackedFoldState extends Omit<FoldState, 'meta' | 'dynamicTools'> {
  hasMeta: boolean;
}

export type PackedExtractResult = Omit<ExtractResult, 'state'> & { state: PackedFoldState };

export function packFoldState(state: FoldState): PackedFoldState {
  const { meta, dynamicTools: _tools, ...rest } = state;
  return { ...rest, hasMeta: meta !== null };
}

export function packResult(result: ExtractResult): PackedExtractResult {
  return { ...result, state: packFoldState(result.state) };
}

/** Null when the state needs a row that is not there (or belongs to another file): re-read in full. */
export function unpackFoldState(packed: PackedFoldState, row: ThreadMeta | null): FoldState | null {
  const { hasMeta, ...rest } = packed;
  if (hasMeta && row === null) return null;
  // Tools are taken from the first session_meta only, which a resumed state has already passed.
  return { ...rest, meta: hasMeta ? row : null, dynamicTools: null };
}
