import * as Dialog from '@radix-ui/react-dialog';
import { useRef, type ReactNode } from 'react';
import { CloseIcon } from '../feedback/feedback-icons.tsx';

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  /** Exactly what the action deletes or changes. */
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  testId: string;
}

/** A destructive action behind a modal: Esc or Cancel closes it, focus starts on Cancel. */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  children,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  onConfirm,
  testId,
}: ConfirmDialogProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Dialog.Root open={open} onOpenChange={(next) => (pending ? undefined : onOpenChange(next))}>
      <Dialog.Portal>
        <Dialog.Overlay className="fb-overlay" />
        <Dialog.Content
          className="fb-dialog mem-confirm"
          data-testid={testId}
          onOpenAutoFocus={(e) => {
            // The safe choice has focus: Enter right after opening does not delete anything.
            e.preventDefault();
            cancel.current?.focus();
          }}
        >
          <div className="fb-flow">
            <header className="fb-dialog__header">
              <div className="fb-dialog__titles">
                <Dialog.Title className="fb-dialog__title">{title}</Dialog.Title>
              </div>
              <Dialog.Close className="fb-button fb-button--quiet fb-button--icon" aria-label="Close">
                <CloseIcon />
              </Dialog.Close>
            </header>
            <Dialog.Description asChild>
              <div className="fb-dialog__body mem-confirm__body">{children}</div>
            </Dialog.Description>
            <footer className="fb-dialog__footer">
              <div className="fb-dialog__status" role="status">
                {error && <span className="fb-error-text">{error}</span>}
              </div>
              <Dialog.Close ref={cancel} className="fb-button" disabled={pending}>
                Cancel
              </Dialog.Close>
              <button
                type="button"
                className="fb-button fb-button--danger-solid"
                onClick={onConfirm}
                disabled={pending}
                aria-busy={pending}
                data-testid={`${testId}-confirm`}
              >
                {pending ? pendingLabel : confirmLabel}
              </button>
            </footer>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
