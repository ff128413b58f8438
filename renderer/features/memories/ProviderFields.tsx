import { useId, type ReactNode } from 'react';
import { TextField } from './SettingsFields.tsx';
import {
  DEFAULT_CODEX_COMMAND,
  DEFAULT_OPENAI_BASE_URL,
  DEFAULT_OPENAI_KEY_ENV,
  type FormErrors,
  type ProviderKind,
  type SettingsForm,
} from './settings-form.ts';

const PROVIDERS: readonly { kind: ProviderKind; label: string; hint: ReactNode }[] = [
  {
    kind: 'codex-cli',
    label: 'Codex CLI',
    hint: (
      <>
        Runs <code>codex exec</code> with your existing Codex login; phase 2 works inside the memory root,
        without network.
      </>
    ),
  },
  {
    kind: 'openai',
    label: 'OpenAI API',
    hint: 'The Responses API with a key read from an environment variable (never stored).',
  },
  {
    kind: 'openai-compatible',
    label: 'OpenAI-compatible server',
    hint: 'Any Chat Completions endpoint with structured output, e.g. a local Ollama or vLLM.',
  },
];

/** The provider choice (radio cards) and the fields of the chosen one. */
export function ProviderFields({
  form,
  errors,
  onChange,
}: {
  form: SettingsForm;
  errors: FormErrors;
  onChange: (patch: Partial<SettingsForm>) => void;
}) {
  const name = useId();
  return (
    <>
      <div className="mem-providers" role="radiogroup" aria-label="Model provider">
        {PROVIDERS.map((p) => (
          <label key={p.kind} className={`mem-provider${form.provider === p.kind ? ' is-on' : ''}`}>
            <input
              type="radio"
              name={name}
              value={p.kind}
              checked={form.provider === p.kind}
              onChange={() => onChange({ provider: p.kind })}
              data-testid={`memories-provider-${p.kind}`}
            />
            <span className="mem-provider__text">
              <span className="mem-provider__label">{p.label}</span>
              <span className="mem-provider__hint">{p.hint}</span>
            </span>
          </label>
        ))}
      </div>
      <div className="mem-settings__grid">
        {form.provider === 'codex-cli' && (
          <TextField
            label="Codex command"
            hint="The codex executable: a name on PATH or a full path."
            value={form.codexCommand}
            onChange={(codexCommand) => onChange({ codexCommand })}
            placeholder={DEFAULT_CODEX_COMMAND}
            error={errors.codexCommand}
            mono
            testId="memories-setting-codex-command"
          />
        )}
        {form.provider === 'openai' && (
          <>
            <TextField
              label="API key variable"
              hint="The environment variable holding the key, as Threadscope was started."
              value={form.openaiKeyEnv}
              onChange={(openaiKeyEnv) => onChange({ openaiKeyEnv })}
              placeholder={DEFAULT_OPENAI_KEY_ENV}
              error={errors.openaiKeyEnv}
              mono
              testId="memories-setting-openai-key-env"
            />
            <TextField
              label="Base URL"
              hint="Change it for a proxy or Azure-style gateway."
              value={form.openaiBaseUrl}
              onChange={(openaiBaseUrl) => onChange({ openaiBaseUrl })}
              placeholder={DEFAULT_OPENAI_BASE_URL}
              error={errors.openaiBaseUrl}
              mono
              testId="memories-setting-openai-base-url"
            />
          </>
        )}
        {form.provider === 'openai-compatible' && (
          <>
            <TextField
              label="Base URL"
              hint="Up to /v1; Threadscope posts to /chat/completions below it."
              value={form.compatBaseUrl}
              onChange={(compatBaseUrl) => onChange({ compatBaseUrl })}
              placeholder="http://localhost:11434/v1"
              error={errors.compatBaseUrl}
              mono
              testId="memories-setting-compat-base-url"
            />
            <TextField
              label="API key variable (optional)"
              hint="Leave blank for a server that needs no key."
              value={form.compatKeyEnv}
              onChange={(compatKeyEnv) => onChange({ compatKeyEnv })}
              placeholder="none"
              error={errors.compatKeyEnv}
              mono
              testId="memories-setting-compat-key-env"
            />
          </>
        )}
      </div>
    </>
  );
}
