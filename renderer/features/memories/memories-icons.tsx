import type { SVGProps } from 'react';
import { Icon } from '../../components/icons.tsx';

type Props = SVGProps<SVGSVGElement>;

/** A notebook with a bookmark: the nav rail entry. */
export function MemoriesIcon(props: Props) {
  return (
    <Icon {...props}>
      <path d="M4 2.5h7.5a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1z" />
      <path d="M5.5 2.5v11M8 5.5h2.5M8 8h2.5" />
    </Icon>
  );
}

const small = { width: 14, height: 14 } as const;

export function FileIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="M4 2h5l3 3v8.5a.5.5 0 0 1-.5.5h-7a.5.5 0 0 1-.5-.5v-11A.5.5 0 0 1 4 2z" />
      <path d="M9 2v3h3" />
    </Icon>
  );
}

export function PlayIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="M5 3.5v9l7-4.5z" />
    </Icon>
  );
}

export function StopIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <rect x="4" y="4" width="8" height="8" rx="1" />
    </Icon>
  );
}

export function ResetIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="M3 8a5 5 0 1 0 1.6-3.7" />
      <path d="M3 2.5v3h3" />
    </Icon>
  );
}

/** A small ring that turns (still under reduced motion: the label says it is running). */
export function Spinner({ label }: { label?: string }) {
  return (
    <span className="mem-spinner" role={label ? 'img' : undefined} aria-label={label}>
      <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
        <circle
          cx="6"
          cy="6"
          r="4.5"
          fill="none"
          stroke="currentColor"
          strokeOpacity="0.25"
          strokeWidth="1.75"
        />
        <path
          d="M6 1.5a4.5 4.5 0 0 1 4.5 4.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.75"
          strokeLinecap="round"
        />
      </svg>
    </span>
  );
}
