import type {
  MemoriesProviderSettings,
  MemoriesSettingsPatch,
  MemoriesSettingsView,
} from '../../../preload/contract/index.ts';

/** Seed §5.2: the models used when none is configured. */
export const DEFAULT_EXTRACT_MODEL = 'gpt-5.1-codex-mini';
export const DEFAULT_CONSOLIDATION_MODEL = 'gpt-5.3-codex';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_OPENAI_KEY_ENV = 'OPENAI_API_KEY';
export const DEFAULT_CODEX_COMMAND = 'codex';

export type NumberField =
  | 'max_rollouts_per_startup'
  | 'max_rollout_age_days'
  | 'min_rollout_idle_hours'
  | 'max_raw_memories_for_consolidation'
  | 'max_unused_days';

export type FlagField = 'generate_memories' | 'use_memories' | 'no_memories_if_mcp_or_web_search';

/** The seed's limits: label, meaning, range (the store clamps to it; the form refuses outside it). */
export const NUMBER_FIELDS: readonly {
  key: NumberField;
  label: string;
  unit: string;
  min: number;
  max: number;
  dflt: number;
  hint: string;
}[] = [
  {
    key: 'max_rollouts_per_startup',
    label: 'Max rollouts per run',
    unit: '',
    min: 0,
    max: 128,
    dflt: 16,
    hint: 'Phase 1 claims at most this many threads per run; also the cap on extractions running at once.',
  },
  {
    key: 'max_rollout_age_days',
    label: 'Max rollout age',
    unit: 'days',
    min: 0,
    max: 90,
    dflt: 30,
    hint: 'Phase 1 ignores threads last updated longer ago than this.',
  },
  {
    key: 'min_rollout_idle_hours',
    label: 'Min idle time',
    unit: 'hours',
    min: 1,
    max: 48,
    dflt: 6,
    hint: 'A thread must have been idle this long before it is summarised (so live work is not).',
  },
  {
    key: 'max_raw_memories_for_consolidation',
    label: 'Max raw memories for consolidation',
    unit: '',
    min: 0,
    max: 4096,
    dflt: 256,
    hint: 'Phase 2 consolidates the top N outputs, ranked by usage, last use and freshness. 0 turns phase 2 off.',
  },
  {
    key: 'max_unused_days',
    label: 'Max unused days',
    unit: 'days',
    min: 0,
    max: 365,
    dflt: 30,
    hint: 'Outputs not used (or updated) for this long leave phase 2 and are pruned.',
  },
];

export const FLAG_FIELDS: readonly { key: FlagField; label: string; hint: string }[] = [
  {
    key: 'generate_memories',
    label: 'Generate memories for new threads',
    hint: 'Off: new threads start with memory mode “disabled” and are never summarised.',
  },
  {
    key: 'use_memories',
    label: 'Use memories in turns',
    hint: 'Off: Codex is not told to read memory_summary.md and the memory files in its turns.',
  },
  {
    key: 'no_memories_if_mcp_or_web_search',
    label: 'Skip threads that used MCP tools or web search',
    hint: 'On: such a thread is marked “polluted” and its memory is forgotten at the next consolidation.',
  },
];

export type ProviderKind = MemoriesProviderSettings['kind'];

/** Everything the Settings tab edits, as typed (numbers as text, blank = default). */
export interface SettingsForm {
  enabled: boolean;
  generate_memories: boolean;
  use_memories: boolean;
  no_memories_if_mcp_or_web_search: boolean;
  numbers: Record<NumberField, string>;
  extract_model: string;
  consolidation_model: string;
  memory_root: string;
  provider: ProviderKind;
  /** Each provider's fields are kept while another one is picked, so switching back loses nothing. */
  codexCommand: string;
  openaiKeyEnv: string;
  openaiBaseUrl: string;
  compatBaseUrl: string;
  compatKeyEnv: string;
}

/** Field name → what is wrong with it (`numbers.<key>` for the limits). */
export type FormErrors = Partial<Record<string, string>>;

export function formFromSettings(s: MemoriesSettingsView): SettingsForm {
  const p = s.provider;
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((f) => [f.key, String(s[f.key])])) as Record<
    NumberField,
    string
  >;
  return {
    enabled: s.enabled,
    generate_memories: s.generate_memories,
    use_memories: s.use_memories,
    no_memories_if_mcp_or_web_search: s.no_memories_if_mcp_or_web_search,
    numbers,
    extract_model: s.extract_model ?? '',
    consolidation_model: s.consolidation_model ?? '',
    memory_root: s.memory_root ?? '',
    provider: p.kind,
    codexCommand: p.kind === 'codex-cli' ? p.command : DEFAULT_CODEX_COMMAND,
    openaiKeyEnv: p.kind === 'openai' ? p.apiKeyEnv : DEFAULT_OPENAI_KEY_ENV,
    openaiBaseUrl: p.kind === 'openai' ? p.baseUrl : DEFAULT_OPENAI_BASE_URL,
    compatBaseUrl: p.kind === 'openai-compatible' ? p.baseUrl : '',
    compatKeyEnv: p.kind === 'openai-compatible' ? (p.apiKeyEnv ?? '') : '',
  };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkUrl(value: string): string | null {
  if (value === '') return 'Required';
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'Must be an http(s) URL';
  } catch {
    return 'Not a URL (e.g. http://localhost:11434/v1)';
  }
}

