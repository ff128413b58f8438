import { SettingsStore } from './settings-store.ts';

/**
 * `memories.no_memories_if_mcp_or_web_search` (seed §5.4), read from settings.json each time it is asked:
 * ingestion asks once per run, so a change saved by the app or the CLI applies from the next run. Read on
 * the thread that owns the settings (the ingest worker gets the value with each run and never loads the
 * settings schema, which would cost it ~40 ms of start-up for zod).
 */
export function pollutionRuleFromSettings(dataDir: string | null): () => boolean {
  return () => dataDir !== null && new SettingsStore(dataDir).get().memories.no_memories_if_mcp_or_web_search;
}
