import type { PackedExtractResult } from './packed-state.ts';
import type { ExtractOptions } from './types.ts';

/** Messages between the ingest service and extract-worker. */
export interface ExtractRequest {
  id: number;
  path: string;
  opts: ExtractOptions;
}

export type ExtractResponse =
  | { id: number; ok: true; result: PackedExtractResult }
  | { id: number; ok: false; message: string; code: string | null };
