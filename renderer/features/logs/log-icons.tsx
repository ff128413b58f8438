import type { SVGProps } from 'react';
import { Icon } from '../../components/icons.tsx';

/** The nav rail's Logs entry: lines of text with a level mark in front of each. */
export function LogsIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <Icon {...props}>
      <path d="M6.5 3.5h7M6.5 8h7M6.5 12.5h5" />
      <path d="M2.75 3.5h.5M2.75 8h.5M2.75 12.5h.5" strokeWidth="2" />
    </Icon>
  );
}

/** 12px: "filter to this" actions in the table. */
export function FunnelIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <Icon width="12" height="12" viewBox="0 0 12 12" {...props}>
      <path d="M1.75 2.25h8.5L7 6v3.5L5 10.25V6z" />
    </Icon>
  );
}

/** 12px disclosure chevron, pointing right; rotated when open. */
export function ChevronRightIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <Icon width="12" height="12" viewBox="0 0 12 12" {...props}>
      <path d="m4.5 3 3 3-3 3" />
    </Icon>
  );
}

/** 12px clock, for the time range menu. */
export function ClockIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <Icon width="12" height="12" viewBox="0 0 12 12" {...props}>
      <circle cx="6" cy="6" r="4.5" />
      <path d="M6 3.5V6l1.75 1.25" />
    </Icon>
  );
}
