import { basename } from 'node:path';
import { noYield } from '../core/time-slice.ts';
import type { Slicer } from '../core/time-slice.ts';
import { isCompressedRollout, PlainRolloutReader, scanRolloutLines } from './read-rollout.ts';
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
  let from = resume?.offset ?? 0;
  let folder = new RolloutFolder(resume ? structuredClone(resume.state) : newFoldState(), ctx);
  for (;;) {
    let scan: ScanResult;
    if (isCompressedRollout(path)) {
      scan = await scanRolloutLines(path, from, folder.sink, slicer);
    } else {
      // Plain files are read block by block in this function itself: one async frame per file.
      const reader = new PlainRolloutReader(path, from);
      try {
        while (reader.next(folder)) {
          const pause = slicer.maybeYield();
          if (pause) await pause;
        }
        // The mtime is only read when no line carried a timestamp (legacy files): saves an fstat per file.
        const current = folder;
        scan = reader.finish(current, () => {
          current.flush();
          return (
            current.state.lastLineMs === null || (current.tail !== null && current.tail.lastLineMs === null)
          );
        });
      } finally {
        reader.close();
      }
    }
    if (from > 0 && scan.end < from) {
      // Shorter than the saved offset: the file was replaced, so the saved state describes other bytes.
      from = 0;
      folder = new RolloutFolder(newFoldState(), ctx);
      continue;
    }
    folder.flush();
    return finish(folder, scan, from, opts, ctx);
  }
}

function finish(
  folder: RolloutFolder,
  scan: ScanResult,
  readFrom: number,
  opts: ExtractOptions,
  ctx: FoldContext,
): ExtractResult {
  const { state } = folder;
  const final = folder.tail ?? state;
  if (state.meta) touchMeta(state.meta, state, scan.mtimeMs, opts, ctx);
  if (folder.tail?.meta) touchMeta(folder.tail.meta, folder.tail, scan.mtimeMs, opts, ctx);
  const base = {
    memoryMode: folder.memoryModeSeen ? final.memoryMode : null,
    memoryModeAtMs: folder.memoryModeSeen ? folder.memoryModeAtMs : null,
    dynamicTools: final.dynamicTools,
    offset: scan.offset,
    readFrom,
    memory: folder.signals,
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
