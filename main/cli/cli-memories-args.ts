import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ThreadId } from '../../preload/contract/common.ts';
import {
  MemoriesProviderSettings,
  type MemoriesSettingsPatch,
  type MemoriesSettingsView,
} from '../../preload/contract/memories.ts';
import { defaultCodexHome, defaultDataDir } from '../core/paths.ts';
import { MemoriesSettings } from '../settings/memories-settings.ts';

interface MemoriesBase {
  command: 'memories';
  codexHome: string;
  dataDir: string;
  json: boolean;
}

export type MemoriesCommand = MemoriesBase &
  (
    | { action: 'status' }
    | { action: 'jobs' }
    | { action: 'files' }
    | { action: 'run' }
    | { action: 'outputs'; limit: number }
    /** `enable`, `disable` and `set` are all one settings patch. */
    | { action: 'set'; patch: MemoriesSettingsPatch }
    /** `clear` is `reset` (Codex's `debug clear-memories` is the fresh-start reset). */
    | { action: 'drop' | 'reset'; yes: boolean }
    | { action: 'mode'; threadId: string; mode: 'enabled' | 'disabled' | null }
    | { action: 'cat'; path: string }
  );

/** A bad `memories` argument; `parseCli` turns it into a usage error (exit 2). */
export class MemoriesArgError extends Error {}

type SettingKey = Exclude<keyof MemoriesSettingsView, 'provider'>;

/** How `set KEY VALUE` reads each value (a settings field missing here is a compile error). */
export const SETTING_KINDS: Record<SettingKey, 'boolean' | 'count' | 'text' | 'path'> = {
  enabled: 'boolean',
  generate_memories: 'boolean',
  use_memories: 'boolean',
  no_memories_if_mcp_or_web_search: 'boolean',
  max_raw_memories_for_consolidation: 'count',
  max_unused_days: 'count',
  max_rollout_age_days: 'count',
  max_rollouts_per_startup: 'count',
  min_rollout_idle_hours: 'count',
  extract_model: 'text',
  consolidation_model: 'text',
  memory_root: 'path',
};

export const PROVIDER_KINDS = MemoriesProviderSettings.options.map((o) => o.shape.kind.value);
const DEFAULTS = MemoriesSettings.parse({});
const TRUE = ['true', 'on', 'yes', '1'];
const FALSE = ['false', 'off', 'no', '0'];
export const OUTPUTS_MAX = 5000;

const isSettingKey = (k: string): k is SettingKey => Object.hasOwn(SETTING_KINDS, k);

/** One `set` value; `default` restores the built-in default (null for models and the root). */
function settingValue(key: SettingKey, raw: string): MemoriesSettingsPatch[SettingKey] {
  if (raw === 'default') return DEFAULTS[key];
  switch (SETTING_KINDS[key]) {
    case 'boolean': {
      const v = raw.toLowerCase();
      if (TRUE.includes(v)) return true;
      if (FALSE.includes(v)) return false;
      throw new MemoriesArgError(`memories set: ${key} is true or false, not ${raw}`);
    }
    case 'count': {
      const n = /^[+-]?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(n))
        throw new MemoriesArgError(`memories set: ${key} is a whole number, not ${raw}`);
      return n;
    }
    case 'text':
      if (raw.trim() === '') throw new MemoriesArgError(`memories set: ${key} cannot be empty (or: default)`);
      return raw;
    case 'path':
      if (raw.trim() === '') throw new MemoriesArgError(`memories set: ${key} cannot be empty (or: default)`);
      return resolve(raw);
  }
}

interface ProviderFlags {
  kind: string;
  baseUrl: string | undefined;
  apiKeyEnv: string | undefined;
  command: string | undefined;
}

