import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeModelServer, type FakeModelServerOptions } from '../../test-support/fake-model-server.ts';
import { makeTempDir } from '../../test-support/temp-dir.ts';
import {
  CONSOLIDATION_API_INSTRUCTIONS,
  CONSOLIDATION_OUTPUT_SCHEMA,
  MEMORY_MD_MAX_TOKENS,
  summaryFilesNamed,
  writeMemoryFiles,
} from './api-consolidate.ts';
import { createOpenAIChatProvider } from './openai-chat.ts';
import { createOpenAIResponsesProvider } from './openai-responses.ts';
import { ProviderError, type MemoryProvider } from './provider.ts';

const A = '2025-02-11T15-35-19-jqmb-fix_build.md';
const B = '2025-02-12T09-00-00-Ab12.md';
const GONE = '2025-01-01T00-00-00-zzzz-removed.md';
const PROMPT = `# Memory consolidation
- selected inputs this run: 2

Current selected Phase 1 inputs:
- [added] thread_id=0194f5a6-89ab-7cde-8123-456789abcdef, rollout_summary_file=rollout_summaries/${A}
- [retained] thread_id=0194f5a6-0000-7cde-8123-456789abcdef, rollout_summary_file=rollout_summaries/${B}

Removed from the last successful Phase 2 selection:
- thread_id=0194f5a6-1111-7cde-8123-456789abcdef, rollout_summary_file=rollout_summaries/${GONE}
`;
const NEW = {
  memory_md: '# Task Group: builds\n- learned X',
  memory_summary_md: '## User Profile\n- likes tests',
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function memoryRoot(files: Record<string, string>): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(t.dir, name, '..'), { recursive: true });
    writeFileSync(join(t.dir, name), text);
  }
  return t.dir;
}

const CURRENT = {
  'MEMORY.md': '# Task Group: old\n- old learning\n',
  'memory_summary.md': '## User Profile\n- old\n',
  'raw_memories.md': '# Raw Memories\n\n## Thread `x`\nraw memory body\n',
  [`rollout_summaries/${A}`]: 'thread_id: a\n\nsummary of A\n',
  [`rollout_summaries/${B}`]: 'thread_id: b\n\nsummary of B\n',
  'rollout_summaries/unrelated.md': 'not named in the prompt\n',
};

