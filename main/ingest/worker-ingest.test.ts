import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStateDb } from '../state/state-db.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { createWorkerIngest } from './worker-ingest.ts';

const temp = makeTempDir();
afterAll(() => temp.cleanup());

describe('worker-backed ingest', () => {
  it('fails runs with a clear error when the worker dies, then starts a fresh worker for the next run', async () => {
    const db = openStateDb(join(temp.dir, 'data'));
    const crashing = join(temp.dir, 'crashing-worker.mjs');
    writeFileSync(crashing, "throw new Error('cannot open the state DB: disk I/O error');\n");
    const events: string[] = [];
    const ingest = createWorkerIngest(
      pathToFileURL(crashing),
      {
        dbFile: join(temp.dir, 'data', 'state_5.sqlite'),
        codexHome: temp.dir,
        defaultProvider: 'openai',
        extractWorker: null,
      },
      db,
      { emit: (name: string) => events.push(name) },
    );
    await expect(ingest.scanAll()).rejects.toThrow(/ingest worker stopped: cannot open the state DB/);
    await expect(ingest.scanPaths(['/x'])).rejects.toThrow(/ingest worker stopped/);
    // Reads keep working from this thread's own connection.
    expect(ingest.threadCount()).toBe(0);
    expect(ingest.backfillState().status).toBe('pending');
    expect(ingest.progress().phase).toBe('idle');
    await ingest.close();
    db.close();
  });
});
