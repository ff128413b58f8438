import { describe, expect, it } from 'vitest';
import { MemoriesSettingsPatch, type MemoriesSettingsView } from '../../../preload/contract/index.ts';
import {
  errorsFromDetails,
  formFromSettings,
  formIsDirty,
  NUMBER_FIELDS,
  patchFromForm,
  type SettingsForm,
} from './settings-form.ts';

/** The store's defaults (main/settings/memories-settings.ts). */
const DEFAULTS: MemoriesSettingsView = {
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
};

const edit = (patch: Partial<SettingsForm>, numbers: Partial<SettingsForm['numbers']> = {}): SettingsForm => {
  const f = formFromSettings(DEFAULTS);
  return { ...f, ...patch, numbers: { ...f.numbers, ...numbers } };
};

describe('settings form ⇄ patch', () => {
  it('an untouched form is clean and saves nothing', () => {
    const form = formFromSettings(DEFAULTS);
    expect(form.numbers.max_rollouts_per_startup).toBe('16');
    expect(form.extract_model).toBe('');
    expect(patchFromForm(form, DEFAULTS)).toEqual({ ok: true, patch: {} });
    expect(formIsDirty(form, DEFAULTS)).toBe(false);
    // Spaces around a value are not a change.
    expect(formIsDirty(edit({}, { max_unused_days: ' 30 ' }), DEFAULTS)).toBe(false);
  });

  it('sends only what changed, blank text as null (the default), and the patch passes the contract', () => {
    const form = edit(
      { enabled: true, extract_model: ' llama3.2 ', memory_root: '/srv/memories', use_memories: false },
      { max_rollouts_per_startup: '4', min_rollout_idle_hours: '1' },
    );
    const result = patchFromForm(form, DEFAULTS);
    expect(result).toEqual({
      ok: true,
      patch: {
        enabled: true,
        use_memories: false,
        max_rollouts_per_startup: 4,
        min_rollout_idle_hours: 1,
        extract_model: 'llama3.2',
        memory_root: '/srv/memories',
      },
    });
    if (result.ok) expect(MemoriesSettingsPatch.parse(result.patch)).toEqual(result.patch);
    const saved = { ...DEFAULTS, extract_model: 'llama3.2' };
    expect(patchFromForm(formFromSettings(saved), saved)).toEqual({ ok: true, patch: {} });
    expect(patchFromForm({ ...formFromSettings(saved), extract_model: '  ' }, saved)).toEqual({
      ok: true,
      patch: { extract_model: null },
    });
  });

  it('refuses numbers outside the seed ranges or not whole, naming the field', () => {
    const result = patchFromForm(
      edit(
        {},
        {
          max_rollouts_per_startup: '129',
          min_rollout_idle_hours: '0',
          max_unused_days: '2.5',
          max_rollout_age_days: '',
        },
      ),
      DEFAULTS,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        'numbers.max_rollouts_per_startup': 'Between 0 and 128',
        'numbers.min_rollout_idle_hours': 'Between 1 and 48',
        'numbers.max_unused_days': 'A whole number',
        'numbers.max_rollout_age_days': 'Required',
      },
    });
    for (const f of NUMBER_FIELDS) {
      expect(patchFromForm(edit({}, { [f.key]: String(f.max) }), DEFAULTS).ok).toBe(true);
      expect(patchFromForm(edit({}, { [f.key]: String(f.min) }), DEFAULTS).ok).toBe(true);
    }
  });

  it('builds each provider, keeps the others’ fields while switching, and validates them', () => {
    const compat = edit({ provider: 'openai-compatible', compatBaseUrl: 'http://127.0.0.1:11434/v1' });
    expect(patchFromForm(compat, DEFAULTS)).toEqual({
      ok: true,
      patch: {
        provider: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', apiKeyEnv: null },
      },
    });
    expect(patchFromForm({ ...compat, compatKeyEnv: 'OLLAMA_KEY' }, DEFAULTS)).toMatchObject({
      patch: { provider: { apiKeyEnv: 'OLLAMA_KEY' } },
    });
    // The OpenAI provider starts from its defaults.
    expect(patchFromForm(edit({ provider: 'openai' }), DEFAULTS)).toEqual({
      ok: true,
      patch: {
        provider: { kind: 'openai', apiKeyEnv: 'OPENAI_API_KEY', baseUrl: 'https://api.openai.com/v1' },
      },
    });
    // Switching back to the saved provider is no change.
    expect(patchFromForm({ ...compat, provider: 'codex-cli' }, DEFAULTS)).toEqual({ ok: true, patch: {} });
    expect(
      patchFromForm(edit({ provider: 'openai-compatible', compatBaseUrl: 'localhost:11434' }), DEFAULTS),
    ).toEqual({
      ok: false,
      errors: { compatBaseUrl: 'Must be an http(s) URL' },
    });
    expect(patchFromForm(edit({ provider: 'openai-compatible' }), DEFAULTS)).toEqual({
      ok: false,
      errors: { compatBaseUrl: 'Required' },
    });
    expect(
      patchFromForm(
        edit({ provider: 'openai', openaiKeyEnv: 'sk-abc', openaiBaseUrl: 'not a url' }),
        DEFAULTS,
      ),
    ).toEqual({
      ok: false,
      errors: {
        openaiKeyEnv: 'An environment variable name (letters, digits, _)',
        openaiBaseUrl: 'Not a URL (e.g. http://localhost:11434/v1)',
      },
    });
    expect(patchFromForm(edit({ codexCommand: ' ' }), DEFAULTS)).toMatchObject({
      ok: false,
      errors: { codexCommand: expect.stringContaining('Required') },
    });
  });

  it('reads a saved provider back into its fields', () => {
    const saved: MemoriesSettingsView = {
      ...DEFAULTS,
      provider: { kind: 'openai-compatible', baseUrl: 'http://h:1/v1', apiKeyEnv: 'K' },
    };
    const form = formFromSettings(saved);
    expect(form).toMatchObject({
      provider: 'openai-compatible',
      compatBaseUrl: 'http://h:1/v1',
      compatKeyEnv: 'K',
    });
    expect(form.codexCommand).toBe('codex');
    expect(formIsDirty(form, saved)).toBe(false);
  });

  it('places main’s validation details on the fields they name', () => {
    expect(
      errorsFromDetails(
        [
          'provider.baseUrl: Invalid URL',
          'memories.max_unused_days: Expected number',
          'memory_root: Too small',
          'odd',
        ],
        'openai-compatible',
      ),
    ).toEqual({
      compatBaseUrl: 'Invalid URL',
      'numbers.max_unused_days': 'Expected number',
      memory_root: 'Too small',
      form: 'odd',
    });
  });
});
