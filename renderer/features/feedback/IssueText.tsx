import { CopyButton } from './CopyButton.tsx';

/** The ready-to-paste issue text a bundle gets when no endpoint is configured. */
export function IssueText({ text }: { text: string }) {
  return (
    <section className="fb-issue" data-testid="feedback-issue">
      <div className="fb-issue__head">
        <h4 className="fb-label">Issue text to paste</h4>
        <CopyButton text={text} what="issue text" testId="feedback-copy-issue" />
      </div>
      <pre className="fb-text fb-text--issue" tabIndex={0} data-testid="feedback-issue-text">
        {text}
      </pre>
    </section>
  );
}
