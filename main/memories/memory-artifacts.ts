import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { formatRfc3339, memoryFileStem, parseThreadId, trimRust } from './memory-stem.ts';

/**
 * The files phase 2 writes under the memory root before the consolidation agent runs (seed §5.12 step 5,
 * §5.13): one `rollout_summaries/<stem>.md` per artifact and `raw_memories.md`. The memory root is Codex's
 * (and our) data, so every file is written atomically (temp file in the same folder, then rename).
 */

export const ROLLOUT_SUMMARIES_DIR = 'rollout_summaries';
export const RAW_MEMORIES_FILE = 'raw_memories.md';
/** Written by the consolidation agent; removed when the artifact set becomes empty. */
export const MEMORY_FILE = 'MEMORY.md';
export const MEMORY_SUMMARY_FILE = 'memory_summary.md';
export const SKILLS_DIR = 'skills';

/** One stage-1 output joined to its thread, as the phase-2 selection (§5.11) returns it. */
export interface MemoryArtifact {
  threadId: string;
  /** Epoch seconds of the thread snapshot the output was extracted from. */
  sourceUpdatedAt: number;
  rawMemory: string;
  rolloutSummary: string;
  rolloutSlug: string | null;
  /** `threads.rollout_path`, `''` when the thread row has none. */
  rolloutPath: string;
  /** `threads.cwd`, `''` when the thread row has none. */
  cwd: string;
  gitBranch: string | null;
}

/** A file or folder the sync could not delete; the sync carries on (Codex only logs these). */
export interface ArtifactFailure {
  path: string;
  message: string;
}

export interface SyncRolloutSummariesResult {
  /** Stems written, in artifact order. */
  written: string[];
  /** Stale `rollout_summaries/*.md` file names deleted. */
  deleted: string[];
  /** Stale summaries that could not be deleted. */
  failures: ArtifactFailure[];
}

export function artifactStem(artifact: MemoryArtifact): string {
  return memoryFileStem(artifact.threadId, artifact.sourceUpdatedAt, artifact.rolloutSlug);
}

/** The id as Codex prints a `ThreadId` (lowercase hyphenated); a non-UUID id is printed as stored. */
function displayThreadId(id: string): string {
  return parseThreadId(id) ?? id;
}

/**
 * §5.12 step 5 artifact set: every selected output in rank order, then each previously selected output
 * whose file stem is not already present (removed threads stay on disk so the agent can forget them).
 */
export function buildArtifactSet(
  selected: readonly MemoryArtifact[],
  previousSelected: readonly MemoryArtifact[],
): MemoryArtifact[] {
  const stems = new Set(selected.map(artifactStem));
  const artifacts = [...selected];
  for (const previous of previousSelected) {
    const stem = artifactStem(previous);
    if (stems.has(stem)) continue;
    stems.add(stem);
    artifacts.push(previous);
  }
  return artifacts;
}

/** §5.13 `rollout_summaries/<stem>.md` body, byte for byte (the summary verbatim, one trailing newline). */
export function renderRolloutSummary(artifact: MemoryArtifact): string {
  let body = `thread_id: ${displayThreadId(artifact.threadId)}\n`;
  body += `updated_at: ${formatRfc3339(artifact.sourceUpdatedAt)}\n`;
  body += `rollout_path: ${artifact.rolloutPath}\n`;
  body += `cwd: ${artifact.cwd}\n`;
  if (artifact.gitBranch !== null) body += `git_branch: ${artifact.gitBranch}\n`;
  return `${body}\n${artifact.rolloutSummary}\n`;
}

/** §5.13 `raw_memories.md`, byte for byte, entries in artifact order. */
export function renderRawMemories(artifacts: readonly MemoryArtifact[]): string {
  let body = '# Raw Memories\n\n';
  if (artifacts.length === 0) return `${body}No raw memories yet.\n`;
  body += 'Merged stage-1 raw memories (latest first):\n\n';
  for (const artifact of artifacts) {
    body += `## Thread \`${displayThreadId(artifact.threadId)}\`\n`;
    body += `updated_at: ${formatRfc3339(artifact.sourceUpdatedAt)}\n`;
    body += `cwd: ${artifact.cwd}\n`;
    body += `rollout_path: ${artifact.rolloutPath}\n`;
    body += `rollout_summary_file: ${artifactStem(artifact)}.md\n\n`;
    body += `${trimRust(artifact.rawMemory)}\n\n`;
  }
  return body;
}

/** Temp file in the target's folder (never `*.md`, so a concurrent sync never takes it for a summary), then rename. */
async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    await writeFile(tmp, data, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

const isNotFound = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** Codex's `ensure_layout`: the root and `rollout_summaries/`. */
async function ensureLayout(root: string): Promise<void> {
  await mkdir(join(root, ROLLOUT_SUMMARIES_DIR), { recursive: true });
}

/**
 * §5.12 step 5 "sync `rollout_summaries/`": delete every `*.md` there whose stem is not in the artifact set
 * (failures collected, not thrown; other names are left alone), write one summary per artifact, and when the
 * set is empty also delete `MEMORY.md`, `memory_summary.md` and `skills/` (missing ones are fine). Throws only
 * when the folder cannot be created or read, a summary cannot be written, or one of those three cannot be
 * deleted — the caller then fails the job (`failed_sync_artifacts`).
 */
export async function syncRolloutSummaries(
  root: string,
  artifacts: readonly MemoryArtifact[],
): Promise<SyncRolloutSummariesResult> {
  await ensureLayout(root);
  const dir = join(root, ROLLOUT_SUMMARIES_DIR);
  const keep = new Set(artifacts.map(artifactStem));
  const deleted: string[] = [];
  const failures: ArtifactFailure[] = [];

  for (const name of await readdir(dir)) {
    if (!name.endsWith('.md') || keep.has(name.slice(0, -'.md'.length))) continue;
    try {
      await unlink(join(dir, name));
      deleted.push(name);
    } catch (err) {
      if (!isNotFound(err)) failures.push({ path: join(dir, name), message: (err as Error).message });
    }
  }

  const written: string[] = [];
  for (const artifact of artifacts) {
    const stem = artifactStem(artifact);
    await writeFileAtomic(join(dir, `${stem}.md`), renderRolloutSummary(artifact));
    written.push(stem);
  }

  if (artifacts.length === 0) {
    for (const name of [MEMORY_FILE, MEMORY_SUMMARY_FILE]) {
      await unlink(join(root, name)).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    }
    await rm(join(root, SKILLS_DIR), { recursive: true, force: true });
  }
  return { written, deleted, failures };
}

/** §5.12 step 5 "rebuild `raw_memories.md`" (creates the layout first, like Codex). */
export async function rebuildRawMemories(root: string, artifacts: readonly MemoryArtifact[]): Promise<void> {
  await ensureLayout(root);
  await writeFileAtomic(join(root, RAW_MEMORIES_FILE), renderRawMemories(artifacts));
}
