import type { SVGProps } from 'react';
import { Icon } from '../../components/icons.tsx';

type Props = SVGProps<SVGSVGElement>;

/** A speech bubble: the nav rail entry and the "Send feedback…" action. */
export function FeedbackIcon(props: Props) {
  return (
    <Icon {...props}>
      <path d="M2.5 4a1.5 1.5 0 0 1 1.5-1.5h8A1.5 1.5 0 0 1 13.5 4v5.5A1.5 1.5 0 0 1 12 11H7l-3 2.5V11a1.5 1.5 0 0 1-1.5-1.5z" />
      <path d="M5.5 6h5M5.5 8h3" />
    </Icon>
  );
}

const small = { width: 14, height: 14 } as const;

export function SendIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="M2.5 8 13.5 2.5 10.5 13.5 8 9z" />
      <path d="M8 9 13.5 2.5" />
    </Icon>
  );
}

export function RetryIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="M13 8a5 5 0 1 1-1.6-3.7" />
      <path d="M13 2.5v3h-3" />
    </Icon>
  );
}

export function FolderIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="M2 4.5A1.5 1.5 0 0 1 3.5 3h2.8l1.5 1.5h4.7A1.5 1.5 0 0 1 14 6v5.5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 11.5z" />
    </Icon>
  );
}

export function TrashIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="M2.5 4.5h11M6 4.5V3h4v1.5M4 4.5l.7 8.1a1 1 0 0 0 1 .9h4.6a1 1 0 0 0 1-.9l.7-8.1" />
    </Icon>
  );
}

export function PlusIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="M8 3v10M3 8h10" />
    </Icon>
  );
}

export function CloseIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="m4 4 8 8M12 4l-8 8" />
    </Icon>
  );
}

export function ChevronIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="m6 4 4 4-4 4" />
    </Icon>
  );
}

export function ShieldIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="M8 2 3 4v4c0 3 2.2 5 5 6 2.8-1 5-3 5-6V4z" />
      <path d="m6 8 1.5 1.5L10.5 6.5" />
    </Icon>
  );
}

export function WarningIcon(props: Props) {
  return (
    <Icon {...small} {...props}>
      <path d="M8 2.5 14 13H2z" />
      <path d="M8 6.5v3M8 11.2v.1" />
    </Icon>
  );
}
