import type { ExtractOptions } from './types.ts';

/** Messages between the ingest service and extract-worker. */
export interface ExtractRequest {
  id: number;
  path: string;
  opts: ExtractOptions;
}

export type ExtractResponse =
  /** `json` is a PackedExtractResult; size / mtimeMs are the file's stat taken just before reading. */
  | { id: number; ok: true; json: string; size: number; mtimeMs: number }
  | { id: number; ok: false; message: string; code: string | null };
