import { useState } from 'react';
import type { Thread } from '../../../preload/contract/index.ts';
import { threadTitle } from '../threads/thread-format.ts';
import { FeedbackIcon } from './feedback-icons.tsx';
import { FeedbackDialog } from './FeedbackDialog.tsx';

/** The thread action "Send feedback…": opens the feedback dialog about this thread. */
export function SendFeedbackButton({ thread, className }: { thread: Thread; className: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={() => setOpen(true)}
        title="Send feedback about this thread: preview exactly what is sent, secrets redacted"
        data-testid="send-feedback-button"
      >
        <FeedbackIcon width={14} height={14} />
        Send feedback…
      </button>
      <FeedbackDialog
        open={open}
        onOpenChange={setOpen}
        about={{ threadId: thread.id, title: threadTitle(thread) }}
      />
    </>
  );
}
