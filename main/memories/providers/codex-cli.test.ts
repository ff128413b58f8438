import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeCodex, type FakeCodex, type FakeCodexBehaviour } from '../../test-support/fake-codex.ts';
import { makeTempDir } from '../../test-support/temp-dir.ts';
import { STAGE1_OUTPUT_SCHEMA, STAGE1_SYSTEM_PROMPT } from '../stage1-input.ts';
import { createCodexCliProvider } from './codex-cli.ts';
import { ProviderError, type ExtractRequest } from './provider.ts';

const REQ: ExtractRequest = {
  model: 'gpt-5.1-codex-mini',
  system: STAGE1_SYSTEM_PROMPT,
  user: 'Analyze this session…\nrollout_cwd: /work/x',
  schema: STAGE1_OUTPUT_SCHEMA,
};
const ANSWER = '{"rollout_summary":"s","rollout_slug":null,"raw_memory":"r"}';
const TURN_DONE = {
  type: 'turn.completed',
  usage: { input_tokens: 900, cached_input_tokens: 100, output_tokens: 50, reasoning_output_tokens: 20 },
};

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function fake(b: FakeCodexBehaviour): FakeCodex {
  const f = createFakeCodex(b);
  cleanups.push(f.cleanup);
  return f;
}
function tempDir(): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}
async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Codex CLI provider: extract (codex exec, read-only)', () => {
  it('runs codex exec with the schema file, the prompt on stdin, in a temp dir it removes after', async () => {
    const codex = fake({
      lastMessage: ANSWER,
      events: [{ type: 'thread.started', thread_id: 't' }, TURN_DONE],
    });
    const provider = createCodexCliProvider({ command: 'codex', env: codex.env() });
    const res = await provider.extract(REQ);

    expect(provider.kind).toBe('codex-cli');
    expect(res.text).toBe(ANSWER);
    expect(res.usage).toEqual({ input: 900, cachedInput: 100, output: 50, reasoningOutput: 20, total: 950 });
    const [call] = codex.calls();
    expect(call).toBeDefined();
    const cwd = call!.cwd;
    expect(dirname(cwd)).toBe(realpathSync(tmpdir()));
    expect(basename(cwd)).toMatch(/^threadscope-codex-/);
    expect(call!.argv).toEqual([
      'exec',
      '--skip-git-repo-check',
      '--sandbox',
      'read-only',
      '--json',
      '--output-schema',
      join(cwd, 'output-schema.json'),
      '--output-last-message',
      join(cwd, 'last-message.txt'),
      '-c',
      'model_reasoning_effort="low"',
      '-m',
      'gpt-5.1-codex-mini',
      '-',
    ]);
    expect(call!.stdin).toBe(`${STAGE1_SYSTEM_PROMPT}\n\n${REQ.user}`);
    expect(call!.outputSchema).toEqual(STAGE1_OUTPUT_SCHEMA);
    expect(existsSync(cwd)).toBe(false);
  });

  it('reports null usage without turn.completed events, and returns a malformed answer as text', async () => {
    const codex = fake({ lastMessage: 'not { json' });
    const res = await createCodexCliProvider({ command: 'codex', env: codex.env() }).extract(REQ);
    expect(res).toEqual({ text: 'not { json', usage: null });
  });

  it('no final message is bad_output', async () => {
    const codex = fake({ events: [TURN_DONE] });
    const err = await failure(createCodexCliProvider({ command: 'codex', env: codex.env() }).extract(REQ));
    expect(err.code).toBe('bad_output');
    expect(err.message).toContain('without a final message');
  });

  it('a non-zero exit is failed with the last stderr lines, or the turn.failed message', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `log line ${i}`).join('\n');
    const codex = fake({ exitCode: 3, stderr: `${lines}\nError: unexpected status 401 Unauthorized\n` });
    const provider = createCodexCliProvider({ command: 'codex', env: codex.env() });
    const err = await failure(provider.extract(REQ));
    expect(err.code).toBe('failed');
    expect(err.message).toMatch(/^codex exec exited with code 3: /);
    expect(err.message).toContain('Error: unexpected status 401 Unauthorized');
    expect(err.message).not.toContain('log line 20\n');

    codex.configure({
      exitCode: 1,
      events: [{ type: 'turn.failed', error: { message: 'model not found' } }],
    });
    expect((await failure(provider.extract(REQ))).message).toBe(
      'codex exec exited with code 1: model not found',
    );
  });

  it('a missing executable is not_found, on PATH or by full path', async () => {
    const empty = tempDir();
    const onPath = await failure(
      createCodexCliProvider({ command: 'codex', env: { PATH: empty } }).extract(REQ),
    );
    expect(onPath.code).toBe('not_found');
    expect(onPath.message).toContain('The Codex CLI "codex" was not found on PATH');
    const full = join(empty, 'bin', 'codex');
    const byPath = await failure(
      createCodexCliProvider({ command: full, env: { PATH: empty } }).extract(REQ),
    );
    expect(byPath.code).toBe('not_found');
    expect(byPath.message).toContain(`"${full}" was not found.`);
  });

  it('a timeout stops the process', async () => {
    const codex = fake({ hang: true });
    const provider = createCodexCliProvider({ command: 'codex', env: codex.env() });
    const err = await failure(provider.extract({ ...REQ, timeoutMs: 40 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('Codex (codex exec) did not finish within 40 ms; its processes were stopped');
    for (const c of codex.calls()) expect(alive(c.pid)).toBe(false);
  });
});

describe('Codex CLI provider: consolidate (codex exec in the memory root)', () => {
  const PROMPT = '# Consolidate\n- selected inputs this run: 1\n';

  it('runs in the root with workspace-write, no network, approval never; reports the files it wrote', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'MEMORY.md'), 'old\n');
    writeFileSync(join(root, 'raw_memories.md'), '# Raw Memories\n');
    mkdirSync(join(root, 'rollout_summaries'));
    writeFileSync(join(root, 'rollout_summaries', 'a.md'), 'summary\n');
    const codex = fake({
      events: [TURN_DONE, TURN_DONE],
      writeFiles: {
        'MEMORY.md': 'new memory\n',
        'memory_summary.md': '## User Profile\n',
        'skills/run-tests/SKILL.md': '# Run tests\n',
      },
    });
    const provider = createCodexCliProvider({ command: 'codex', env: codex.env() });
    const res = await provider.consolidate({ model: 'gpt-5.3-codex', memoryRoot: root, prompt: PROMPT });

    const [call] = codex.calls();
    expect(call!.cwd).toBe(realpathSync(root));
    expect(call!.argv).toEqual([
      'exec',
      '--skip-git-repo-check',
      '--sandbox',
      'workspace-write',
      '--json',
      '-c',
      'approval_policy="never"',
      '-c',
      'sandbox_workspace_write.network_access=false',
      '-c',
      'model_reasoning_effort="medium"',
      '-m',
      'gpt-5.3-codex',
      '-',
    ]);
    expect(call!.stdin).toBe(PROMPT);
    expect(res.written).toEqual(['MEMORY.md', 'memory_summary.md', 'skills/run-tests/SKILL.md']);
    expect(res.usage).toEqual({
      input: 1800,
      cachedInput: 200,
      output: 100,
      reasoningOutput: 40,
      total: 1900,
    });
    expect(readFileSync(join(root, 'MEMORY.md'), 'utf8')).toBe('new memory\n');
  });

  it('a missing memory root is failed before anything runs', async () => {
    const codex = fake({});
    const err = await failure(
      createCodexCliProvider({ command: 'codex', env: codex.env() }).consolidate({
        model: 'm',
        memoryRoot: join(tempDir(), 'nope'),
        prompt: PROMPT,
      }),
    );
    expect(err.code).toBe('failed');
    expect(err.message).toContain('does not exist');
    expect(codex.calls()).toEqual([]);
  });

  it('cancel kills the running agent', async () => {
    const root = tempDir();
    const codex = fake({ hang: true, writeFiles: { 'MEMORY.md': 'half\n' } });
    const provider = createCodexCliProvider({ command: 'codex', env: codex.env() });
    const ctrl = new AbortController();
    const pending = provider.consolidate({
      model: 'm',
      memoryRoot: root,
      prompt: PROMPT,
      signal: ctrl.signal,
    });
    await vi.waitFor(() => expect(codex.calls()).toHaveLength(1));
    const pid = codex.calls()[0]!.pid;
    expect(alive(pid)).toBe(true);
    ctrl.abort();
    const err = await failure(pending);
    expect(err.code).toBe('cancelled');
    expect(err.message).toBe('Codex (codex exec) was cancelled; its processes were stopped');
    expect(alive(pid)).toBe(false);
  });

  it('a non-zero exit is failed', async () => {
    const codex = fake({ exitCode: 2, stderr: 'Error: sandbox could not be applied\n' });
    const err = await failure(
      createCodexCliProvider({ command: 'codex', env: codex.env() }).consolidate({
        model: 'm',
        memoryRoot: tempDir(),
        prompt: PROMPT,
      }),
    );
    expect(err.code).toBe('failed');
    expect(err.message).toBe('codex exec exited with code 2: Error: sandbox could not be applied');
  });
});
