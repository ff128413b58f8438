import { useId, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import type { Thread, UpdateMetadataInput } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useFreshThread, useUpdateThreadMetadata } from '../../api/use-thread-actions.ts';
import { PencilIcon } from './action-icons.tsx';
import { buildGitPatch, GIT_FIELDS, type Draft, type GitKey } from './git-patch.ts';

const draftOf = (t: Thread): Draft =>
  Object.fromEntries(GIT_FIELDS.map((f) => [f.key, { value: t[f.key] ?? '', cleared: false }])) as Draft;

/**
 * Git branch / commit / origin of a thread, editable in place (seed thread/metadata/update): a field
 * left alone is kept, Clear removes it, an edit replaces it. Edits survive later re-ingestion.
 */
export function GitMetadataEditor({ thread: given }: { thread: Thread }) {
  const thread = useFreshThread(given);
  const update = useUpdateThreadMetadata();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Partial<Record<GitKey, string>>>({});
  const formId = useId();

  const start = (): void => {
    update.reset();
    setErrors({});
    setDraft(draftOf(thread));
  };
  const cancel = (): void => {
    update.reset();
    setErrors({});
    setDraft(null);
  };
  const setField = (key: GitKey, value: string, cleared = false): void => {
    setDraft((d) => (d ? { ...d, [key]: { value, cleared } } : d));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const result = draft ? buildGitPatch(thread, draft) : null;
  const save = (e?: FormEvent): void => {
    e?.preventDefault();
    if (!result) return;
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    if (Object.keys(result.patch).length === 0) {
      setDraft(null);
      return;
    }
    const input: UpdateMetadataInput = { id: thread.id, ...result.patch };
    update.mutate(input, { onSuccess: () => setDraft(null) });
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      cancel();
    }
  };

  if (!draft) {
    return (
      <section className="detail__section git-editor" data-testid="git-editor">
        <div className="git-editor__head">
          <h3 className="detail__heading">Git</h3>
          <button
            type="button"
            className="git-editor__edit"
            onClick={start}
            aria-label="Edit git metadata"
            data-testid="git-edit-button"
          >
            <PencilIcon />
            Edit
          </button>
        </div>
        <dl className="detail__fields">
          {GIT_FIELDS.map((f) => (
            <div className="detail__field" key={f.key}>
              <dt>{f.label}</dt>
              <dd className="mono" data-testid={`git-value-${f.key}`}>
                {thread[f.key] ?? <span className="detail__missing">—</span>}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    );
  }

  const changed = result?.ok === true && Object.keys(result.patch).length > 0;
  return (
    <section className="detail__section git-editor is-editing" data-testid="git-editor">
      <div className="git-editor__head">
        <h3 className="detail__heading" id={`${formId}-title`}>
          Edit git metadata
        </h3>
      </div>
      <form
        className="git-editor__form"
        onSubmit={save}
        onKeyDown={onKeyDown}
        aria-labelledby={`${formId}-title`}
      >
        {GIT_FIELDS.map((f) => {
          const field = draft[f.key];
          const error = errors[f.key];
          const inputId = `${formId}-${f.key}`;
          return (
            <div className="git-editor__row" key={f.key}>
              <label htmlFor={inputId}>{f.label}</label>
              <div className="git-editor__control">
                <input
                  id={inputId}
                  className="git-editor__input mono"
                  value={field.value}
                  placeholder={field.cleared ? 'Cleared on save' : f.placeholder}
                  onChange={(e) => setField(f.key, e.target.value)}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${inputId}-error` : undefined}
                  spellCheck={false}
                  autoComplete="off"
                  autoFocus={f.key === 'gitBranch'}
                  data-testid={`git-input-${f.key}`}
                />
                <button
                  type="button"
                  className="git-editor__clear"
                  onClick={() => setField(f.key, '', true)}
                  disabled={field.cleared || (thread[f.key] === null && field.value === '')}
                  aria-label={`Clear ${f.label.toLowerCase()}`}
                  data-testid={`git-clear-${f.key}`}
                >
                  Clear
                </button>
              </div>
              {error && (
                <p className="git-editor__error" id={`${inputId}-error`} role="alert">
                  {error}
                </p>
              )}
            </div>
          );
        })}
        {update.isError && (
          <p className="git-editor__error git-editor__error--form" role="alert" data-testid="git-save-error">
            Could not save: {errorMessage(update.error)}
          </p>
        )}
        <div className="git-editor__buttons">
          <button type="button" className="git-editor__button" onClick={cancel}>
            Cancel
          </button>
          <button
            type="submit"
            className="git-editor__button git-editor__button--primary"
            disabled={update.isPending || (result?.ok === true && !changed)}
            aria-busy={update.isPending}
            data-testid="git-save-button"
          >
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
        <p className="git-editor__hint">Edits are kept when the rollout is read again. Esc cancels.</p>
      </form>
    </section>
  );
}
