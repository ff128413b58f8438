import type { SVGProps } from 'react';
import { Icon as BaseIcon } from '../../components/icons.tsx';

/** 14px line icons for the action buttons, in the app's icon style. */
function Icon(props: SVGProps<SVGSVGElement>) {
  return <BaseIcon width="14" height="14" {...props} />;
}

export function ArchiveBoxIcon() {
  return (
    <Icon>
      <rect x="2" y="3" width="12" height="3" rx="1" />
      <path d="M3 6v6.5a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V6M6.5 9h3" />
    </Icon>
  );
}

export function UnarchiveIcon() {
  return (
    <Icon>
      <rect x="2" y="3" width="12" height="3" rx="1" />
      <path d="M3 6v6.5a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V6M8 12V8.5M6.5 10 8 8.5 9.5 10" />
    </Icon>
  );
}

export function DownloadIcon() {
  return (
    <Icon>
      <path d="M8 2.5v8M5 7.5l3 3 3-3M3 13.5h10" />
    </Icon>
  );
}

export function CopyIcon() {
  return (
    <Icon>
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 5.5V4a1.5 1.5 0 0 0-1.5-1.5H4A1.5 1.5 0 0 0 2.5 4v5A1.5 1.5 0 0 0 4 10.5h1.5" />
    </Icon>
  );
}

export function PencilIcon() {
  return (
    <Icon>
      <path d="M10.5 3 13 5.5 6 12.5H3.5V10z" />
    </Icon>
  );
}
