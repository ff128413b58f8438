import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { extractRollout } from './extract-metadata.ts';
import { newMemorySignals, noteParsed } from './memory-signals.ts';
import { parseRolloutFileName, parseTimestampMs } from './rollout-name.ts';
import {
  basicThread,
  citedAnswer,
  event,
  functionCall,
  line,
  mergePasses,
  OTHER_ID,
  sessionMeta,
  tempDir,
  turnContext,
  userMessage,
  webSearchCall,
  writeRollout,
  removeTempDirs,
} from './rollout-test-kit.ts';
import {
  applyItemCompleted,
  applyLegacyHeader,
  applyLegacyItem,
  applySessionMeta,
  applyThreadSettingsModel,
  applyTokenCount,
  applyTurnContext,
  applyUserMessageEvent,
  asObject,
  ensureMeta,
  newFoldState,
} from './thread-fold.ts';
import type { FoldContext } from './thread-fold.ts';
import type { FoldState, MemorySignals } from './types.ts';

afterAll(removeTempDirs);

const dir = fileURLToPath(new URL('../../../shared/fixtures/rollouts/real/', import.meta.url));
const realFiles = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : [];
const opts = { archived: false, defaultProvider: 'openai' };

/** The obvious implementation: parse every line and apply it. The skimming reader must agree with it. */
function naiveFold(path: string): FoldState {
  const ctx: FoldContext = {
    rolloutPath: path,
    defaultProvider: 'openai',
    nameInfo: parseRolloutFileName(basename(path)),
  };
  const s = newFoldState();
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const text = raw.trim();
    if (text === '') continue;
    s.lines++;
    let line: Record<string, unknown> | null;
    try {
      line = asObject(JSON.parse(text));
    } catch {
      line = null;
    }
    if (line === null) {
      s.parseErrors++;
      continue;
    }
    const payload = asObject(line.payload);
    if (typeof line.type !== 'string' || line.payload === undefined) {
      if (s.lines === 1) applyLegacyHeader(s, line, ctx);
      else if (s.format === 'legacy' && s.meta) applyLegacyItem(s.meta, line);
      continue;
    }
    const ms = parseTimestampMs(line.timestamp);
    if (ms !== null) s.lastLineMs = Math.max(s.lastLineMs ?? ms, ms);
    if (!payload) continue;
    if (line.type === 'session_meta') applySessionMeta(s, payload, ms, ctx);
    else if (line.type === 'turn_context') applyTurnContext(ensureMeta(s, ctx), payload);
    else if (line.type !== 'event_msg') continue;
    else if (payload.type === 'token_count') applyTokenCount(ensureMeta(s, ctx), payload);
    else if (payload.type === 'user_message') applyUserMessageEvent(ensureMeta(s, ctx), payload);
    else if (payload.type === 'item_completed') applyItemCompleted(ensureMeta(s, ctx), payload);
    else if (payload.type === 'thread_settings_applied') {
      applyThreadSettingsModel(ensureMeta(s, ctx), asObject(payload.thread_settings)?.model);
    }
  }
  return s;
}

/** The memory signals by parsing every (terminated) envelope line of a file. */
function naiveSignals(path: string): MemorySignals {
  const signals = newMemorySignals();
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  // The unterminated last piece belongs to the next pass.
  lines.pop();
  let legacy = false;
  for (const [i, raw] of lines.entries()) {
    let line: Record<string, unknown> | null;
    try {
      line = asObject(JSON.parse(raw));
    } catch {
      continue;
    }
    if (line === null) continue;
    const enveloped = typeof line.type === 'string' && line.payload !== undefined;
    if (i === 0 && !enveloped && line.id !== undefined) legacy = true;
    if (enveloped && !legacy) noteParsed(signals, line);
  }
  return signals;
}

