import { afterAll, describe, expect, it } from 'vitest';
import { extractRollout } from './extract-metadata.ts';
import {
  basicThread,
  event,
  FILE_NAME,
  line,
  OTHER_ID,
  responseMessage,
  sessionMeta,
  tempDir,
  THREAD_ID,
  tokenCount,
  turnContext,
  userMessage,
  writeRollout,
  removeTempDirs,
} from './rollout-test-kit.ts';
import type { ExtractResult } from './types.ts';

afterAll(removeTempDirs);

const opts = { archived: false, defaultProvider: 'openai' };

async function extractLines(lines: string[], archived = false): Promise<ExtractResult> {
  return extractRollout(writeRollout(tempDir(), lines), { ...opts, archived });
}

describe('extractRollout field provenance', () => {
  it('reads a typical thread', async () => {
    const result = await extractLines(basicThread());
    expect(result.problem).toBeNull();
    expect(result.parseErrors).toBe(0);
    expect(result.meta).toMatchObject({
      id: THREAD_ID,
      createdAt: Date.UTC(2026, 1, 3, 10, 15, 2) / 1000,
      source: 'cli',
      modelProvider: 'openai',
      cwd: '/home/alice/proj',
      title: 'add a --verbose flag',
      firstUserMessage: 'add a --verbose flag',
      sandboxPolicy: '{"type":"workspace-write","network_access":false}',
      approvalMode: 'on-request',
      tokensUsed: 9120,
      archived: false,
      archivedAt: null,
      gitSha: '0123abcd',
      gitBranch: 'main',
      gitOriginUrl: 'git@github.com:alice/proj.git',
      cliVersion: '0.98.0',
      model: 'gpt-5.2-codex',
      reasoningEffort: 'medium',
      originator: 'codex_cli_rs',
      agentNickname: null,
      agentRole: null,
      parentThreadId: null,
      forkedFromId: null,
      agentDepth: null,
    });
    // updated_at comes from the last line's own timestamp, not from the file's mtime.
    expect(result.meta!.updatedAt).toBe(Date.UTC(2026, 1, 3, 10, 15, 15) / 1000);
    expect(result.state.lines).toBe(13);
  });

  it('applies seed defaults when the rollout names no source, provider or turn settings', async () => {
    const result = await extractRollout(
      writeRollout(tempDir(), [
        sessionMeta({ source: undefined, model_provider: undefined, git: undefined }),
      ]),
      { archived: false, defaultProvider: 'my-proxy' },
    );
    expect(result.meta).toMatchObject({
      source: 'vscode',
      modelProvider: 'my-proxy',
      sandboxPolicy: '{"type":"read-only"}',
      approvalMode: 'on-request',
      gitSha: null,
      gitBranch: null,
      gitOriginUrl: null,
      title: '',
      firstUserMessage: '',
      model: null,
      tokensUsed: 0,
    });
  });

  it('encodes object sources as compact JSON and reads sub-agent fields from thread_spawn', async () => {
    const spawn = { parent_thread_id: OTHER_ID, depth: 2, agent_nickname: 'Atlas', agent_role: 'explorer' };
    const result = await extractLines([sessionMeta({ source: { subagent: { thread_spawn: spawn } } })]);
    expect(result.meta).toMatchObject({
      source: JSON.stringify({ subagent: { thread_spawn: spawn } }),
      agentNickname: 'Atlas',
      agentRole: 'explorer',
      parentThreadId: OTHER_ID,
      agentDepth: 2,
    });
    const review = await extractLines([sessionMeta({ source: { subagent: 'review' } })]);
    expect(review.meta!.source).toBe('{"subagent":"review"}');
  });

  it('prefers top-level agent fields, accepts agent_type and top-level parent_thread_id', async () => {
    const result = await extractLines([
      sessionMeta({
        source: {
          subagent: { thread_spawn: { parent_thread_id: OTHER_ID, depth: 1, agent_nickname: 'Inner' } },
        },
        agent_nickname: 'Copernicus',
        agent_type: 'worker',
      }),
    ]);
    expect(result.meta).toMatchObject({
      agentNickname: 'Copernicus',
      agentRole: 'worker',
      parentThreadId: OTHER_ID,
    });
    const top = await extractLines([sessionMeta({ parent_thread_id: OTHER_ID, forked_from_id: OTHER_ID })]);
    expect(top.meta).toMatchObject({ parentThreadId: OTHER_ID, forkedFromId: OTHER_ID, agentDepth: null });
  });

  it('ignores a later session_meta with another id (a fork embeds its parent)', async () => {
    const result = await extractLines([
      sessionMeta({ forked_from_id: OTHER_ID }),
      sessionMeta({
        id: OTHER_ID,
        cwd: '/elsewhere',
        cli_version: '0.1.0',
        source: 'exec',
        memory_mode: 'disabled',
      }),
      userMessage('parent question'),
      turnContext(),
      userMessage('child question'),
    ]);
    expect(result.meta).toMatchObject({
      id: THREAD_ID,
      cwd: '/home/alice/proj',
      cliVersion: '0.98.0',
      source: 'cli',
      forkedFromId: OTHER_ID,
      // Copied parent lines still fold: the seed has no way to tell them apart either.
      title: 'parent question',
    });
    expect(result.memoryMode).toBeNull();
  });

  it('lets later session_meta lines with the same id update fields; memory_mode last explicit wins', async () => {
    const result = await extractLines([
      sessionMeta({ dynamic_tools: [{ name: 'a', description: 'A', inputSchema: { type: 'object' } }] }),
      sessionMeta({ memory_mode: 'disabled', cli_version: '0.99.0', git: { commit_hash: 'ffff' } }),
      sessionMeta({ cli_version: '', cwd: '', git: undefined, dynamic_tools: [{ name: 'b' }] }),
    ]);
    expect(result.meta).toMatchObject({
      cliVersion: '0.99.0',
      cwd: '/home/alice/proj',
      gitSha: 'ffff',
      gitBranch: null,
      gitOriginUrl: null,
    });
    expect(result.memoryMode).toBe('disabled');
    expect(result.dynamicTools).toEqual([{ name: 'a', description: 'A', inputSchema: { type: 'object' } }]);
  });

  it('maps input_schema to inputSchema', async () => {
    const result = await extractLines([
      sessionMeta({ dynamic_tools: [{ name: 'x', description: 'X', input_schema: { type: 'string' } }] }),
    ]);
    expect(result.dynamicTools).toEqual([{ name: 'x', description: 'X', inputSchema: { type: 'string' } }]);
  });

  it('takes cwd from turn_context only when the session has none; the last turn wins otherwise', async () => {
    const result = await extractLines([
      sessionMeta({ cwd: '' }),
      turnContext({ cwd: '/from/turn', approval_policy: 'never', sandbox_policy: { type: 'read-only' } }),
      turnContext({
        cwd: '/second/turn',
        approval_policy: { reject: { sandbox_approval: true } },
        effort: null,
      }),
      turnContext({
        cwd: '/third',
        sandbox_policy: 'danger-full-access',
        model: 'gpt-5.5',
        effort: undefined,
      }),
    ]);
    expect(result.meta).toMatchObject({
      cwd: '/from/turn',
      approvalMode: 'on-request',
      sandboxPolicy: 'danger-full-access',
      model: 'gpt-5.5',
      reasoningEffort: null,
    });
  });

  it('keeps the model of whichever came last, turn_context or thread_settings_applied', async () => {
    const settings = (model: string) =>
      event('thread_settings_applied', {
        thread_settings: { model, model_provider_id: 'openai', cwd: '/x' },
      });
    const a = await extractLines([sessionMeta(), turnContext({ model: 'm1' }), settings('m2')]);
    expect(a.meta!.model).toBe('m2');
    const b = await extractLines([
      sessionMeta(),
      settings('m2'),
      turnContext({ model: 'm3', effort: 'high' }),
    ]);
    expect(b.meta).toMatchObject({ model: 'm3', reasoningEffort: 'high' });
  });

  it('uses the last token_count with info, clamped at zero', async () => {
    const a = await extractLines([sessionMeta(), tokenCount(500), tokenCount(null)]);
    expect(a.meta!.tokensUsed).toBe(500);
    const b = await extractLines([sessionMeta(), tokenCount(500), tokenCount(-3)]);
    expect(b.meta!.tokensUsed).toBe(0);
  });

  it('takes the request after the IDE marker, trimmed', async () => {
    const ide =
      '# Context from my IDE setup:\n\n## Open tabs:\n- a.ts\n\n## My request for Codex:\n  fix the bug \n';
    const result = await extractLines([sessionMeta(), userMessage(ide), userMessage('second')]);
    expect(result.meta).toMatchObject({ title: 'fix the bug', firstUserMessage: 'fix the bug' });
  });

  it('gives an image-only first message "[Image]" and no title; the next text becomes the title', async () => {
    const result = await extractLines([
      sessionMeta(),
      userMessage('', { images: ['data:image/png;base64,AAAA'] }),
      userMessage('  what is in it?'),
    ]);
    expect(result.meta).toMatchObject({ firstUserMessage: '[Image]', title: 'what is in it?' });
    const local = await extractLines([sessionMeta(), userMessage('   ', { local_images: ['/tmp/a.png'] })]);
    expect(local.meta).toMatchObject({ firstUserMessage: '[Image]', title: '' });
    const none = await extractLines([sessionMeta(), userMessage('')]);
    expect(none.meta).toMatchObject({ firstUserMessage: '', title: '' });
  });

  it('counts paginated item_completed UserMessage items as user messages, never response items', async () => {
    const item = {
      type: 'UserMessage',
      id: 'u1',
      content: [
        { type: 'text', text: 'paginated ', text_elements: [] },
        { type: 'local_image', path: '/tmp/x.png' },
        { type: 'text', text: 'request', text_elements: [] },
      ],
    };
    const result = await extractLines([
      sessionMeta({ history_mode: 'paginated' }),
      responseMessage('user', 'response item text'),
      event('item_completed', { thread_id: THREAD_ID, turn_id: 't', item: { type: 'Plan', text: 'plan' } }),
      event('item_completed', { thread_id: THREAD_ID, turn_id: 't', item }),
    ]);
    expect(result.meta).toMatchObject({ title: 'paginated request', firstUserMessage: 'paginated request' });
  });

  it('marks archived files with archivedAt = updatedAt', async () => {
    const result = await extractLines(basicThread(), true);
    expect(result.meta!.archived).toBe(true);
    expect(result.meta!.archivedAt).toBe(result.meta!.updatedAt);
  });

  it('reads envelopes whose head is not in the usual order (full-parse fallback) and ordinal lines', async () => {
    const reordered = (type: string, payload: unknown, timestamp: string) =>
      JSON.stringify({ type, payload, timestamp });
    const result = await extractLines([
      reordered(
        'session_meta',
        { id: THREAD_ID, timestamp: '2026-02-03T10:15:02Z', cwd: '/p' },
        '2026-02-03T10:15:03Z',
      ),
      reordered('event_msg', { type: 'user_message', message: 'hi' }, '2026-02-03T10:16:00Z'),
      JSON.stringify({
        timestamp: '2026-02-03T10:17:00.000Z',
        ordinal: 7,
        type: 'event_msg',
        payload: tokenPayload(),
      }),
      JSON.stringify({
        timestamp: '2026-02-03T10:18:00.000Z',
        type: 'event_msg',
        payload: { info: null, type: 'x' },
      }),
      line('turn_context', {
        model: 'm',
        approval_policy: 'never',
        cwd: '/p',
        sandbox_policy: { mode: 'read-only' },
      }),
    ]);
    expect(result.meta).toMatchObject({ title: 'hi', tokensUsed: 77, model: 'm', approvalMode: 'never' });
    expect(result.meta!.sandboxPolicy).toBe('{"mode":"read-only"}');
    expect(result.meta!.updatedAt).toBeGreaterThanOrEqual(Date.UTC(2026, 1, 3, 10, 18) / 1000);
  });

  it('falls back to the file name when there is no session_meta', async () => {
    const dir = tempDir();
    const path = writeRollout(dir, [turnContext(), userMessage('orphan'), tokenCount(10)]);
    const result = await extractRollout(path, opts);
    expect(result.meta).toMatchObject({
      id: THREAD_ID,
      createdAt: Date.UTC(2026, 1, 3, 11, 15, 2) / 1000,
      source: 'vscode',
      title: 'orphan',
      tokensUsed: 10,
      cwd: '/home/alice/proj',
    });
    expect(FILE_NAME).toContain('2026-02-03T11-15-02');
  });

  it('reports a missing metadata builder when neither session_meta nor file name gives an id', async () => {
    const path = writeRollout(tempDir(), [userMessage('orphan')], 'rollout-not-a-thread.jsonl');
    const result = await extractRollout(path, opts);
    expect(result.meta).toBeNull();
    expect(result.problem).toBe('rollout missing metadata builder');
  });
});

function tokenPayload(): unknown {
  const usage = { input_tokens: 70, output_tokens: 7, total_tokens: 77 };
  return { type: 'token_count', info: { total_token_usage: usage, last_token_usage: usage } };
}
