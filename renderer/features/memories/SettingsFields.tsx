import { useId, type ReactNode } from 'react';

/** A labelled text input with its hint and its inline error. */
export function TextField({
  label,
  hint,
  error,
  value,
  onChange,
  placeholder,
  mono,
  inputMode,
  testId,
  suffix,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  mono?: boolean;
  inputMode?: 'numeric';
  testId: string;
  suffix?: string;
}) {
  const id = useId();
  return (
    <div className={`mem-field${error ? ' has-error' : ''}`}>
      <label htmlFor={id} className="mem-field__label">
        {label}
      </label>
      <div className="mem-field__control">
        <input
          id={id}
          className={`mem-input${mono ? ' mono' : ''}${inputMode ? ' mem-input--number' : ''}`}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder={placeholder}
          inputMode={inputMode}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint`}
          data-testid={testId}
        />
        {suffix && <span className="mem-field__suffix">{suffix}</span>}
      </div>
      <p
        id={`${id}-hint`}
        className={error ? 'mem-field__error' : 'mem-field__hint'}
        role={error ? 'alert' : undefined}
      >
        {error ?? hint}
      </p>
    </div>
  );
}

export function Switch({
  checked,
  onChange,
  label,
  hint,
  testId,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  label: string;
  hint: ReactNode;
  testId: string;
}) {
  const id = useId();
  return (
    <div className="mem-switch-row">
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-hint`}
        className="mem-switch"
        onClick={() => onChange(!checked)}
        data-testid={testId}
      >
        <span className="mem-switch__thumb" />
      </button>
      <div>
        <span id={`${id}-label`} className="mem-switch-row__label" onClick={() => onChange(!checked)}>
          {label}
        </span>
        <p id={`${id}-hint`} className="mem-field__hint">
          {hint}
        </p>
      </div>
    </div>
  );
}
