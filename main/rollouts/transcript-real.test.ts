import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TranscriptItem } from '../../preload/contract/transcript.ts';
import { TranscriptItem as TranscriptItemSchema } from '../../preload/contract/transcript.ts';
import { haveRealFixtures, NO_FIXTURES_MESSAGE, realFixturesDir } from '../test-support/fixture-home.ts';
import { readTranscriptPage } from './transcript.ts';
import { findInTranscript } from './transcript-find.ts';
import { readTranscriptOutline } from './transcript-outline.ts';

const BIG =
  'seokhyeonhong__motion-jepa__rollout-2026-07-26T06-37-23-019f9b36-1e6d-7651-9801-5450483871e2.jsonl';
const LEGACY =
  'soichiro-nitta__dotfiles__rollout-2025-08-25T21-06-52-8a837827-6a97-40ad-9fc8-905176aa9307.jsonl';
const WINDOWS =
  'Fatdevil__GolfIQ-YOLO__rollout-2025-09-23T20-30-57-019977d7-d30a-7202-ae9b-946b851efde4.jsonl';
const EXEC_MCP =
  'jarvis-systems__brain-node__rollout-2025-12-09T02-46-36-019b0093-0f99-75e3-9b62-65da9e3c9e61.jsonl';

const fixture = (name: string) => join(realFixturesDir, name);

async function allItems(path: string): Promise<TranscriptItem[]> {
  const out: TranscriptItem[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await readTranscriptPage(path, offset, 500);
    out.push(...page.items);
    if (offset + 500 >= page.total) return out;
  }
}

