import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MemoriesStatus, MemoryFileEntry, Stage1OutputSummary } from '../../preload/contract/memories.ts';
import { startFakeModelServer, type ModelRequest } from '../test-support/fake-model-server.ts';
import { edgeLines, rolloutFileName, writeLines } from '../test-support/synthetic-rollouts.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { runCli } from './cli.ts';
import type { PromptInput } from './cli-memories.ts';
import { capture } from './cli-logs-test-support.ts';

const { cleanups, dirs } = perTestDirs();
const T1 = '0194f5a6-89ab-7cde-8123-456789abcde1';
const T2 = '0194f5a6-89ab-7cde-8123-456789abcde2';
const HOUR = 3_600_000;

const schemaName = (r: ModelRequest): string =>
  String(
    (r.body?.response_format as { json_schema?: { name?: string } } | undefined)?.json_schema?.name ?? '',
  );
const prompt = (r: ModelRequest): string => JSON.stringify(r.body?.messages ?? '');

/** Remembers "fix the parser"; a thread about "the broken model" gets an answer that is not JSON. */
function model(r: ModelRequest): unknown {
  if (schemaName(r) === 'memory_consolidation')
    return { memory_md: '# Task Group: parser\n- fixed it\n', memory_summary_md: '## User Profile\nterse\n' };
  if (prompt(r).includes('broken model')) return 'not json at all';
  return {
    rollout_summary: 'Fixed the parser',
    rollout_slug: 'parser fix',
    raw_memory: '### Task 1: parser',
  };
}

/** A CODEX_HOME with CLI threads whose last lines are 3 hours old (idle long enough with a 1 h minimum). */
function home(threads: [string, string][]): { home: string; data: string } {
  const d = dirs();
  const created = Date.now() - 3 * HOUR;
  const ts = new Date(created).toISOString();
  for (const [id, text] of threads) {
    const message = { type: 'message', role: 'user', content: [{ type: 'input_text', text }] };
    writeLines(join(d.home, 'sessions/2026/03/01', rolloutFileName(created, id)), [
      ...edgeLines.head(id, '/work/app', ts).slice(0, 2), // session_meta, turn_context
      JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { type: 'user_message', message: text } }),
      JSON.stringify({ timestamp: ts, type: 'response_item', payload: message }),
    ]);
  }
  return d;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

function memoriesCli(d: { home: string; data: string }) {
  return async (argv: string[], opts: { signal?: AbortSignal; stdin?: PromptInput } = {}): Promise<Run> => {
    const out = capture();
    const err = capture();
    const code = await runCli(
      ['memories', ...argv, '--codex-home', d.home, '--data-dir', d.data],
      out,
      err,
      null,
      { stdin: new PassThrough(), ...opts },
    );
    return { code, out: out.text(), err: err.text() };
  };
}

/** Fake model server + a CLI whose pipeline is enabled on it, with a 1 h idle minimum. */
async function enabled(threads: [string, string][], output: (r: ModelRequest) => unknown = model) {
  const server = await startFakeModelServer({ output });
  cleanups.push(() => server.close());
  const d = home(threads);
  const cli = memoriesCli(d);
  const provider = ['--provider', 'openai-compatible', '--base-url', server.baseUrl];
  expect((await cli(['set', 'min_rollout_idle_hours', '1', ...provider])).code).toBe(0);
  expect((await cli(['enable'])).code).toBe(0);
  return { cli, server, ...d };
}

const tty = (answer: string): PromptInput => {
  const s = Object.assign(new PassThrough(), { isTTY: true });
  s.end(answer);
  return s;
};

