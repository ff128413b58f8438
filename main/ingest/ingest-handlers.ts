import { existsSync } from 'node:fs';
import type { Handlers } from '../ipc/router.ts';
import type { IngestApi } from './ingest-api.ts';

type IngestHandlers = Pick<Handlers, 'ingest:status' | 'ingest:problems' | 'ingest:rescan'>;

export function createIngestHandlers(ingest: IngestApi, codexHome: string): IngestHandlers {
  return {
    'ingest:status': () => {
      const b = ingest.backfillState();
      return {
        codexHome,
        codexHomeExists: existsSync(codexHome),
        backfill: { status: b.status, lastWatermark: b.lastWatermark, lastSuccessAt: b.lastSuccessAt },
        progress: ingest.progress(),
        threadCount: ingest.threadCount(),
        problemCount: ingest.problemCount(),
      };
    },
    'ingest:problems': ({ limit }) => ingest.problems(limit),
    'ingest:rescan': () => ingest.scanAll(),
  };
}
