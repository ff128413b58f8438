import { useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { CLASSIFICATIONS } from './feedback-format.ts';
import { addExtraFile, EXTRA_FILES_MAX, NOTE_MAX, type FeedbackForm } from './feedback-form.ts';
import { CloseIcon, PlusIcon } from './feedback-icons.tsx';

interface ComposeProps {
  form: FeedbackForm;
  onForm: (patch: Partial<FeedbackForm>) => void;
  /** Feedback about a thread can carry its rollout. */
  withThread: boolean;
}

/** Classification, note and attachments: everything the draft is built from. */
export function FeedbackCompose({ form, onForm, withThread }: ComposeProps) {
  const noteId = useId();
  const pathId = useId();
  const pathErrorId = useId();
  const [path, setPath] = useState('');
  const [pathError, setPathError] = useState<string | null>(null);

  const add = (): void => {
    const r = addExtraFile(form.extraFiles, path);
    if (!r.ok) {
      setPathError(r.error);
      return;
    }
    onForm({ extraFiles: r.files });
    setPath('');
    setPathError(null);
  };
  const onPathKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') {
      // Enter adds the path; it must not submit the whole form.
      e.preventDefault();
      add();
    }
  };

  return (
    <div className="fb-compose" data-testid="feedback-compose">
      <fieldset className="fb-field">
        <legend className="fb-label">What kind of feedback?</legend>
        <div className="fb-choices" role="radiogroup" aria-label="Classification">
          {CLASSIFICATIONS.map((c) => (
            <label key={c.value} className={`fb-choice${form.classification === c.value ? ' is-on' : ''}`}>
              <input
                type="radio"
                name="feedback-classification"
                value={c.value}
                checked={form.classification === c.value}
                onChange={() => onForm({ classification: c.value })}
                data-testid={`feedback-class-${c.value}`}
              />
              <span className="fb-choice__label">{c.label}</span>
              <span className="fb-choice__hint">{c.hint}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="fb-field">
        <label className="fb-label" htmlFor={noteId}>
          Note
        </label>
        <textarea
          id={noteId}
          className="fb-textarea"
          rows={5}
          maxLength={NOTE_MAX}
          value={form.note}
          onChange={(e) => onForm({ note: e.target.value })}
          placeholder="What happened, and what did you expect? Steps to reproduce help most."
          // The dialog opens here: the classification has a default, the note is what to write.
          autoFocus
          data-testid="feedback-note"
        />
      </div>

      <fieldset className="fb-field">
        <legend className="fb-label">Attach</legend>
        <label className="fb-check">
          <input
            type="checkbox"
            checked={form.includeLogs}
            onChange={(e) => onForm({ includeLogs: e.target.checked })}
            data-testid="feedback-include-logs"
          />
          <span>
            Logs
            <span className="fb-check__hint">
              {withThread
                ? 'Threadscope’s and Codex’s log lines for this thread (newest first, size-capped)'
                : 'Threadscope’s recent log lines and diagnostics'}
            </span>
          </span>
        </label>
        {withThread && (
          <label className="fb-check">
            <input
              type="checkbox"
              checked={form.includeRollout}
              onChange={(e) => onForm({ includeRollout: e.target.checked })}
              data-testid="feedback-include-rollout"
            />
            <span>
              The rollout
              <span className="fb-check__hint">
                The thread’s whole transcript file, redacted and compressed
              </span>
            </span>
          </label>
        )}

        <div className="fb-extra">
          <label className="fb-extra__label" htmlFor={pathId}>
            Extra files <span className="fb-check__hint">absolute paths on this machine</span>
          </label>
          {form.extraFiles.length > 0 && (
            <ul className="fb-extra__list" data-testid="feedback-extra-list">
              {form.extraFiles.map((f) => (
                <li key={f} className="fb-extra__item">
                  {/* Truncated from the left (the file name matters most); bdi keeps the path itself LTR. */}
                  <span className="mono fb-extra__path" title={f}>
                    <bdi dir="ltr">{f}</bdi>
                  </span>
                  <button
                    type="button"
                    className="fb-button fb-button--quiet fb-button--icon"
                    onClick={() => onForm({ extraFiles: form.extraFiles.filter((x) => x !== f) })}
                    aria-label={`Remove ${f}`}
                    title="Remove"
                  >
                    <CloseIcon />
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="fb-extra__add">
            <input
              id={pathId}
              className="fb-input mono"
              value={path}
              onChange={(e) => {
                setPath(e.target.value);
                setPathError(null);
              }}
              onKeyDown={onPathKey}
              placeholder="/home/you/project/notes.txt"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={pathError !== null}
              aria-describedby={pathError ? pathErrorId : undefined}
              disabled={form.extraFiles.length >= EXTRA_FILES_MAX}
              data-testid="feedback-extra-input"
            />
            <button
              type="button"
              className="fb-button"
              onClick={add}
              disabled={!path.trim()}
              data-testid="feedback-extra-add"
            >
              <PlusIcon />
              Add
            </button>
          </div>
          {pathError && (
            <p id={pathErrorId} className="fb-error-text" role="alert">
              {pathError}
            </p>
          )}
        </div>
      </fieldset>
    </div>
  );
}