describe('memories CLI over the real service and a real model server', () => {
  it('is off until enabled (run exits 1 with the hint); set clamps and reports; status shows it all', async () => {
    const d = home([[T1, 'fix the parser']]);
    const cli = memoriesCli(d);
    const off = await cli(['status']);
    expect(off.code).toBe(0);
    expect(off.out).toContain(
      'Memories pipeline: disabled (turn it on with: npm run cli -- memories enable)\n',
    );
    expect(off.out).toContain(`Memory root: ${join(d.data, 'memories')} (not created yet)\n`);
    expect(off.out).toContain('threads: 1 enabled, 0 disabled, 0 polluted\n');

    const run = await cli(['run']);
    expect([run.code, run.out]).toEqual([1, '']);
    expect(run.err).toBe(
      'threadscope: memories run: The memories pipeline is off: enable it in Settings.\n' +
        'Turn it on with: npm run cli -- memories enable (provider: codex-cli (runs `codex exec` with your Codex login))\n',
    );

    const set = await cli(['set', 'max_rollouts_per_startup', '500', 'extract_model', 'small-model']);
    expect(set).toEqual({
      code: 0,
      out: 'max_rollouts_per_startup = 128 (clamped from 500)\nextract_model = small-model\n',
      err: '',
    });
    const provider = await cli(['set', '--provider', 'openai', '--api-key-env', 'MY_KEY']);
    expect(provider.out).toBe('provider = openai https://api.openai.com/v1 (key from $MY_KEY)\n');
    const on = await cli(['enable']);
    expect(on.out).toMatch(
      /^Memories pipeline enabled\.\nProvider: openai .*\nRun it now with: npm run cli -- memories run/,
    );
    const s = MemoriesStatus.parse(JSON.parse((await cli(['status', '--json'])).out));
    expect(s.settings).toMatchObject({
      enabled: true,
      max_rollouts_per_startup: 128,
      extract_model: 'small-model',
    });
    expect(JSON.parse(readFileSync(join(d.data, 'settings.json'), 'utf8'))).toMatchObject({
      memories: { enabled: true, provider: { kind: 'openai', apiKeyEnv: 'MY_KEY' } },
    });
    expect((await cli(['set', 'max_rollouts_per_startup', 'default'])).out).toBe(
      'max_rollouts_per_startup = 16\n',
    );
    expect((await cli(['disable'])).out).toBe('Memories pipeline disabled.\n');
  });

  it('run waits, printing each phase, then the report; outputs, jobs, files and cat show the result', async () => {
    const { cli, server, data } = await enabled([
      [T1, 'fix the parser'],
      [T2, 'the broken model'],
    ]);
    const r = await cli(['run']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      `Memories pipeline started (${data}).`,
      'Pruning memories unused for too long…',
      'Phase 1: extracting memories from idle threads…',
      'Phase 2: consolidating them into MEMORY.md and memory_summary.md…',
    ]);
    expect(r.out).toContain(
      'Phase 1: 2 threads claimed: 1 extracted, 0 with nothing to remember, 1 failed.\n',
    );
    expect(r.out).toContain('Phase 2: succeeded: 1 selected, 0 removed.\n');
    expect(r.out).toMatch(
      /Run finished \(took \d+\.\d s\)\.\n1 thread failed \(retried automatically later\):\n/,
    );
    expect(r.out).toMatch(
      new RegExp(`\n  ${T2} "the broken model": .*not JSON.* \\(retry after .* UTC\\)\n`),
    );
    expect(r.out).toContain(`Memory root: ${join(data, 'memories')} (see: npm run cli -- memories files)\n`);
    expect(server.requests.map(schemaName).sort()).toEqual([
      'memory_consolidation',
      'memory_extraction',
      'memory_extraction',
    ]);

    const outputs = Stage1OutputSummary.array().parse(JSON.parse((await cli(['outputs', '--json'])).out));
    expect(outputs.map((o) => [o.threadId, o.rolloutSlug, o.selectedForPhase2])).toEqual([
      [T1, 'parser fix', true],
    ]);
    expect((await cli(['outputs'])).out).toMatch(
      new RegExp(`^THREAD +SELECTED +USED .*\n${T1}  yes +0 +- +\\d{4}-.* parser fix - "fix the parser"\n$`),
    );
    const jobs = (await cli(['jobs'])).out;
    expect(jobs).toMatch(/^global +global +done /m);
    expect(jobs).toMatch(new RegExp(`^stage1 +${T2} +error +2 .*"the broken model" - .*not JSON`, 'm'));
    expect(jobs).toMatch(new RegExp(`^stage1 +${T1} +done +3 `, 'm'));

    const files = MemoryFileEntry.array().parse(JSON.parse((await cli(['files', '--json'])).out));
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['MEMORY.md', 'memory_summary.md', 'raw_memories.md', 'rollout_summaries']),
    );
    const listed = (await cli(['files'])).out;
    expect(listed).toMatch(new RegExp(`^${join(data, 'memories')}\nSIZE +MODIFIED \\(UTC\\) +PATH\n`));
    expect(listed).toMatch(/^dir +\S+ \S+ +rollout_summaries\/$/m);
    expect(listed).toMatch(/^\d+ B +\S+ \S+ +MEMORY\.md$/m);
    expect(await cli(['cat', 'MEMORY.md'])).toEqual({
      code: 0,
      out: '# Task Group: parser\n- fixed it\n',
      err: '',
    });
    const summary = readdirSync(join(data, 'memories/rollout_summaries'))[0] ?? '';
    expect((await cli(['cat', `rollout_summaries/${summary}`])).out).toContain('Fixed the parser');
    const missing = await cli(['cat', 'nope.md']);
    expect([missing.code, missing.err]).toEqual([
      1,
      'threadscope: NOT_FOUND: No file nope.md in the memory root\n',
    ]);

    const status = (await cli(['status'])).out;
    expect(status).toContain('Outputs: 1 (1 selected for phase 2); jobs: 0 running, 1 failed;');
    // This process did not run it: the jobs tell when phase 1 and phase 2 last worked.
    expect(status).toMatch(/\nLast extraction \(phase 1\): \d{4}-\d\d-\d\d [\d:]+ UTC \(\d+ s ago\)\n/);
    expect(status).toMatch(/\nLast consolidation \(phase 2\): done, \d{4}-.* UTC \(\d+ s ago\)\n/);
    // A second run in another process: nothing changed, phase 2 is skipped.
    const again = await cli(['run', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({
      started: true,
      run: { phase1: { claimed: 0 }, phase2: { status: 'skipped_not_dirty' }, error: null },
      failures: [],
    });
  });

  it('exits 1 when phase 2 fails, and when Ctrl+C cancels the run', async () => {
    const broken = await enabled([[T1, 'fix the parser']], (r) =>
      schemaName(r) === 'memory_consolidation' ? 'no json here' : model(r),
    );
    const failed = await broken.cli(['run']);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/Phase 2: failed agent: 1 selected, 0 removed: .+\.\nRun failed/);
    expect(existsSync(join(broken.data, 'memories/MEMORY.md'))).toBe(false);

    const stop = new AbortController();
    const slow = await enabled([[T1, 'fix the parser']], (r) => {
      stop.abort(); // Ctrl+C while phase 1 is waiting for the model
      return model(r);
    });
    const cancelled = await slow.cli(['run'], { signal: stop.signal });
    expect(cancelled.code).toBe(1);
    expect(cancelled.out).toContain('Cancelling (jobs in flight are retried later)…\n');
    expect(cancelled.out).toContain('Stopped: cancelled.\nRun failed');
    expect(slow.server.requests.map(schemaName)).not.toContain('memory_consolidation');
  });

  it('drop and reset need --yes off a terminal and ask y/N on one; mode shows and sets a thread', async () => {
    const { cli, data } = await enabled([
      [T1, 'fix the parser'],
      [T2, 'fix the tests'],
    ]);
    expect((await cli(['run'])).code).toBe(0);
    const root = join(data, 'memories');
    const refused = await cli(['drop']);
    expect([refused.code, refused.out]).toEqual([2, '']);
    expect(refused.err).toBe(
      `threadscope: memories drop deletes every stage-1 output (2) and memory job, and everything in ${root}.\n` +
        'Nothing was deleted: add --yes to confirm.\n',
    );
    const no = await cli(['drop'], { stdin: tty('n\n') });
    expect([no.code, no.out]).toEqual([1, 'Nothing was deleted.\n']);
    expect(no.err).toMatch(/deletes every stage-1 output \(2\).*\nContinue\? \[y\/N\] $/);
    expect(readdirSync(root)).toContain('MEMORY.md');
    const yes = await cli(['drop'], { stdin: tty('y\n') });
    expect([yes.code, yes.out]).toEqual([0, `Deleted 5 memory rows and emptied ${root}.\n`]);
    expect(yes.err).toMatch(/\nContinue\? \[y\/N\] $/);
    expect(readdirSync(root)).toEqual([]);
    expect((await cli(['outputs'])).out).toMatch(/^No stage-1 outputs yet/);

    expect((await cli(['mode', T1])).out).toBe(`Thread ${T1}: memory mode enabled.\nNo stage-1 output.\n`);
    expect((await cli(['mode', T1, 'disabled'])).out).toBe(`Thread ${T1}: memory mode disabled.\n`);
    expect(JSON.parse((await cli(['mode', T1, '--json'])).out)).toEqual({ mode: 'disabled', output: null });
    const ghost = await cli(['mode', '0194f5a6-89ab-7cde-8123-00000000dead', 'enabled']);
    expect([ghost.code, ghost.err]).toEqual([1, expect.stringContaining('NOT_FOUND: No thread 0194f5a6')]);

    expect((await cli(['run'])).code).toBe(0); // T2 extracted again; T1 is disabled
    expect((await cli(['reset'])).code).toBe(2);
    const reset = await cli(['clear', '--yes']);
    expect(reset).toEqual({
      code: 0,
      out:
        `Deleted 3 memory rows and emptied ${root}.\n` +
        '1 threads marked disabled; the pipeline is off (turn it on again with: npm run cli -- memories enable).\n',
      err: '',
    });
    const after = MemoriesStatus.parse(JSON.parse((await cli(['status', '--json'])).out));
    expect(after.settings.enabled).toBe(false);
    expect(after.counts).toMatchObject({ outputs: 0, threadsEnabled: 0, threadsDisabled: 2 });
  });
});
