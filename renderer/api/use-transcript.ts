import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type { TranscriptItem } from '../../preload/contract/index.ts';
import { call } from './client.ts';
import { queryKeys } from './query-keys.ts';

/** Positions per transcript page: one request reads ~this many lines. */
export const TRANSCRIPT_PAGE_SIZE = 100;

export function transcriptPageQuery(id: string, page: number) {
  return {
    queryKey: queryKeys.transcript.page(id, page),
    queryFn: () =>
      call('transcript:page', { id, offset: page * TRANSCRIPT_PAGE_SIZE, limit: TRANSCRIPT_PAGE_SIZE }),
    staleTime: 30_000,
  };
}

/** The first page: its `total` sizes the list before the outline arrives. */
export function useTranscriptHead(id: string) {
  return useQuery(transcriptPageQuery(id, 0));
}

function itemsByPosition(results: readonly { data?: { items: TranscriptItem[] } | undefined }[]) {
  const byPosition = new Map<number, TranscriptItem>();
  for (const r of results) for (const item of r.data?.items ?? []) byPosition.set(item.position, item);
  return byPosition;
}

/** Pages by index (position window); items of the loaded ones by position. */
export function useTranscriptPages(id: string, pages: readonly number[]): Map<number, TranscriptItem> {
  return useQueries({
    queries: pages.map((page) => transcriptPageQuery(id, page)),
    // A stable combine: the map is rebuilt only when a page's data changes, not on every render.
    combine: itemsByPosition,
  });
}

export function useTranscriptOutline(id: string) {
  return useQuery({
    queryKey: queryKeys.transcript.outline(id),
    queryFn: () => call('transcript:outline', { id }),
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

export function useTranscriptFind(id: string, query: string) {
  return useQuery({
    queryKey: queryKeys.transcript.find(id, query),
    queryFn: () => call('transcript:find', { id, query, limit: 2000 }),
    enabled: query.trim().length > 0,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

/** Shares its cache entry with the thread actions, so archiving or a git edit shows here at once. */
export function useThread(id: string) {
  return useQuery({ queryKey: queryKeys.threads.detail(id), queryFn: () => call('threads:get', { id }) });
}

export function useThreadRelatives(id: string | null) {
  return useQuery({
    queryKey: queryKeys.transcript.relatives(id ?? ''),
    queryFn: () => call('threads:relatives', { id: id! }),
    enabled: id !== null,
  });
}
