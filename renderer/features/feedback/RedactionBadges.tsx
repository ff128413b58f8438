import type { RedactionCounts } from '../../../preload/contract/index.ts';
import { redactionBadges } from './feedback-format.ts';
import { ShieldIcon } from './feedback-icons.tsx';

/** "2 OpenAI keys redacted"-style badges; secrets stand out, home folders stay quiet. */
export function RedactionBadges({ counts }: { counts: RedactionCounts }) {
  const badges = redactionBadges(counts);
  if (badges.length === 0) return null;
  return (
    <ul className="fb-badges" aria-label="Redactions">
      {badges.map((b) => (
        <li
          key={b.kind}
          className={`fb-badge${b.secret ? ' fb-badge--secret' : ''}`}
          data-testid="feedback-redaction"
          data-kind={b.kind}
        >
          {b.secret && <ShieldIcon width={12} height={12} />}
          {b.label}
        </li>
      ))}
    </ul>
  );
}
