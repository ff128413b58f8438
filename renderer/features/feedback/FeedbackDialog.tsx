import * as Dialog from '@radix-ui/react-dialog';
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { FeedbackRecord } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import {
  useFeedbackDraft,
  useFeedbackEndpoint,
  useRetryFeedback,
  useSendFeedback,
} from '../../api/use-feedback.ts';
import { useDelayedFlag } from '../logs/use-timing.ts';
import { bundleSize, destinationText, formatBytes } from './feedback-format.ts';
import { draftInput, emptyForm, type FeedbackForm } from './feedback-form.ts';
import { CloseIcon, SendIcon } from './feedback-icons.tsx';
import { FeedbackCompose } from './FeedbackCompose.tsx';
import { FeedbackDestination } from './FeedbackDestination.tsx';
import { FeedbackPreview } from './FeedbackPreview.tsx';
import { FeedbackResult } from './FeedbackResult.tsx';

/** What the feedback is about: a thread, or (null) the app itself. */
export type FeedbackSubject = { threadId: string; title: string } | null;

interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  about: FeedbackSubject;
}

/** Compose → preview (exactly what is sent, redacted) → send → the feedback ID, in one modal. */
export function FeedbackDialog({ open, onOpenChange, about }: DialogProps) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fb-overlay" />
        <Dialog.Content className="fb-dialog" aria-describedby={undefined} data-testid="feedback-dialog">
          {/* Mounted per opening: a new dialog starts from an empty form. */}
          <FeedbackFlow about={about} onClose={() => onOpenChange(false)} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

type Step = 'compose' | 'preview' | 'result';

function FeedbackFlow({ about, onClose }: { about: FeedbackSubject; onClose: () => void }) {
  const endpoint = useFeedbackEndpoint();
  const drafter = useFeedbackDraft();
  const sender = useSendFeedback();
  const retrier = useRetryFeedback();
  const [step, setStep] = useState<Step>('compose');
  const [form, setForm] = useState<FeedbackForm>(emptyForm);
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set());
  const [record, setRecord] = useState<FeedbackRecord | null>(null);

  const draft = drafter.data;
  const building = useDelayedFlag(drafter.isPending, 300);
  const sending = sender.isPending;
  const size = draft ? bundleSize(draft, excluded) : null;

  const preview = (e?: FormEvent): void => {
    e?.preventDefault();
    sender.reset();
    drafter.mutate(draftInput(form, about?.threadId ?? null), {
      onSuccess: () => {
        setExcluded(new Set());
        setStep('preview');
      },
    });
  };
  const send = (): void => {
    if (!draft || size?.over) return;
    const exclude = draft.parts.filter((p) => !p.required && excluded.has(p.id)).map((p) => p.id);
    sender.mutate(
      { draftId: draft.draftId, exclude },
      {
        onSuccess: (r) => {
          setRecord(r);
          setStep('result');
        },
      },
    );
  };
  const retry = (): void => {
    if (record) retrier.mutate(record.id, { onSuccess: setRecord });
  };
  const exclude = (partId: string, out: boolean): void =>
    setExcluded((s) => {
      const next = new Set(s);
      if (out) next.add(partId);
      else next.delete(partId);
      return next;
    });

  const subtitle = about ? (
    <>
      About the thread <span className="fb-dialog__thread">{about.title}</span>
    </>
  ) : (
    'About Threadscope itself'
  );
  const title =
    step === 'compose' ? 'Send feedback' : step === 'preview' ? 'Review what will be sent' : 'Feedback';

  return (
    <form className="fb-flow" onSubmit={step === 'compose' ? preview : (e) => e.preventDefault()}>
      <header className="fb-dialog__header">
        <div className="fb-dialog__titles">
          <Dialog.Title className="fb-dialog__title">{title}</Dialog.Title>
          <p className="fb-dialog__subtitle">{subtitle}</p>
        </div>
        <Dialog.Close className="fb-button fb-button--quiet fb-button--icon" aria-label="Close">
          <CloseIcon />
        </Dialog.Close>
        <div className={`fb-progress${building || sending ? ' is-on' : ''}`} aria-hidden="true">
          <div className="fb-progress__bar" />
        </div>
      </header>

      <div className="fb-dialog__body">
        {step === 'compose' && (
          <>
            <FeedbackCompose
              form={form}
              onForm={(patch) => setForm((f) => ({ ...f, ...patch }))}
              withThread={about !== null}
            />
            <FeedbackDestination endpoint={endpoint.data} />
          </>
        )}
        {step === 'preview' && draft && (
          <FeedbackPreview draft={draft} excluded={excluded} onExclude={exclude} />
        )}
        {step === 'result' && record && (
          <FeedbackResult
            record={record}
            onRetry={retry}
            retrying={retrier.isPending}
            retryError={retrier.isError ? errorMessage(retrier.error) : null}
          />
        )}
      </div>

      <footer className="fb-dialog__footer">
        <div className="fb-dialog__status" role="status">
          {step === 'compose' && drafter.isError && (
            <span className="fb-error-text" data-testid="feedback-draft-error">
              Could not build the bundle: {errorMessage(drafter.error)}
            </span>
          )}
          {step === 'compose' && building && 'Collecting logs and redacting…'}
          {step === 'preview' && sending && draft && `${destinationText(draft.endpoint).replace(/\.$/, '')}…`}
          {step === 'preview' && !sending && size?.over && (
            <span className="fb-error-text" data-testid="feedback-over-limit-footer">
              {formatBytes(size.bytes - size.limit)} over the {formatBytes(size.limit)} limit: untick parts to
              send
            </span>
          )}
          {step === 'preview' && sender.isError && (
            <span className="fb-error-text" data-testid="feedback-send-error">
              Could not send: {errorMessage(sender.error)}
            </span>
          )}
        </div>
        {step === 'compose' && (
          <>
            <button type="button" className="fb-button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className="fb-button fb-button--primary"
              disabled={drafter.isPending}
              aria-busy={drafter.isPending}
              data-testid="feedback-preview-button"
            >
              {drafter.isPending ? 'Preparing…' : 'Preview'}
            </button>
          </>
        )}
        {step === 'preview' && (
          <>
            <button type="button" className="fb-button" onClick={() => setStep('compose')} disabled={sending}>
              Back
            </button>
            <button
              type="button"
              className="fb-button fb-button--primary"
              onClick={send}
              disabled={sending || size?.over !== false}
              aria-busy={sending}
              title={size?.over ? 'Over the size limit: leave out some parts first' : undefined}
              data-testid="feedback-send-button"
            >
              <SendIcon />
              {sending ? 'Sending…' : draft?.endpoint.kind === 'none' ? 'Save' : 'Send'}
            </button>
          </>
        )}
        {step === 'result' && (
          <>
            <a className="fb-button" href="#/feedback" onClick={onClose} data-testid="feedback-open-history">
              Open history
            </a>
            <button type="button" className="fb-button fb-button--primary" onClick={onClose}>
              Done
            </button>
          </>
        )}
      </footer>
    </form>
  );
}
