import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MemoriesStatus, MemoryJob } from '../../preload/contract/memories.ts';
import { runCli } from './cli.ts';
import { parseMemoriesArgs } from './cli-memories-args.ts';
import { failuresOf, failuresText, relative, runText, statusText, table } from './cli-memories-format.ts';
import { capture } from './cli-logs-test-support.ts';

const T = '0194f5a6-89ab-7cde-8123-456789abcde1';
const dirs = ['--codex-home', '/h', '--data-dir', '/d'];
const parse = (...argv: string[]) => parseMemoriesArgs([...argv, ...dirs]);

describe('memories arguments', () => {
  it('reads each action with its options', () => {
    expect(parse('status', '--json')).toEqual({
      command: 'memories',
      action: 'status',
      codexHome: '/h',
      dataDir: '/d',
      json: true,
    });
    expect(parse('outputs', '--limit', '20')).toMatchObject({ action: 'outputs', limit: 20, json: false });
    expect(parse('outputs')).toMatchObject({ limit: 500 });
    expect(parse('run', '--wait')).toMatchObject({ action: 'run' });
    expect(parse('enable')).toMatchObject({ action: 'set', patch: { enabled: true } });
    expect(parse('disable')).toMatchObject({ action: 'set', patch: { enabled: false } });
    expect(parse('clear', '--yes')).toMatchObject({ action: 'reset', yes: true });
    expect(parse('drop', '-y')).toMatchObject({ action: 'drop', yes: true });
    expect(parse('drop')).toMatchObject({ action: 'drop', yes: false });
    expect(parse('mode', T.toUpperCase(), 'disabled')).toMatchObject({ threadId: T, mode: 'disabled' });
    expect(parse('mode', T)).toMatchObject({ threadId: T, mode: null });
    expect(parse('cat', 'rollout_summaries/a.md')).toMatchObject({
      action: 'cat',
      path: 'rollout_summaries/a.md',
    });
  });

  it('set parses booleans, whole numbers, default, paths and several pairs into one patch', () => {
    expect(
      parse(
        'set',
        ...['use_memories', 'off', 'max_rollouts_per_startup', '500', 'min_rollout_idle_hours', 'default'],
        ...['extract_model', 'gpt-x', 'consolidation_model', 'default', 'memory_root', 'mem'],
      ),
    ).toMatchObject({
      action: 'set',
      patch: {
        use_memories: false,
        max_rollouts_per_startup: 500, // the service clamps
        min_rollout_idle_hours: 6,
        extract_model: 'gpt-x',
        consolidation_model: null,
        memory_root: resolve('mem'),
      },
    });
  });

  it('set --provider fills each kind from its defaults', () => {
    const provider = (...a: string[]) =>
      (parse('set', ...a) as { patch: { provider?: unknown } }).patch.provider;
    expect(provider('--provider', 'codex-cli')).toEqual({ kind: 'codex-cli', command: 'codex' });
    expect(provider('provider', 'codex-cli', '--command', '/opt/codex')).toEqual({
      kind: 'codex-cli',
      command: '/opt/codex',
    });
    expect(provider('--provider', 'openai')).toEqual({
      kind: 'openai',
      apiKeyEnv: 'OPENAI_API_KEY',
      baseUrl: 'https://api.openai.com/v1',
    });
    expect(provider('--provider', 'openai-compatible', '--base-url', 'http://127.0.0.1:11434/v1')).toEqual({
      kind: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKeyEnv: null,
    });
    expect(
      provider('--provider', 'openai-compatible', '--base-url', 'http://x/v1', '--api-key-env', 'MY_KEY'),
    ).toMatchObject({ apiKeyEnv: 'MY_KEY' });
  });

  it.each([
    [['memories'], /no action given/],
    [['memories', 'frobnicate'], /unknown action frobnicate/],
    [['memories', 'status', 'extra'], /status: takes no arguments/],
    [['memories', 'status', '--yes'], /--yes does not apply here/],
    [['memories', 'run', '--no-wait'], /--no-wait is not possible here/],
    [['memories', 'outputs', '--limit', '0'], /--limit is a number from 1 to 5000/],
    [['memories', 'outputs', '--limit', 'ten'], /--limit is a number/],
    [['memories', 'set'], /give KEY VALUE/],
    [['memories', 'set', 'enabled'], /enabled has no value/],
    [['memories', 'set', 'colour', 'blue'], /unknown setting colour \(enabled, /],
    [['memories', 'set', 'enabled', 'maybe'], /enabled is true or false, not maybe/],
    [['memories', 'set', 'max_unused_days', '1.5'], /max_unused_days is a whole number, not 1\.5/],
    [['memories', 'set', 'extract_model', ' '], /extract_model cannot be empty/],
    [
      ['memories', 'set', '--provider', 'ollama'],
      /--provider is one of codex-cli, openai, openai-compatible/,
    ],
    [['memories', 'set', '--provider', 'openai-compatible'], /needs --base-url/],
    [['memories', 'set', '--provider', 'openai-compatible', '--base-url', 'nope'], /baseUrl: /],
    [['memories', 'set', '--provider', 'codex-cli', '--base-url', 'http://x'], /--base-url does not apply/],
    [['memories', 'set', '--provider', 'openai', '--command', 'c'], /--command does not apply/],
    [['memories', 'set', '--base-url', 'http://x'], /go with --provider/],
    [['memories', 'mode'], /give a thread ID/],
    [['memories', 'mode', 'not-a-uuid', 'enabled'], /not-a-uuid is not a thread ID/],
    [['memories', 'mode', T, 'polluted'], /enabled or disabled, not polluted/],
    [['memories', 'cat'], /give one path/],
    [['memories', 'cat', '../secrets'], /must be a path inside the memory root/],
    [['memories', 'cat', '/etc/passwd'], /must be a path inside the memory root/],
    [['memories', 'drop', '--bogus'], /bogus/],
  ])('%j prints the problem and usage and exits 2', async (argv, message) => {
    const out = capture();
    const err = capture();
    expect(await runCli(argv, out, err)).toBe(2);
    expect(err.text()).toMatch(message);
    expect(err.text()).toMatch(/\n\nUsage: npm run cli -- <command>[^]*memories run/);
    expect(out.text()).toBe('');
  });
});

const run = { startedAt: Date.UTC(2026, 2, 1, 10), finishedAt: Date.UTC(2026, 2, 1, 10, 0, 12), pruned: 1 };
const job = (o: Partial<MemoryJob>): MemoryJob => ({
  kind: 'memory_stage1',
  jobKey: T,
  threadTitle: 'fix the\nparser',
  status: 'error',
  workerId: 'w',
  startedAt: run.startedAt / 1000,
  finishedAt: run.startedAt / 1000 + 5,
  leaseUntil: null,
  retryAt: run.startedAt / 1000 + 3605,
  retryRemaining: 2,
  lastError: 'model output is not JSON',
  inputWatermark: 1,
  lastSuccessWatermark: null,
  ...o,
});

describe('memories formatting', () => {
  it('reports a run phase by phase; a failed phase 2 or an early stop is a failed run', () => {
    const p1 = { claimed: 3, succeeded: 1, noOutput: 1, failed: 1 };
    expect(
      runText({
        ...run,
        phase1: p1,
        phase2: { status: 'succeeded', selected: 2, removed: 0, error: null },
        error: null,
      }),
    ).toEqual([
      'Pruned 1 unused memory.',
      'Phase 1: 3 threads claimed: 1 extracted, 1 with nothing to remember, 1 failed.',
      'Phase 2: succeeded: 2 selected, 0 removed.',
      'Run finished (took 12.0 s).',
    ]);
    const failed = runText({
      ...run,
      phase1: p1,
      phase2: { status: 'failed_agent', selected: 2, removed: 0, error: 'HTTP 500' },
      error: null,
    });
    expect(failed.slice(-2)).toEqual([
      'Phase 2: failed agent: 2 selected, 0 removed: HTTP 500.',
      'Run failed (took 12.0 s).',
    ]);
    expect(runText({ ...run, phase1: null, phase2: null, error: 'cancelled' }).slice(-2)).toEqual([
      'Stopped: cancelled.',
      'Run failed (took 12.0 s).',
    ]);
  });

  it('lists the threads that failed during the run, not older failures', () => {
    const older = job({ jobKey: 'old' }); // failed in the same second, before the run
    const again = job({ jobKey: 'again', retryRemaining: 1 });
    const done = job({ jobKey: 'ok', status: 'done' });
    const last = job({ retryRemaining: 0 });
    const global = job({ kind: 'memory_consolidate_global', jobKey: 'global' });
    const before = [older, job({ jobKey: 'again' }), job({ jobKey: 'ok' })];
    expect(failuresOf(before, [older, again, done, global, job({})]).map((j) => j.jobKey)).toEqual([
      'again',
      T,
    ]);
    expect(failuresText([job({}), last])).toEqual([
      '2 threads failed (retried automatically later):',
      `  ${T} "fix the parser": model output is not JSON (retry after 2026-03-01 11:00:05 UTC)`,
      `  ${T} "fix the parser": model output is not JSON (no retries left)`,
    ]);
  });

  it('status says how to turn the pipeline on and shows defaults, root, counts and the next run', () => {
    const s: MemoriesStatus = {
      settings: {
        enabled: false,
        generate_memories: true,
        use_memories: true,
        no_memories_if_mcp_or_web_search: false,
        max_raw_memories_for_consolidation: 256,
        max_unused_days: 30,
        max_rollout_age_days: 30,
        max_rollouts_per_startup: 16,
        min_rollout_idle_hours: 6,
        extract_model: null,
        consolidation_model: 'gpt-big',
        memory_root: null,
        provider: { kind: 'openai', apiKeyEnv: 'OPENAI_API_KEY', baseUrl: 'https://api.openai.com/v1' },
      },
      settingsProblem: null,
      memoryRoot: '/d/memories',
      rootExists: false,
      running: false,
      phase: null,
      lastRun: null,
      nextRunAt: run.startedAt + 25 * 60_000,
      counts: {
        outputs: 2,
        selected: 1,
        jobsRunning: 0,
        jobsFailed: 1,
        threadsEnabled: 3,
        threadsDisabled: 1,
        threadsPolluted: 0,
      },
    };
    const text = statusText(s, run.startedAt);
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        'Memories pipeline: disabled (turn it on with: npm run cli -- memories enable)',
        'Provider: openai https://api.openai.com/v1 (key from $OPENAI_API_KEY)',
        'Models: extract gpt-5.1-codex-mini (default), consolidation gpt-big',
        'Memory root: /d/memories (not created yet)',
        'Running now: no',
        'Last run: never (no memory jobs yet)',
        'Next scheduled run: 2026-03-01 10:25:00 UTC (in 25 min)',
        'Outputs: 2 (1 selected for phase 2); jobs: 0 running, 1 failed; threads: 3 enabled, 1 disabled, 0 polluted',
      ]),
    );
  });

  it('relative times and tables', () => {
    expect(relative(0, 59_000)).toBe('59 s ago');
    expect(relative(7_200_000, 0)).toBe('in 2 h');
    expect(relative(0, 3 * 86_400_000)).toBe('3 d ago');
    expect(
      table([
        ['A', 'BB', 'C'],
        ['aaa', 'b', 'c c'],
      ]),
    ).toBe('A    BB  C\naaa  b   c c\n');
  });
});
