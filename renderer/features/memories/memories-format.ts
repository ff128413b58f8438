import type { MemoriesStatus, MemoryJob, PipelineRun } from '../../../preload/contract/index.ts';
import { relativeTime } from '../threads/thread-format.ts';

export type Phase = NonNullable<MemoriesStatus['phase']>;

const PHASE_LABELS: Record<Phase, string> = {
  prune: 'pruning',
  phase1: 'phase 1 · extracting',
  phase2: 'phase 2 · consolidating',
};

export type PipelineState = 'off' | 'idle' | 'running';

export function pipelineState(s: Pick<MemoriesStatus, 'running' | 'settings'>): PipelineState {
  if (s.running) return 'running';
  return s.settings.enabled ? 'idle' : 'off';
}

/** "Off", "Idle", "Running phase 1 · extracting". */
export function pipelineLabel(s: Pick<MemoriesStatus, 'running' | 'settings' | 'phase'>): string {
  const state = pipelineState(s);
  if (state === 'running') return s.phase ? `Running ${PHASE_LABELS[s.phase]}` : 'Running';
  return state === 'off' ? 'Off' : 'Idle';
}

/** Why "Run now" cannot start, or null when it can. */
export function runBlockedReason(s: Pick<MemoriesStatus, 'running' | 'settings'>): string | null {
  if (s.running) return 'The pipeline is already running';
  if (!s.settings.enabled) return 'The pipeline is off: enable it in the Settings tab first';
  return null;
}

/** Epoch ms → seconds (the state DB and thread times are seconds; run and file times are ms). */
export const msToSeconds = (ms: number): number => Math.floor(ms / 1000);

/** Past: "5m ago" (as elsewhere); future: "in 5m", "in 3h", "in 2d". */
export function relativeWhen(epochSeconds: number, nowMs: number): string {
  const ahead = Math.round(epochSeconds - nowMs / 1000);
  if (ahead < 45) return relativeTime(epochSeconds, nowMs);
  const minutes = Math.round(ahead / 60);
  if (minutes < 60) return `in ${Math.max(1, minutes)}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours}h`;
  return `in ${Math.round(hours / 24)}d`;
}

/** 900 ms → "0.9 s", 75 s → "1m 15s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m}m` : `${m}m ${s % 60}s`;
}

/** Phase-1 results in a few words: "3 claimed · 2 succeeded · 1 no output · 0 failed". */
export function phase1Text(p: NonNullable<PipelineRun['phase1']>): string {
  return `${p.claimed} claimed · ${p.succeeded} succeeded · ${p.noOutput} no output · ${p.failed} failed`;
}

/** Phase-2 status words from the runner (`succeeded_no_input`, `skipped_not_dirty`…) as a reader says them. */
export function phase2StatusLabel(status: string): string {
  const known: Record<string, string> = {
    succeeded: 'consolidated',
    succeeded_no_input: 'nothing to consolidate',
    skipped_not_dirty: 'skipped (nothing changed)',
    skipped_running: 'skipped (already running)',
    failed_claim: 'could not claim the job',
  };
  return known[status] ?? status.replace(/_/g, ' ');
}

export function phase2Text(p: NonNullable<PipelineRun['phase2']>): string {
  const parts = [phase2StatusLabel(p.status)];
  if (p.selected > 0 || p.removed > 0) parts.push(`${p.selected} selected`, `${p.removed} removed`);
  return parts.join(' · ');
}

export type Tone = 'ok' | 'warn' | 'danger' | 'accent' | 'muted';

/** Job status → badge colour. */
export function jobStatusTone(status: string): Tone {
  if (status === 'done') return 'ok';
  if (status === 'running') return 'accent';
  if (status === 'error') return 'danger';
  if (status === 'pending') return 'warn';
  return 'muted';
}

export function jobKindLabel(kind: MemoryJob['kind']): string {
  return kind === 'memory_stage1' ? 'Phase 1 · extract' : 'Phase 2 · consolidate';
}

/** "1 output", "2 outputs". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