function countKinds(items: TranscriptItem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of items) {
    const k = `${i.kind}${i.hidden ? ' (hidden)' : ''}`;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

describe.skipIf(!haveRealFixtures)(
  `transcripts of the real fixtures${haveRealFixtures ? '' : ` (${NO_FIXTURES_MESSAGE})`}`,
  () => {
    it('reads every fixture: one valid item per non-blank line, no encrypted content, no unpaired outputs', async () => {
      const names = (await import('node:fs'))
        .readdirSync(realFixturesDir)
        .filter((n) => n.endsWith('.jsonl'));
      expect(names.length).toBeGreaterThanOrEqual(15);
      for (const name of names) {
        const path = fixture(name);
        const lines = readFileSync(path, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '');
        const items = await allItems(path);
        expect(
          items.map((i) => i.position),
          name,
        ).toEqual(lines.map((_, k) => k));
        for (const i of items)
          expect(TranscriptItemSchema.safeParse(i).success, `${name}:${i.position}`).toBe(true);
        expect(
          items.filter((i) => i.kind === 'invalid'),
          name,
        ).toEqual([]);
        const json = JSON.stringify(items);
        for (const l of lines) {
          const m = /"encrypted_content":"([^"]{60})/.exec(l);
          if (m) expect(json.includes(m[1]!), name).toBe(false);
        }
        // Every output lands in its call's card, except patches applied from inside code-mode scripts.
        expect(
          items
            .filter((i) => i.kind === 'tool_output' && !i.hidden && !i.callId?.startsWith('exec-'))
            .map((i) => i.position),
          name,
        ).toEqual([]);
      }
    });

    it('maps the largest, newest-format thread', async () => {
      const items = await allItems(fixture(BIG));
      expect(countKinds(items)).toMatchObject({
        turn_start: 26,
        turn_end: 26,
        'message (hidden)': 99,
        'tool_output (hidden)': 195,
        compaction: 1,
        plan: 5,
        'token_count (hidden)': 199,
      });
      const visibleUser = items.filter(
        (i) => i.kind === 'message' && !i.hidden && i.role === 'user' && !i.injected,
      );
      expect(visibleUser).toHaveLength(25);
      expect(items[10]).toMatchObject({ kind: 'message', role: 'user', injected: false });
      expect(items[15]).toMatchObject({
        kind: 'tool_call',
        name: 'exec_command',
        call: { tool: 'shell', workdir: '/source/seokhyeon/motion-jepa/motion-jepa' },
        result: {
          exitCode: 1,
          success: false,
          output: { text: 'bwrap: Failed to make / slave: Permission denied\n' },
        },
      });
      const patch = items.find((i) => i.kind === 'tool_call' && i.call.tool === 'patch');
      expect(patch).toMatchObject({
        name: 'apply_patch',
        call: {
          patch: {
            text: expect.stringMatching(/^\*\*\* Begin Patch\n\*\*\* Update File: \.gitignore/) as string,
          },
        },
        result: {
          success: true,
          changes: expect.arrayContaining([expect.objectContaining({ change: 'add' })]) as unknown,
        },
      });
      const images = items.flatMap((i) => (i.kind === 'tool_call' && i.result ? i.result.images : []));
      expect(images).toHaveLength(3);
      expect(images.every((img) => img.dataUrl?.startsWith('data:image/png;base64,'))).toBe(true);
      expect(items.filter((i) => i.kind === 'tool_call' && i.name === 'web_search')).toHaveLength(3);
    });

    it('maps the legacy (pre-envelope) thread', async () => {
      const items = await allItems(fixture(LEGACY));
      expect(countKinds(items)).toEqual({
        session_meta: 1,
        'unknown (hidden)': 69,
        message: 13,
        reasoning: 12,
        'reasoning (hidden)': 9,
        tool_call: 26,
        'tool_output (hidden)': 26,
      });
      expect(items[0]).toMatchObject({
        kind: 'session_meta',
        threadId: '8a837827-6a97-40ad-9fc8-905176aa9307',
      });
      expect(items[8]).toMatchObject({
        kind: 'message',
        role: 'user',
        text: { text: 'あなたのグローバルルールはどこに設定すればいい？' },
      });
      const shell = items.find(
        (i) => i.kind === 'tool_call' && i.name === 'shell' && i.result?.exitCode === 0,
      );
      expect(shell).toMatchObject({ call: { tool: 'shell' }, result: { success: true } });
    });

    it('maps an MCP call with its JSON output', async () => {
      const items = await allItems(fixture(EXEC_MCP));
      expect(items.find((i) => i.kind === 'tool_call')).toMatchObject({
        call: { tool: 'mcp', server: 'vector-memory', name: 'get_memory_stats' },
        result: { output: { text: expect.stringContaining('"total_memories":38') as string } },
      });
    });

    it('outlines turns, tools, errors and compactions with token usage', async () => {
      const big = await readTranscriptOutline(fixture(BIG));
      expect(big.total).toBe(1179);
      expect(big.turns).toHaveLength(26);
      expect(big.turns[0]).toMatchObject({
        position: 3,
        messagePosition: 10,
        endPosition: 122,
        status: 'complete',
        durationMs: 268744,
        toolCalls: 17,
      });
      expect(big.turns[0]!.label).toMatch(/^이 프로젝트에 맞는 데이터셋을 처리할 거야/);
      expect(big.turns.filter((t) => t.status === 'aborted')).toHaveLength(1);
      expect(big.counts.compactions).toBe(1);
      expect(big.entries.filter((e) => e.kind === 'compaction')).toHaveLength(1);
      expect(big.totalTokens?.total).toBe(26259431);
      const sum = big.turns.reduce((s, t) => s + (t.tokens?.total ?? 0), 0);
      expect(sum).toBe(26259431);
      expect(big.entries.find((e) => e.position === 15)).toMatchObject({
        kind: 'tool',
        label: 'exec_command',
        failed: true,
        turn: 0,
      });
      expect(await readTranscriptOutline(fixture(BIG))).toBe(big); // cached

      const win = await readTranscriptOutline(fixture(WINDOWS));
      expect(win.turns).toHaveLength(57);
      expect(win.entries.filter((e) => e.kind === 'aborted')).toHaveLength(4);
      expect(win.counts.toolCalls).toBe(400);
      const legacy = await readTranscriptOutline(fixture(LEGACY));
      expect(legacy.turns.map((t) => t.label)[1]).toBe('あなたのグローバルルールはどこに設定すればいい？');
      expect(legacy.totalTokens).toBeNull();
    });

    it('finds text case-insensitively at drawn positions', async () => {
      const found = await findInTranscript(fixture(BIG), 'VISER', 1000);
      expect(found.truncated).toBe(false);
      expect(found.positions[0]).toBe(10);
      expect(found.positions.length).toBeGreaterThan(50);
      const items = await allItems(fixture(BIG));
      for (const p of found.positions) expect(items[p]!.hidden, String(p)).toBe(false);
      const capped = await findInTranscript(fixture(BIG), 'viser', 5);
      expect(capped).toMatchObject({ positions: found.positions.slice(0, 5), truncated: true });
      expect((await findInTranscript(fixture(LEGACY), 'AGENTS.md', 1000)).positions.length).toBeGreaterThan(
        0,
      );
      expect((await findInTranscript(fixture(BIG), 'no such text anywhere 42', 10)).positions).toEqual([]);
    });
  },
);
