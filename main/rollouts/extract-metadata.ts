import { basename } from 'node:path';
import { noYield } from '../core/time-slice.ts';
import type { Slicer } from '../core/time-slice.ts';
import { scanRolloutLines } from './read-rollout.ts';
import type { ScanResult } from './read-rollout.ts';
import { RolloutFolder } from './rollout-folder.ts';
import { parseRolloutFileName } from './rollout-name.ts';
import { newFoldState, newThreadMeta, toSeconds } from './thread-fold.ts';
import type { FoldContext } from './thread-fold.ts';
import type { ExtractOptions, ExtractResult, FoldState, ThreadMeta } from './types.ts';

/** Seed §3.4/§3.5 plus rollout-format §10, one streaming pass; see ExtractOptions for resuming. */
export async function extractRollout(
  path: string,
  opts: ExtractOptions,
  slicer: Slicer = noYield,
): Promise<ExtractResult> {
  const ctx: FoldContext = {
    rolloutPath: path,
    defaultProvider: opts.defaultProvider,
    nameInfo: parseRolloutFileName(basename(path)),
  };
  const resume = opts.resume;
  let folder = new RolloutFolder(resume ? structuredClone(resume.state) : newFoldState(), ctx);
  let scan = await scanRolloutLines(path, resume?.offset ?? 0, folder.sink, slicer);
  if (resume && scan.end < resume.offset) {
    // Shorter than the saved offset: the file was replaced, so the saved state describes other bytes.
    folder = new RolloutFolder(newFoldState(), ctx);
    scan = await scanRolloutLines(path, 0, folder.sink, slicer);
  }
  folder.flush();
  return finish(folder, scan, opts, ctx);
}

function finish(
  folder: RolloutFolder,
  scan: ScanResult,
  opts: ExtractOptions,
  ctx: FoldContext,
): ExtractResult {
  const { state } = folder;
  const final = folder.tail ?? state;
  if (state.meta) touchMeta(state.meta, state, scan.mtimeMs, opts, ctx);
  if (folder.tail?.meta) touchMeta(folder.tail.meta, folder.tail, scan.mtimeMs, opts, ctx);
  const base = {
    memoryMode: final.memoryMode,
    dynamicTools: final.dynamicTools,
    offset: scan.offset,
    state,
    parseErrors: final.parseErrors,
  };
  if (final.lines === 0) return { ...base, meta: null, problem: 'empty session file' };
  let meta: ThreadMeta | null = final.meta;
  if (meta === null && ctx.nameInfo !== null) {
    meta = newThreadMeta(ctx.nameInfo.id, ctx.nameInfo.timestamp, ctx);
    touchMeta(meta, final, scan.mtimeMs, opts, ctx);
  }
  if (meta === null || meta.id === '')
    return { ...base, meta: null, problem: 'rollout missing metadata builder' };
  return { ...base, meta: { ...meta }, problem: null };
}

/** Fields that depend on the whole file rather than on one line. */
function touchMeta(
  meta: ThreadMeta,
  s: FoldState,
  mtimeMs: number,
  opts: ExtractOptions,
  ctx: FoldContext,
): void {
  meta.rolloutPath = ctx.rolloutPath;
  if (meta.modelProvider === '') meta.modelProvider = opts.defaultProvider;
  // Real files are often copies whose mtime means nothing; the content's own clock is better when it has one.
  const updated = s.lastLineMs !== null ? toSeconds(s.lastLineMs) : toSeconds(mtimeMs);
  meta.updatedAt = Math.max(meta.createdAt, updated);
  meta.archived = opts.archived;
  meta.archivedAt = opts.archived ? meta.updatedAt : null;
}