function checkEnv(value: string): string | null {
  return ENV_NAME.test(value) ? null : 'An environment variable name (letters, digits, _)';
}

/** The provider the form describes, or the errors that stop it. */
function providerOf(f: SettingsForm, errors: FormErrors): MemoriesProviderSettings | null {
  const put = (field: string, problem: string | null): void => {
    if (problem) errors[field] = problem;
  };
  if (f.provider === 'codex-cli') {
    const command = f.codexCommand.trim();
    put('codexCommand', command ? null : 'Required (e.g. codex, or a full path)');
    return command ? { kind: 'codex-cli', command } : null;
  }
  if (f.provider === 'openai') {
    const apiKeyEnv = f.openaiKeyEnv.trim();
    const baseUrl = f.openaiBaseUrl.trim() || DEFAULT_OPENAI_BASE_URL;
    const envProblem = checkEnv(apiKeyEnv);
    const urlProblem = checkUrl(baseUrl);
    put('openaiKeyEnv', envProblem);
    put('openaiBaseUrl', urlProblem);
    return envProblem || urlProblem ? null : { kind: 'openai', apiKeyEnv, baseUrl };
  }
  const baseUrl = f.compatBaseUrl.trim();
  const keyEnv = f.compatKeyEnv.trim();
  const urlProblem = checkUrl(baseUrl);
  const envProblem = keyEnv === '' ? null : checkEnv(keyEnv);
  put('compatBaseUrl', urlProblem);
  put('compatKeyEnv', envProblem);
  return urlProblem || envProblem
    ? null
    : { kind: 'openai-compatible', baseUrl, apiKeyEnv: keyEnv === '' ? null : keyEnv };
}

function sameProvider(a: MemoriesProviderSettings, b: MemoriesProviderSettings): boolean {
  return JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());
}

export type FormResult = { ok: true; patch: MemoriesSettingsPatch } | { ok: false; errors: FormErrors };

/**
 * The patch that turns `saved` into what the form says: only the fields that changed (so a save never
 * overwrites a setting changed meanwhile elsewhere), or every problem found. Blank text = the default.
 */
export function patchFromForm(form: SettingsForm, saved: MemoriesSettingsView): FormResult {
  const errors: FormErrors = {};
  const patch: MemoriesSettingsPatch = {};

  for (const key of [
    'enabled',
    'generate_memories',
    'use_memories',
    'no_memories_if_mcp_or_web_search',
  ] as const)
    if (form[key] !== saved[key]) patch[key] = form[key];

  for (const f of NUMBER_FIELDS) {
    const text = form.numbers[f.key].trim();
    if (!/^\d+$/.test(text)) {
      errors[`numbers.${f.key}`] = text === '' ? 'Required' : 'A whole number';
      continue;
    }
    const n = Number(text);
    if (n < f.min || n > f.max) {
      errors[`numbers.${f.key}`] = `Between ${f.min} and ${f.max}`;
      continue;
    }
    if (n !== saved[f.key]) patch[f.key] = n;
  }

  for (const key of ['extract_model', 'consolidation_model', 'memory_root'] as const) {
    const value = form[key].trim() || null;
    if (value !== saved[key]) patch[key] = value;
  }

  const provider = providerOf(form, errors);
  if (provider && !sameProvider(provider, saved.provider)) patch.provider = provider;

  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, patch };
}

/** Whether the form differs from what is saved (ignoring blank-vs-default and surrounding spaces). */
export function formIsDirty(form: SettingsForm, saved: MemoriesSettingsView): boolean {
  const result = patchFromForm(form, saved);
  return !result.ok || Object.keys(result.patch).length > 0;
}

/**
 * Main's validation problems (the router's details, `provider.baseUrl: Invalid URL`, or the settings
 * store's `memories.provider.baseUrl: Invalid URL` lines) placed on the form field they name; whatever
 * names no field is returned under `form`.
 */
export function errorsFromDetails(details: readonly string[] | undefined, kind: ProviderKind): FormErrors {
  const errors: FormErrors = {};
  const providerField: Record<ProviderKind, Record<string, string>> = {
    'codex-cli': { command: 'codexCommand' },
    openai: { apiKeyEnv: 'openaiKeyEnv', baseUrl: 'openaiBaseUrl' },
    'openai-compatible': { apiKeyEnv: 'compatKeyEnv', baseUrl: 'compatBaseUrl' },
  };
  const numbers = new Set<string>(NUMBER_FIELDS.map((f) => f.key));
  for (const line of details ?? []) {
    // The settings store prefixes its paths with the section (`memories.provider.baseUrl: …`).
    const m = /^(?:memories\.)?([\w.]+):\s*(.+)$/.exec(line);
    const [path, message] = m ? [m[1]!, m[2]!] : ['', line];
    const [head, sub] = path.split('.');
    let field = 'form';
    if (head === 'provider' && sub && providerField[kind][sub]) field = providerField[kind][sub];
    else if (head && numbers.has(head)) field = `numbers.${head}`;
    else if (head === 'extract_model' || head === 'consolidation_model' || head === 'memory_root')
      field = head;
    errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
  }
  return errors;
}
