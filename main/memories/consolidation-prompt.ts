import { artifactStem, type MemoryArtifact } from './memory-artifacts.ts';
import { memoryFileStem } from './memory-stem.ts';
import type { Phase2InputSelection } from './phase2-selection.ts';

/**
 * Seed §5.12 diff block, exact shape: the counts, the current inputs tagged added/retained, and the
 * removed ones, each with its rollout summary file.
 */
export function renderDiffBlock(s: Phase2InputSelection): string {
  const retained = new Set(s.retainedThreadIds);
  const file = (a: MemoryArtifact): string => `rollout_summaries/${artifactStem(a)}.md`;
  const current = s.selected.map(
    (a) =>
      `- [${retained.has(a.threadId) ? 'retained' : 'added'}] thread_id=${a.threadId}, rollout_summary_file=${file(a)}`,
  );
  const removed = s.removed.map(
    (r) =>
      `- thread_id=${r.threadId}, rollout_summary_file=rollout_summaries/${memoryFileStem(r.threadId, r.sourceUpdatedAt, r.rolloutSlug)}.md`,
  );
  return [
    `- selected inputs this run: ${s.selected.length}`,
    `- newly added since the last successful Phase 2 run: ${s.addedCount}`,
    `- retained from the last successful Phase 2 run: ${s.retainedThreadIds.length}`,
    `- removed from the last successful Phase 2 run: ${s.removed.length}`,
    '',
    'Current selected Phase 1 inputs:',
    ...(current.length > 0 ? current : ['- none']),
    '',
    'Removed from the last successful Phase 2 selection:',
    ...(removed.length > 0 ? removed : ['- none']),
  ].join('\n');
}

/** The consolidation prompt: our wording of the seed's §5.12 summary, with the memory root and the diff. */
export function consolidationPrompt(memoryRoot: string, s: Phase2InputSelection): string {
  const mode = s.retainedThreadIds.length === 0 && s.removed.length === 0 ? 'INIT' : 'INCREMENTAL UPDATE';
  return `# Consolidate memories

You maintain the memory folder at ${memoryRoot}. Work only inside it. Never open raw session rollouts.

Folder layout:
- memory_summary.md: always loaded into future prompts; keep it short (User Profile, General Tips, What's in Memory).
- MEMORY.md: the searchable handbook. One "# Task Group: <name>" block per group; for each task a
  "### rollout_summary_files" list whose entries carry cwd=…, rollout_path=…, updated_at=…, thread_id=…;
  then "### keywords" and "### learnings"; general tips at the end.
- raw_memories.md: this run's phase-1 inputs, one "## Thread \`<id>\`" section each (temporary input).
- rollout_summaries/*.md: one recap per input thread.
- skills/<name>/SKILL.md: reusable procedures, when a procedure recurs.

Mode: ${mode}. ${mode === 'INIT' ? 'Create MEMORY.md and memory_summary.md from the inputs.' : 'Update MEMORY.md and memory_summary.md in place.'}

Diff-based forgetting:
- For each [added] thread, read its section in raw_memories.md (and its summary file if needed) and integrate it.
- For each removed thread, delete only what that thread alone supports (find it by thread_id= in the
  rollout_summary_files lists of MEMORY.md, else by its summary file name); keep what surviving threads share;
  then clean memory_summary.md.

${renderDiffBlock(s)}
`;
}
