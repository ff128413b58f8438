import type {
  MemoriesSettingsView,
  MemoriesStatus,
  MemoryFileEntry,
  MemoryJob,
  PipelineRun,
  Stage1OutputSummary,
} from '../../preload/contract/memories.ts';
import { DEFAULT_CONSOLIDATION_MODEL, DEFAULT_EXTRACT_MODEL } from '../settings/memories-settings.ts';
import { formatBytes } from './cli-format.ts';

/** `2026-03-01 10:00:00 UTC` from epoch milliseconds. */
export const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** `3 min ago`, `in 25 min`, `2 h ago`, `4 d ago` (whole units, rounded down). */
export function relative(ms: number, nowMs: number): string {
  const d = Math.abs(nowMs - ms) / 1000;
  const text =
    d < 60
      ? `${Math.floor(d)} s`
      : d < 3600
        ? `${Math.floor(d / 60)} min`
        : d < 86_400
          ? `${Math.floor(d / 3600)} h`
          : `${Math.floor(d / 86_400)} d`;
  return ms > nowMs ? `in ${text}` : `${text} ago`;
}

const when = (ms: number, nowMs: number): string => `${utc(ms)} (${relative(ms, nowMs)})`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const onOff = (b: boolean): string => (b ? 'on' : 'off');

export function providerText(p: MemoriesSettingsView['provider']): string {
  if (p.kind === 'codex-cli') return `codex-cli (runs \`${p.command} exec\` with your Codex login)`;
  const key = p.apiKeyEnv ? `key from $${p.apiKeyEnv}` : 'no key';
  return `${p.kind} ${p.baseUrl} (${key})`;
}

export function settingsText(s: MemoriesSettingsView): string[] {
  const model = (m: string | null, dflt: string): string => m ?? `${dflt} (default)`;
  return [
    `Provider: ${providerText(s.provider)}`,
    `Models: extract ${model(s.extract_model, DEFAULT_EXTRACT_MODEL)}, consolidation ${model(s.consolidation_model, DEFAULT_CONSOLIDATION_MODEL)}`,
    `Limits: ${s.max_rollouts_per_startup} threads per run, idle >= ${s.min_rollout_idle_hours} h, ` +
      `age <= ${s.max_rollout_age_days} d, ${s.max_raw_memories_for_consolidation} memories consolidated, ` +
      `unused memories kept ${s.max_unused_days} d`,
    `Flags: generate_memories ${onOff(s.generate_memories)}, use_memories ${onOff(s.use_memories)}, ` +
      `no_memories_if_mcp_or_web_search ${onOff(s.no_memories_if_mcp_or_web_search)}`,
  ];
}

export const ENABLE_HINT = 'npm run cli -- memories enable';

/** True when the run did not get through: stopped early, or phase 2 failed. */
export const runFailed = (r: PipelineRun): boolean =>
  r.error !== null || (r.phase2?.status.startsWith('failed') ?? false);

/** One line per part of a finished run. */
export function runText(r: PipelineRun): string[] {
  const took =
    r.finishedAt === null ? 'still running' : `took ${((r.finishedAt - r.startedAt) / 1000).toFixed(1)} s`;
  const lines = [`Pruned ${plural(r.pruned, 'unused memory', 'unused memories')}.`];
  const p1 = r.phase1;
  if (p1)
    lines.push(
      `Phase 1: ${plural(p1.claimed, 'thread')} claimed: ${p1.succeeded} extracted, ${p1.noOutput} with nothing to ` +
        `remember, ${p1.failed} failed.`,
    );
  const p2 = r.phase2;
  if (p2)
    lines.push(
      `Phase 2: ${p2.status.replaceAll('_', ' ')}: ${p2.selected} selected, ${p2.removed} removed` +
        `${p2.error ? `: ${p2.error}` : ''}.`,
    );
  if (r.error) lines.push(`Stopped: ${r.error}.`);
  lines.push(`${runFailed(r) ? 'Run failed' : 'Run finished'} (${took}).`);
  return lines;
}

/** The jobs' record of the latest work, for a process that has not run the pipeline itself (the CLI). */
function lastWorkText(jobs: readonly MemoryJob[], nowMs: number): string[] {
  const global = jobs.find((j) => j.kind === 'memory_consolidate_global');
  const stage1 = jobs.filter((j) => j.kind === 'memory_stage1' && j.finishedAt !== null);
  if (!global && stage1.length === 0) return ['Last run: never (no memory jobs yet)'];
  const latest = Math.max(...stage1.map((j) => j.finishedAt ?? 0));
  const lines: string[] = [];
  if (stage1.length > 0) lines.push(`Last extraction (phase 1): ${when(latest * 1000, nowMs)}`);
  if (global?.finishedAt != null)
    lines.push(
      `Last consolidation (phase 2): ${global.status}, ${when(global.finishedAt * 1000, nowMs)}` +
        `${global.lastError ? `: ${oneLine(global.lastError)}` : ''}`,
    );
  return lines;
}

