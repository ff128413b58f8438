import { useSyncExternalStore } from 'react';
import type { BaseLocationHook, BaseSearchHook } from 'wouter';

/**
 * Hash routing that keeps the query inside the hash (`#/thread/<id>?at=12&q=term`), so a link restores the
 * whole view from app://threadscope/ (Electron) and from the serve shell's `/` alike. wouter's own hash hook moves the
 * query to `location.search`, which the serve shell's token exchange owns.
 */
function subscribe(callback: () => void): () => void {
  addEventListener('hashchange', callback);
  return () => removeEventListener('hashchange', callback);
}

function hashParts(): [path: string, search: string] {
  const raw = location.hash.replace(/^#?\/?/, '');
  const q = raw.indexOf('?');
  return q === -1 ? [`/${raw}`, ''] : [`/${raw.slice(0, q)}`, raw.slice(q + 1)];
}

const currentPath = (): string => hashParts()[0];
const currentSearch = (): string => hashParts()[1];

export function navigate(to: string, options?: { replace?: boolean }): void {
  const hash = `#${to.startsWith('/') ? to : `/${to}`}`;
  if (options?.replace) {
    const url = new URL(location.href);
    url.hash = hash;
    history.replaceState(history.state, '', url);
    dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

export const useHashPath: BaseLocationHook = () => [
  useSyncExternalStore(subscribe, currentPath, () => '/'),
  navigate,
];

export const useHashSearch: BaseSearchHook = () => useSyncExternalStore(subscribe, currentSearch, () => '');

/** `href` for a route, for plain anchors. */
export const hrefTo = (to: string): string => `#${to}`;
