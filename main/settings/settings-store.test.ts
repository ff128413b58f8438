import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { MemoriesSettings } from './memories-settings.ts';
import { SettingsError, SettingsStore } from './settings-store.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const dir = (): string => {
  const t = makeTempDir('threadscope-settings-');
  cleanups.push(t.cleanup);
  return t.dir;
};

describe('memories settings (seed §5.2)', () => {
  it("has the seed's defaults, with the pipeline off until enabled", () => {
    expect(MemoriesSettings.parse({})).toEqual({
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
      consolidation_model: null,
      memory_root: null,
      provider: { kind: 'codex-cli', command: 'codex' },
    });
  });

  it('clamps out-of-range numbers like the seed and rejects unknown keys', () => {
    const s = MemoriesSettings.parse({
      max_raw_memories_for_consolidation: 10_000,
      max_unused_days: -5,
      max_rollout_age_days: 365,
      max_rollouts_per_startup: 500,
      min_rollout_idle_hours: 0,
    });
    expect(s).toMatchObject({
      max_raw_memories_for_consolidation: 4096,
      max_unused_days: 0,
      max_rollout_age_days: 90,
      max_rollouts_per_startup: 128,
      min_rollout_idle_hours: 1,
    });
    expect(MemoriesSettings.safeParse({ phase_1_model: 'x' }).success).toBe(false); // renamed in #13237
    expect(MemoriesSettings.safeParse({ provider: { kind: 'openai-compatible' } }).success).toBe(false);
  });
});

describe('SettingsStore', () => {
  it('saves atomically and reads back', () => {
    const d = dir();
    const store = new SettingsStore(d);
    expect(store.get().memories.enabled).toBe(false);
    store.updateMemories({
      enabled: true,
      provider: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1' },
    });
    const again = new SettingsStore(d);
    expect(again.get().memories).toMatchObject({
      enabled: true,
      provider: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', apiKeyEnv: null },
    });
    expect(existsSync(join(d, 'settings.json.tmp'))).toBe(false);
  });

  it('refuses an invalid update and keeps the previous settings', () => {
    const store = new SettingsStore(dir());
    expect(() => store.updateMemories({ provider: { kind: 'openai', baseUrl: 'not a url' } })).toThrow(
      SettingsError,
    );
    expect(store.get().memories.provider.kind).toBe('codex-cli');
  });

  it('reports a broken file, uses the defaults, and keeps the broken file aside when saving', () => {
    const d = dir();
    writeFileSync(join(d, 'settings.json'), '{"memories": {"enabled": "yes"}}');
    const store = new SettingsStore(d);
    expect(store.problem).toMatch(/memories\.enabled/);
    expect(store.get().memories.enabled).toBe(false);
    store.updateMemories({ enabled: true });
    expect(store.problem).toBeNull();
    expect(readFileSync(join(d, 'settings.json.invalid'), 'utf8')).toContain('"yes"');
    writeFileSync(join(d, 'settings.json'), 'not json');
    expect(new SettingsStore(d).problem).toMatch(/not JSON/);
  });
});
