import { describe, expect, it } from 'vitest';
import {
  parseSource,
  parseThreadSource,
  sourceBadgeText,
  sourceKindClass,
  sourceKindLabel,
} from './thread-source.ts';

const badge = (raw: string, nickname: string | null = null): string =>
  sourceBadgeText(parseSource(raw, nickname));

describe('parseThreadSource', () => {
  const t = (source: string, originator: string | null) => ({
    source,
    agentNickname: null,
    agentRole: null,
    originator,
  });
  it('shows vscode threads written by the desktop app as desktop, and nothing else', () => {
    expect(sourceBadgeText(parseThreadSource(t('vscode', 'Codex Desktop')))).toBe('desktop');
    expect(sourceBadgeText(parseThreadSource(t('vscode', 'codex_vscode')))).toBe('vscode');
    expect(sourceBadgeText(parseThreadSource(t('vscode', null)))).toBe('vscode');
    expect(sourceBadgeText(parseThreadSource(t('cli', 'Codex Desktop')))).toBe('cli');
    expect(parseThreadSource(t('vscode', 'Codex Desktop')).kind).toBe('vscode');
  });
});

describe('parseSource', () => {
  it('reads the bare encodings', () => {
    expect(badge('cli')).toBe('cli');
    expect(badge('vscode')).toBe('vscode');
    expect(badge('exec')).toBe('exec');
    expect(parseSource('"mcp"').kind).toBe('mcp');
    expect(parseSource('').kind).toBe('unknown');
    expect(parseSource('desktop')).toEqual({ kind: 'other', label: 'desktop', detail: null });
  });

  it('reads sub-agent JSON, preferring the nickname', () => {
    expect(badge('{"subagent":"review"}')).toBe('sub-agent · review');
    expect(badge('{"subagent":"memory_consolidation"}', 'Morpheus')).toBe('sub-agent · Morpheus');
    const spawn =
      '{"subagent":{"thread_spawn":{"parent_thread_id":"019c755e-168e-73c1-951b-0ef453bde2ee","depth":1,"agent_nickname":"Atlas","agent_role":"explorer"}}}';
    expect(badge(spawn)).toBe('sub-agent · Atlas');
    expect(badge('{"subagent":{"thread_spawn":{"parent_thread_id":"x","depth":1}}}')).toBe('sub-agent');
    expect(badge('{"subagent":{"thread_spawn":{"depth":1}}}', 'Nova')).toBe('sub-agent · Nova');
    expect(badge('{"subagent":{"other":"custom"}}')).toBe('sub-agent · custom');
  });

  it('answers each call for its own nickname and role (decoded sources are reused)', () => {
    const raw = '{"subagent":"review"}';
    expect(badge(raw)).toBe('sub-agent · review');
    expect(badge(raw, 'Morpheus')).toBe('sub-agent · Morpheus');
    expect(badge(raw)).toBe('sub-agent · review');
    const spawn = '{"subagent":{"thread_spawn":{"depth":1}}}';
    expect(sourceBadgeText(parseSource(spawn, null, 'explorer'))).toBe('sub-agent · explorer');
    expect(sourceBadgeText(parseSource(spawn, null, null))).toBe('sub-agent');
    expect(parseSource('cli')).toBe(parseSource('cli'));
  });

  it('keeps unfamiliar JSON visible as "other"', () => {
    expect(parseSource('{"future":1}')).toEqual({ kind: 'other', label: 'other', detail: '{"future":1}' });
  });
});

describe('source kinds', () => {
  it('labels the kinds of the source filter', () => {
    expect(sourceKindLabel('cli')).toBe('CLI');
    expect(sourceKindLabel('vscode')).toBe('IDE (VS Code)');
    expect(sourceKindLabel('subagent')).toBe('Sub-agent');
    expect(sourceKindLabel('desktop')).toBe('desktop');
    expect(sourceKindLabel('')).toBe('Unknown');
    expect(sourceKindClass('subagent')).toBe('subagent');
    expect(sourceKindClass('exec')).toBe('exec');
  });
});