/** The whole provider object (the contract has no partial provider): defaults fill what is not given. */
function providerSettings(f: ProviderFlags): MemoriesProviderSettings {
  const not = (flag: string, given: string | undefined): void => {
    if (given !== undefined)
      throw new MemoriesArgError(`memories set: --${flag} does not apply to --provider ${f.kind}`);
  };
  let candidate: unknown;
  if (f.kind === 'codex-cli') {
    not('base-url', f.baseUrl);
    not('api-key-env', f.apiKeyEnv);
    candidate = { kind: f.kind, command: f.command ?? 'codex' };
  } else if (f.kind === 'openai') {
    not('command', f.command);
    candidate = {
      kind: f.kind,
      apiKeyEnv: f.apiKeyEnv ?? 'OPENAI_API_KEY',
      baseUrl: f.baseUrl ?? 'https://api.openai.com/v1',
    };
  } else if (f.kind === 'openai-compatible') {
    not('command', f.command);
    if (f.baseUrl === undefined)
      throw new MemoriesArgError(
        'memories set: --provider openai-compatible needs --base-url (e.g. http://127.0.0.1:11434/v1)',
      );
    candidate = { kind: f.kind, baseUrl: f.baseUrl, apiKeyEnv: f.apiKeyEnv ?? null };
  } else {
    throw new MemoriesArgError(
      `memories set: --provider is one of ${PROVIDER_KINDS.join(', ')}, not ${f.kind}`,
    );
  }
  const parsed = MemoriesProviderSettings.safeParse(candidate);
  if (!parsed.success)
    throw new MemoriesArgError(
      `memories set: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

const common = {
  'codex-home': { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const;

const ACTIONS = 'status, jobs, outputs, files, cat, run, enable, disable, set, mode, drop, reset (or clear)';

export function parseMemoriesArgs(argv: string[]): MemoriesCommand {
  const [action, ...rest] = argv;
  if (!action) throw new MemoriesArgError(`memories: no action given (${ACTIONS})`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...common,
      limit: { type: 'string' },
      wait: { type: 'boolean' },
      'no-wait': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      provider: { type: 'string' },
      'base-url': { type: 'string' },
      'api-key-env': { type: 'string' },
      command: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const base: MemoriesBase = {
    command: 'memories',
    codexHome: values['codex-home'] ?? defaultCodexHome(),
    dataDir: values['data-dir'] ?? defaultDataDir(),
    json: values.json ?? false,
  };
  const name = action === 'clear' ? 'reset' : action;
  // Each action's own options; any other given option is an error, not silently ignored.
  const own: Record<string, readonly string[]> = {
    outputs: ['limit'],
    run: ['wait', 'no-wait'],
    set: ['provider', 'base-url', 'api-key-env', 'command'],
    drop: ['yes'],
    reset: ['yes'],
  };
  if (!['status', 'jobs', 'files', 'cat', 'enable', 'disable', 'mode', ...Object.keys(own)].includes(name))
    throw new MemoriesArgError(`memories: unknown action ${action} (${ACTIONS})`);
  for (const [opt, v] of Object.entries(values))
    if (v !== undefined && !(opt in common) && !(own[name] ?? []).includes(opt))
      throw new MemoriesArgError(`memories ${action}: --${opt} does not apply here`);
  const arity = (n: number, what: string): void => {
    if (positionals.length !== n)
      throw new MemoriesArgError(
        `memories ${action}: ${n === 0 ? 'takes no arguments' : `give ${what}`} (got ${positionals.length === 0 ? 'none' : positionals.join(' ')})`,
      );
  };

  switch (name) {
    case 'status':
    case 'jobs':
    case 'files':
      arity(0, '');
      return { ...base, action: name };
    case 'outputs': {
      arity(0, '');
      const limit = values.limit === undefined ? 500 : /^\d+$/.test(values.limit) ? Number(values.limit) : 0;
      if (limit < 1 || limit > OUTPUTS_MAX)
        throw new MemoriesArgError(`memories outputs: --limit is a number from 1 to ${OUTPUTS_MAX}`);
      return { ...base, action: 'outputs', limit };
    }
    case 'run':
      arity(0, '');
      if (values['no-wait'])
        throw new MemoriesArgError(
          'memories run: --no-wait is not possible here: the pipeline runs inside this command and would be ' +
            'cancelled when it exits (its jobs losing a retry). Run it in the background with the desktop app ' +
            'or `npm run serve`, or put this command in the background yourself.',
        );
      return { ...base, action: 'run' };
    case 'enable':
    case 'disable':
      arity(0, '');
      return { ...base, action: 'set', patch: { enabled: name === 'enable' } };
    case 'set':
      return { ...base, action: 'set', patch: parseSet(positionals, values) };
    case 'drop':
    case 'reset':
      arity(0, '');
      return { ...base, action: name, yes: values.yes ?? false };
    case 'mode': {
      if (positionals.length < 1 || positionals.length > 2)
        arity(2, 'a thread ID and optionally enabled or disabled');
      const id = ThreadId.safeParse(positionals[0]);
      if (!id.success)
        throw new MemoriesArgError(`memories mode: ${positionals[0]} is not a thread ID (UUID)`);
      const mode = positionals[1] ?? null;
      if (mode !== null && mode !== 'enabled' && mode !== 'disabled')
        throw new MemoriesArgError(`memories mode: the mode is enabled or disabled, not ${mode}`);
      return { ...base, action: 'mode', threadId: id.data, mode };
    }
    default: {
      arity(1, 'one path inside the memory root (see `memories files`)');
      const path = positionals[0] as string;
      if (path.startsWith('/') || path.split(/[\\/]/).includes('..'))
        throw new MemoriesArgError(
          `memories cat: ${path} must be a path inside the memory root, e.g. MEMORY.md`,
        );
      return { ...base, action: 'cat', path };
    }
  }
}

function parseSet(
  positionals: string[],
  values: { provider?: string; 'base-url'?: string; 'api-key-env'?: string; command?: string },
): MemoriesSettingsPatch {
  const pairs = [...positionals];
  if (pairs.length % 2 !== 0)
    throw new MemoriesArgError(`memories set: give KEY VALUE pairs (${pairs.at(-1)} has no value)`);
  const patch: Record<string, unknown> = {};
  let kind = values.provider;
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i] as string;
    const raw = pairs[i + 1] as string;
    if (key === 'provider') {
      if (kind !== undefined) throw new MemoriesArgError('memories set: the provider is given twice');
      kind = raw;
    } else if (isSettingKey(key)) patch[key] = settingValue(key, raw);
    else
      throw new MemoriesArgError(
        `memories set: unknown setting ${key} (${[...Object.keys(SETTING_KINDS), 'provider'].join(', ')})`,
      );
  }
  const flags = { baseUrl: values['base-url'], apiKeyEnv: values['api-key-env'], command: values.command };
  if (kind !== undefined) patch.provider = providerSettings({ kind, ...flags });
  else if (Object.values(flags).some((v) => v !== undefined))
    throw new MemoriesArgError('memories set: --base-url, --api-key-env and --command go with --provider');
  if (Object.keys(patch).length === 0)
    throw new MemoriesArgError(
      'memories set: give KEY VALUE (e.g. max_rollouts_per_startup 32) or --provider',
    );
  return patch as MemoriesSettingsPatch;
}
