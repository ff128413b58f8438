import type { ExtractOptions } from './types.ts';

/** Messages between the ingest service and extract-worker. */
export interface ExtractRequest {
  id: number;
  path: string;
  opts: ExtractOptions;
}

export type ExtractResponse =
  /** `json` is a PackedExtractResult. */
  | { id: number; ok: true; json: string }
  | { id: number; ok: false; message: string; code: string | null };
