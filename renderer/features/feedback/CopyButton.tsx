import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { useToast } from '../../components/Toast.tsx';
import { CopyIcon } from '../thread-actions/action-icons.tsx';
import { copyText } from '../thread-actions/copy-text.ts';

/** A small Copy button that says "Copied" for a moment; a failure goes to a toast. */
export function CopyButton({
  text,
  label = 'Copy',
  what,
  testId,
  compact = false,
}: {
  text: string;
  label?: string;
  /** For the accessible name and title: "Copy <what>". */
  what: string;
  testId?: string;
  compact?: boolean;
}) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1_500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className={`fb-button fb-button--quiet${compact ? ' fb-button--icon' : ''}`}
      onClick={() =>
        copyText(text).then(
          () => setCopied(true),
          (err: unknown) => toast.show({ tone: 'error', message: `Could not copy: ${errorMessage(err)}` }),
        )
      }
      aria-label={`Copy ${what}`}
      title={`Copy ${what}`}
      data-testid={testId}
    >
      <CopyIcon />
      {!compact && <span aria-live="polite">{copied ? 'Copied' : label}</span>}
      {compact && copied && <span className="visually-hidden">Copied</span>}
    </button>
  );
}
