import { useState, type FormEvent } from 'react';
import type { MemoriesSettingsView, MemoriesStatus } from '../../../preload/contract/index.ts';
import { ApiError, errorMessage } from '../../api/client.ts';
import { useUpdateMemoriesSettings } from '../../api/use-memories.ts';
import { useToast } from '../../components/Toast.tsx';
import { ProviderFields } from './ProviderFields.tsx';
import { Switch, TextField } from './SettingsFields.tsx';
import {
  DEFAULT_CONSOLIDATION_MODEL,
  DEFAULT_EXTRACT_MODEL,
  errorsFromDetails,
  FLAG_FIELDS,
  formFromSettings,
  formIsDirty,
  NUMBER_FIELDS,
  patchFromForm,
  type FormErrors,
  type SettingsForm,
} from './settings-form.ts';

/**
 * The form, from the saved settings; a save or a change made elsewhere resets it when nothing is typed.
 * Problems show once Save was tried, and then follow the typing (a fixed field stops being red).
 */
export function SettingsTab({ status }: { status: MemoriesStatus }) {
  const saved = status.settings;
  const [base, setBase] = useState<MemoriesSettingsView>(saved);
  const [form, setForm] = useState<SettingsForm>(() => formFromSettings(saved));
  const [tried, setTried] = useState(false);
  /** What main refused at the last save, until the next edit. */
  const [refused, setRefused] = useState<FormErrors>({});
  const update = useUpdateMemoriesSettings();
  const toast = useToast();
  const result = patchFromForm(form, base);
  const dirty = formIsDirty(form, base);
  const errors: FormErrors = { ...(tried && !result.ok ? result.errors : {}), ...refused };
  if (saved !== base && JSON.stringify(saved) !== JSON.stringify(base) && !dirty) {
    setBase(saved);
    setForm(formFromSettings(saved));
  }

  const edit = (patch: Partial<SettingsForm>): void => {
    setRefused({});
    setForm((f) => ({ ...f, ...patch }));
  };
  const editNumber = (key: keyof SettingsForm['numbers'], value: string): void => {
    setRefused({});
    setForm((f) => ({ ...f, numbers: { ...f.numbers, [key]: value } }));
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setTried(true);
    if (!result.ok || Object.keys(result.patch).length === 0) return;
    update.mutate(result.patch, {
      onSuccess: (next) => {
        setBase(next);
        setForm(formFromSettings(next));
        setTried(false);
        toast.show({ message: 'Memories settings saved', durationMs: 3_000 });
      },
      onError: (err) => {
        // The router names each bad field in `details`; the settings store, in its message.
        if (err instanceof ApiError && err.code === 'INVALID_INPUT')
          setRefused(errorsFromDetails(err.details ?? err.message.split('; '), form.provider));
        else setRefused({ form: errorMessage(err) });
      },
    });
  };

  return (
    <form className="mem-settings" onSubmit={submit} noValidate data-testid="memories-settings">
      <div className="mem-settings__scroll">
        <div className="mem-settings__inner">
          <section className="mem-settings__section">
            <h2>Pipeline</h2>
            <Switch
              checked={form.enabled}
              onChange={(enabled) => edit({ enabled })}
              label="Build memories from my threads"
              hint="Runs prune → phase 1 (one summary per eligible thread) → phase 2 (consolidation into MEMORY.md and memory_summary.md) in the background, and on Run now."
              testId="memories-setting-enabled"
            />
          </section>

          <section className="mem-settings__section">
            <h2>Model provider</h2>
            <ProviderFields form={form} errors={errors} onChange={edit} />
          </section>

          <section className="mem-settings__section">
            <h2>Models</h2>
            <div className="mem-settings__grid">
              <TextField
                label="Extraction model (phase 1)"
                hint="Summarises each thread, with low reasoning effort. Blank: the seed’s default."
                value={form.extract_model}
                onChange={(extract_model) => edit({ extract_model })}
                placeholder={DEFAULT_EXTRACT_MODEL}
                error={errors.extract_model}
                mono
                testId="memories-setting-extract-model"
              />
              <TextField
                label="Consolidation model (phase 2)"
                hint="Merges the summaries into the memory files, with medium effort. Blank: the seed’s default."
                value={form.consolidation_model}
                onChange={(consolidation_model) => edit({ consolidation_model })}
                placeholder={DEFAULT_CONSOLIDATION_MODEL}
                error={errors.consolidation_model}
                mono
                testId="memories-setting-consolidation-model"
              />
            </div>
          </section>

          <section className="mem-settings__section">
            <h2>Limits</h2>
            <div className="mem-settings__grid">
              {NUMBER_FIELDS.map((f) => (
                <TextField
                  key={f.key}
                  label={
                    <>
                      {f.label}{' '}
                      <span className="mem-field__range">
                        ({f.min}–{f.max})
                      </span>
                    </>
                  }
                  hint={`${f.hint} Default ${f.dflt}.`}
                  value={form.numbers[f.key]}
                  onChange={(v) => editNumber(f.key, v)}
                  inputMode="numeric"
                  suffix={f.unit}
                  error={errors[`numbers.${f.key}`]}
                  testId={`memories-setting-${f.key}`}
                />
              ))}
            </div>
          </section>

          <section className="mem-settings__section">
            <h2>Threads</h2>
            {FLAG_FIELDS.map((f) => (
              <Switch
                key={f.key}
                checked={form[f.key]}
                onChange={(on) => edit({ [f.key]: on })}
                label={f.label}
                hint={f.hint}
                testId={`memories-setting-${f.key}`}
              />
            ))}
          </section>

          <section className="mem-settings__section">
            <h2>Storage</h2>
            <TextField
              label="Memory root"
              hint={
                <>
                  Where the memory files are written. Blank: Threadscope’s own folder. Point it at{' '}
                  <code>CODEX_HOME/memories</code> to let Codex read them.
                </>
              }
              value={form.memory_root}
              onChange={(memory_root) => edit({ memory_root })}
              placeholder={saved.memory_root === null ? `default: ${status.memoryRoot}` : 'default'}
              error={errors.memory_root}
              mono
              testId="memories-setting-memory-root"
            />
          </section>
        </div>
      </div>
      <footer className="mem-settings__footer">
        <div className="mem-settings__status" role="status">
          {errors.form ? (
            <span className="fb-error-text">{errors.form}</span>
          ) : Object.keys(errors).length > 0 ? (
            <span className="fb-error-text">Fix the fields marked in red to save.</span>
          ) : dirty ? (
            'Unsaved changes'
          ) : (
            <span className="fb-muted">Saved</span>
          )}
        </div>
        <button
          type="button"
          className="fb-button"
          disabled={!dirty || update.isPending}
          onClick={() => {
            setForm(formFromSettings(base));
            setTried(false);
            setRefused({});
          }}
          data-testid="memories-settings-revert"
        >
          Revert
        </button>
        <button
          type="submit"
          className="fb-button fb-button--primary"
          disabled={!dirty || update.isPending}
          aria-busy={update.isPending}
          data-testid="memories-settings-save"
        >
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
      </footer>
    </form>
  );
}
