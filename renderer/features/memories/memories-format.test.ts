import { describe, expect, it } from 'vitest';
import type { MemoriesSettingsView } from '../../../preload/contract/index.ts';
import {
  formatDuration,
  phase1Text,
  phase2Text,
  pipelineLabel,
  relativeWhen,
  runBlockedReason,
} from './memories-format.ts';
import { parseMemoriesView, serializeMemoriesView } from './memories-view.ts';

const on = { enabled: true } as MemoriesSettingsView;
const off = { enabled: false } as MemoriesSettingsView;

describe('pipeline state', () => {
  it('labels off, idle and each running phase, and says why a run cannot start', () => {
    expect(pipelineLabel({ running: false, settings: off, phase: null })).toBe('Off');
    expect(pipelineLabel({ running: false, settings: on, phase: null })).toBe('Idle');
    expect(pipelineLabel({ running: true, settings: on, phase: 'phase1' })).toBe(
      'Running phase 1 · extracting',
    );
    expect(pipelineLabel({ running: true, settings: on, phase: 'phase2' })).toBe(
      'Running phase 2 · consolidating',
    );
    // A run keeps going after the pipeline is switched off: it still shows as running.
    expect(pipelineLabel({ running: true, settings: off, phase: 'prune' })).toBe('Running pruning');
    expect(runBlockedReason({ running: false, settings: off })).toMatch(/off/);
    expect(runBlockedReason({ running: true, settings: on })).toMatch(/already running/);
    expect(runBlockedReason({ running: false, settings: on })).toBeNull();
  });

  it('summarises a run', () => {
    expect(phase1Text({ claimed: 3, succeeded: 2, noOutput: 1, failed: 0 })).toBe(
      '3 claimed · 2 succeeded · 1 no output · 0 failed',
    );
    expect(phase2Text({ status: 'succeeded', selected: 2, removed: 1, error: null })).toBe(
      'consolidated · 2 selected · 1 removed',
    );
    expect(phase2Text({ status: 'skipped_not_dirty', selected: 0, removed: 0, error: null })).toBe(
      'skipped (nothing changed)',
    );
    expect(phase2Text({ status: 'failed_agent', selected: 0, removed: 0, error: 'x' })).toBe('failed agent');
    expect(formatDuration(1_450)).toBe('1.4 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(75_000)).toBe('1m 15s');
  });

  it('says past times as elsewhere and future ones (leases, retries, the next run) as "in …"', () => {
    const now = 1_800_000_000_000;
    const s = now / 1000;
    expect(relativeWhen(s - 300, now)).toBe('5m ago');
    expect(relativeWhen(s + 10, now)).toBe('just now');
    expect(relativeWhen(s + 300, now)).toBe('in 5m');
    expect(relativeWhen(s + 3 * 3600, now)).toBe('in 3h');
    expect(relativeWhen(s + 72 * 3600, now)).toBe('in 3d');
  });
});

describe('the page URL', () => {
  const view = (q: string) => parseMemoriesView(new URLSearchParams(q));

  it('opens Files by default or for a file link, Outputs for a thread link, any tab by name', () => {
    expect(view('')).toEqual({ tab: 'files', file: null, thread: null });
    expect(view('file=rollout_summaries%2Fa.md')).toEqual({
      tab: 'files',
      file: 'rollout_summaries/a.md',
      thread: null,
    });
    expect(view('thread=abc')).toMatchObject({ tab: 'outputs', thread: 'abc' });
    expect(view('tab=jobs&file=MEMORY.md')).toMatchObject({ tab: 'jobs', file: 'MEMORY.md' });
    expect(view('tab=nonsense')).toMatchObject({ tab: 'files' });
  });

  it('writes only what differs from the default, and reads back the same view', () => {
    expect(serializeMemoriesView({ tab: 'files', file: null, thread: null }).toString()).toBe('');
    const v = { tab: 'outputs', file: 'skills/a b/SKILL.md', thread: 't1' } as const;
    const q = serializeMemoriesView(v).toString();
    expect(q).toBe('tab=outputs&file=skills%2Fa+b%2FSKILL.md&thread=t1');
    expect(parseMemoriesView(new URLSearchParams(q))).toEqual(v);
  });
});