/** `jobs` stands in for the last run report when this process has none (a CLI process starts without one). */
export function statusText(s: MemoriesStatus, nowMs: number, jobs: readonly MemoryJob[] = []): string {
  const lines = [
    s.settings.enabled
      ? 'Memories pipeline: enabled'
      : `Memories pipeline: disabled (turn it on with: ${ENABLE_HINT})`,
    ...settingsText(s.settings),
    `Memory root: ${s.memoryRoot}${s.rootExists ? '' : ' (not created yet)'}`,
  ];
  if (s.settingsProblem) lines.push(`Settings problem (defaults apply): ${s.settingsProblem}`);
  lines.push(s.running ? `Running now: ${s.phase ?? 'starting'}` : 'Running now: no');
  if (s.lastRun) {
    lines.push(`Last run: ${when(s.lastRun.startedAt, nowMs)}`);
    lines.push(...runText(s.lastRun).map((l) => `  ${l}`));
  } else lines.push(...lastWorkText(jobs, nowMs));
  if (s.nextRunAt !== null) lines.push(`Next scheduled run: ${when(s.nextRunAt, nowMs)}`);
  const c = s.counts;
  lines.push(
    `Outputs: ${c.outputs} (${c.selected} selected for phase 2); jobs: ${c.jobsRunning} running, ${c.jobsFailed} failed; ` +
      `threads: ${c.threadsEnabled} enabled, ${c.threadsDisabled} disabled, ${c.threadsPolluted} polluted`,
  );
  return `${lines.join('\n')}\n`;
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Columns padded to their widest cell; the last column is left ragged. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map(
      (r) =>
        `${r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

const secs = (s: number | null): string => (s === null ? '-' : utc(s * 1000).replace(' UTC', ''));

export function jobsText(jobs: readonly MemoryJob[]): string {
  if (jobs.length === 0) return 'No memory jobs yet (run the pipeline: npm run cli -- memories run).\n';
  return table([
    ['KIND', 'JOB', 'STATUS', 'RETRIES', 'FINISHED (UTC)', 'RETRY AT (UTC)', 'THREAD / LAST ERROR'],
    ...jobs.map((j) => [
      j.kind === 'memory_stage1' ? 'stage1' : 'global',
      j.jobKey,
      j.status,
      String(j.retryRemaining),
      secs(j.finishedAt),
      secs(j.retryAt),
      [j.threadTitle ? `"${clip(oneLine(j.threadTitle), 50)}"` : '', j.lastError ? oneLine(j.lastError) : '']
        .filter(Boolean)
        .join(' - ') || '-',
    ]),
  ]);
}

export function outputsText(outputs: readonly Stage1OutputSummary[]): string {
  if (outputs.length === 0)
    return 'No stage-1 outputs yet (run the pipeline: npm run cli -- memories run).\n';
  return table([
    ['THREAD', 'SELECTED', 'USED', 'LAST USED (UTC)', 'GENERATED (UTC)', 'SLUG / TITLE'],
    ...outputs.map((o) => [
      o.threadId,
      o.selectedForPhase2 ? 'yes' : 'no',
      String(o.usageCount ?? 0),
      secs(o.lastUsage),
      secs(o.generatedAt),
      [o.rolloutSlug, o.threadTitle ? `"${clip(oneLine(o.threadTitle), 50)}"` : null]
        .filter(Boolean)
        .join(' - ') || '-',
    ]),
  ]);
}

export function filesText(root: string, files: readonly MemoryFileEntry[]): string {
  if (files.length === 0) return `The memory root ${root} is empty.\n`;
  return `${root}\n${table([
    ['SIZE', 'MODIFIED (UTC)', 'PATH'],
    ...files.map((f) => [
      f.kind === 'dir' ? 'dir' : formatBytes(f.bytes),
      utc(f.modifiedAt).replace(' UTC', ''),
      f.kind === 'dir' ? `${f.path}/` : f.path,
    ]),
  ])}`;
}

/**
 * Stage-1 jobs that failed during the run: in error now and not in that same state before it (timestamps are
 * whole seconds, so a failure of the previous run in the same second must not count).
 */
export function failuresOf(before: readonly MemoryJob[], after: readonly MemoryJob[]): MemoryJob[] {
  const sig = (j: MemoryJob): string => `${j.status}:${j.finishedAt}:${j.retryRemaining}:${j.lastError}`;
  const was = new Map(before.filter((j) => j.kind === 'memory_stage1').map((j) => [j.jobKey, sig(j)]));
  return after.filter(
    (j) => j.kind === 'memory_stage1' && j.status === 'error' && was.get(j.jobKey) !== sig(j),
  );
}

export function failuresText(failed: readonly MemoryJob[]): string[] {
  if (failed.length === 0) return [];
  return [
    `${plural(failed.length, 'thread')} failed (retried automatically later):`,
    ...failed.map(
      (j) =>
        `  ${j.jobKey}${j.threadTitle ? ` "${clip(oneLine(j.threadTitle), 50)}"` : ''}: ${oneLine(j.lastError ?? 'unknown error')}` +
        `${j.retryRemaining > 0 && j.retryAt !== null ? ` (retry after ${secs(j.retryAt)} UTC)` : ' (no retries left)'}`,
    ),
  ];
}
