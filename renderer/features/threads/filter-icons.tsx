import type { SVGProps } from 'react';
import { Icon as BaseIcon } from '../../components/icons.tsx';

/** 12px line icons for the filter bar, in the app's icon style. */
function Icon(props: SVGProps<SVGSVGElement>) {
  return <BaseIcon width="12" height="12" viewBox="0 0 12 12" {...props} />;
}

export function ChevronDownIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <Icon {...props}>
      <path d="m3 4.5 3 3 3-3" />
    </Icon>
  );
}

export function CloseIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <Icon {...props}>
      <path d="m3.5 3.5 5 5m0-5-5 5" />
    </Icon>
  );
}

export function CheckIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <Icon {...props}>
      <path d="m2.5 6.25 2.5 2.5 4.5-5" />
    </Icon>
  );
}

export function OpenIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <Icon {...props}>
      <path d="M5 2.5H2.5v7h7V7M7 2.5h2.5V5M9.5 2.5 5.5 6.5" />
    </Icon>
  );
}