async function providers(
  opts: FakeModelServerOptions = {},
): Promise<[string, MemoryProvider, () => unknown][]> {
  const server = await startFakeModelServer({ output: NEW, ...opts });
  cleanups.push(server.close);
  return [
    [
      'responses',
      createOpenAIResponsesProvider({ baseUrl: server.baseUrl, apiKeyEnv: 'K', env: { K: 'sk-x' } }),
      () => server.requests.at(-1)?.body,
    ],
    [
      'chat',
      createOpenAIChatProvider({ baseUrl: server.baseUrl, apiKeyEnv: null, env: {} }),
      () => server.requests.at(-1)?.body,
    ],
  ];
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('consolidation through a model API', () => {
  it('finds the rollout summary files the diff block names, once each, in order', () => {
    expect(summaryFilesNamed(`${PROMPT}\n- x rollout_summary_file=rollout_summaries/${A}`)).toEqual([
      A,
      B,
      GONE,
    ]);
    expect(summaryFilesNamed('rollout_summary_file=rollout_summaries/../etc.md')).toEqual([]);
  });

  it('sends the prompt and the current files, writes MEMORY.md and memory_summary.md, reports them', async () => {
    for (const [name, provider, lastBody] of await providers()) {
      const root = memoryRoot(CURRENT);
      const oldIno = statSync(join(root, 'MEMORY.md')).ino;
      const res = await provider.consolidate({ model: 'gpt-5.3-codex', memoryRoot: root, prompt: PROMPT });

      const body = lastBody() as Record<string, unknown>;
      const user =
        name === 'responses' ? (body.input as string) : (body.messages as { content: string }[])[1]!.content;
      if (name === 'responses') {
        expect(body.reasoning).toEqual({ effort: 'medium' });
        expect(body.instructions).toBe(CONSOLIDATION_API_INSTRUCTIONS);
        expect(body.text).toEqual({
          format: {
            type: 'json_schema',
            name: 'memory_consolidation',
            schema: CONSOLIDATION_OUTPUT_SCHEMA,
            strict: true,
          },
        });
      } else {
        expect((body.messages as { content: string }[])[0]!.content).toBe(CONSOLIDATION_API_INSTRUCTIONS);
        expect((body.response_format as { json_schema: { name: string } }).json_schema.name).toBe(
          'memory_consolidation',
        );
      }
      expect(user.startsWith(PROMPT.trimEnd())).toBe(true);
      expect(user).toContain('=== FILE MEMORY.md ===\n# Task Group: old\n- old learning\n');
      expect(user).toContain('=== FILE memory_summary.md ===\n## User Profile\n- old');
      expect(user).toContain('raw memory body');
      expect(user).toContain(`=== FILE rollout_summaries/${A} ===\nthread_id: a\n\nsummary of A`);
      expect(user).toContain('summary of B');
      expect(user).toContain(`=== FILE rollout_summaries/${GONE} ===\n(this file does not exist yet)`);
      expect(user).not.toContain('not named in the prompt');

      expect(res.written).toEqual(['MEMORY.md', 'memory_summary.md']);
      expect(res.usage?.total).toBe(1500);
      expect(readFileSync(join(root, 'MEMORY.md'), 'utf8')).toBe(`${NEW.memory_md}\n`);
      expect(readFileSync(join(root, 'memory_summary.md'), 'utf8')).toBe(`${NEW.memory_summary_md}\n`);
      expect(statSync(join(root, 'MEMORY.md')).ino).not.toBe(oldIno); // replaced by rename
      expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(readFileSync(join(root, 'raw_memories.md'), 'utf8')).toBe(CURRENT['raw_memories.md']);
    }
  });

  it('creates the two files in an empty root (INIT)', async () => {
    const [[, provider]] = (await providers()) as [[string, MemoryProvider, () => unknown]];
    const root = memoryRoot({});
    const res = await provider.consolidate({ model: 'm', memoryRoot: root, prompt: PROMPT });
    expect(res.written).toEqual(['MEMORY.md', 'memory_summary.md']);
    expect(readdirSync(root).sort()).toEqual(['MEMORY.md', 'memory_summary.md']);
  });

  it('an answer that is not the two files, or an empty MEMORY.md, is bad_output and keeps the old files', async () => {
    for (const output of [
      'not json at all',
      { memory_md: '  ', memory_summary_md: 'x' },
      { memory_md: 'x' },
    ]) {
      for (const [, provider] of await providers({ output })) {
        const root = memoryRoot(CURRENT);
        const err = await failure(provider.consolidate({ model: 'm', memoryRoot: root, prompt: PROMPT }));
        expect(err.code).toBe('bad_output');
        expect(readFileSync(join(root, 'MEMORY.md'), 'utf8')).toBe(CURRENT['MEMORY.md']);
        expect(readFileSync(join(root, 'memory_summary.md'), 'utf8')).toBe(CURRENT['memory_summary.md']);
      }
    }
  });

  it('refuses a MEMORY.md too large to rewrite whole, before calling the model', async () => {
    const server = await startFakeModelServer({ output: NEW });
    cleanups.push(server.close);
    const provider = createOpenAIChatProvider({ baseUrl: server.baseUrl, apiKeyEnv: null, env: {} });
    const root = memoryRoot({ 'MEMORY.md': 'x'.repeat(MEMORY_MD_MAX_TOKENS * 4 + 8) });
    const err = await failure(provider.consolidate({ model: 'm', memoryRoot: root, prompt: PROMPT }));
    expect(err.code).toBe('failed');
    expect(err.message).toContain('use the Codex CLI provider');
    expect(server.requests).toHaveLength(0);
  });

  it('a failed write leaves no temp file behind', async () => {
    const root = memoryRoot({ 'memory_summary.md/blocker': 'a folder where the file should go' });
    const err = await failure(writeMemoryFiles(root, { 'memory_summary.md': 'x\n' }));
    expect(err.code).toBe('failed');
    expect(readdirSync(root)).toEqual(['memory_summary.md']);
  });
});