async function expectSameAsNaive(path: string): Promise<void> {
  const result = await extractRollout(path, opts);
  const naive = naiveFold(path);
  const { updatedAt: _u, archived: _a, archivedAt: _aa, ...folded } = result.state.meta ?? { updatedAt: 0 };
  const { updatedAt: _nu, archived: _na, archivedAt: _naa, ...expected } = naive.meta ?? { updatedAt: 0 };
  expect(folded).toEqual(expected);
  expect(result.state.lastLineMs).toBe(naive.lastLineMs);
  expect(result.state.lines).toBe(naive.lines);
  expect(result.state.parseErrors).toBe(naive.parseErrors);
  expect(result.memoryMode).toBe(naive.memoryMode);
  expect(result.dynamicTools).toEqual(naive.dynamicTools);
  expect(result.memory).toEqual(naiveSignals(path));
}

describe('skimming agrees with parsing every line', () => {
  it.skipIf(realFiles.length === 0).each(realFiles)('real file %s', async (file) => {
    await expectSameAsNaive(join(dir, file));
  });

  it('on synthetic threads with repeated metas, turns and settings', async () => {
    const lines = [
      ...basicThread(),
      sessionMeta({ cli_version: '1.0.0', instructions: 'x "quoted" \\ y', memory_mode: 'disabled' }),
      turnContext({ cwd: '/other', model: 'second' }),
      userMessage('later'),
      turnContext({ model: 'third', effort: 'low', approval_policy: 'never' }),
    ];
    await expectSameAsNaive(writeRollout(tempDir(), lines));
  });

  it('on memory signals in every layout', async () => {
    const lines = [
      ...basicThread(),
      citedAnswer('cited', [OTHER_ID, OTHER_ID]),
      citedAnswer('legacy section', [OTHER_ID], 'rollout_ids'),
      // Not an assistant answer, or no valid id: no citation.
      line('response_item', {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: `<oai-mem-citation><thread_ids>${OTHER_ID}</thread_ids>` }],
      }),
      citedAnswer('bad id', ['not-a-uuid']),
      line('response_item', {
        type: 'message',
        id: 'msg_1',
        role: 'assistant',
        content: [{ type: 'output_text', text: `<oai-mem-citation><thread_ids>${OTHER_ID}</thread_ids>` }],
      }),
      // Keys in another order: the parser decides.
      line('response_item', {
        content: [{ type: 'output_text', text: `<oai-mem-citation><thread_ids>${OTHER_ID}</thread_ids>` }],
        role: 'assistant',
        type: 'message',
      }),
      functionCall('exec_command', { arguments: '{"cmd":"echo mcp__x"}' }),
      functionCall('search', { namespace: 'mcp__docs__' }),
      event('mcp_tool_call_end', { call_id: 'c' }),
      webSearchCall(),
    ];
    await expectSameAsNaive(writeRollout(tempDir(), lines));
    const result = await extractRollout(writeRollout(tempDir(), lines), opts);
    expect(result.memory.citations.map((c) => c.threadIds)).toEqual([
      [OTHER_ID, OTHER_ID],
      [OTHER_ID],
      [OTHER_ID],
      [OTHER_ID],
    ]);
    expect(result.memory.polluting).toBe(true);
  });
});

describe.skipIf(realFiles.length === 0)('resuming real files', () => {
  it.each(realFiles)('%s in two steps equals one pass', async (file) => {
    const data = readFileSync(join(dir, file));
    const path = join(tempDir('resume'), file);
    writeFileSync(path, data);
    const once = await extractRollout(path, opts);
    for (const cut of [Math.floor(data.length / 3), Math.floor((data.length * 2) / 3)]) {
      writeFileSync(path, data.subarray(0, cut));
      const first = await extractRollout(path, opts);
      appendFileSync(path, data.subarray(cut));
      const second = await extractRollout(path, {
        ...opts,
        resume: { offset: first.offset, state: first.state },
      });
      if (data.length > 0 && once.meta?.updatedAt !== undefined && once.state.lastLineMs === null) {
        // Legacy files date updates by mtime, which the rewrite above changed.
        second.meta!.updatedAt = once.meta.updatedAt;
        second.state.meta!.updatedAt = once.state.meta!.updatedAt;
      }
      expect(mergePasses(first, second)).toEqual(once);
    }
  });
});
