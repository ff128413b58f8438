/**
 * Shared set-up for the thread action tests: a temp CODEX_HOME with current-format rollouts (invented
 * values, shapes from shared/docs/rollout-format.md) and an app core wired inline or with workers.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Channel, Input, Output, Thread } from '../../preload/contract/index.ts';
import { createAppCore, type AppCore, type AppCoreOptions } from '../app/app-core.ts';
import type { WorkerScripts } from '../app/worker-url.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';

const ctx = { transport: 'test' } as const;
export const ID = '019c0000-0000-7000-8000-0000000000a1';

/** Both ways ingestion is wired: on the calling thread, and on the ingest + extract workers (from source). */
export const modes: [string, WorkerScripts][] = [
  ['inline', { ingest: null, extract: null }],
  [
    'workers',
    {
      ingest: new URL('../ingest/ingest-worker.ts', import.meta.url),
      extract: new URL('../rollouts/extract-worker.ts', import.meta.url),
    },
  ],
];

const line = (o: unknown): string => `${JSON.stringify(o)}\n`;

export interface Git {
  commit_hash?: string;
  branch?: string;
  repository_url?: string;
}

export function metaLine(id = ID, git: Git | null = null, cwd = '/home/alice/app'): string {
  const ts = '2026-03-01T10:00:00.000Z';
  return line({
    timestamp: ts,
    type: 'session_meta',
    payload: {
      id,
      timestamp: ts,
      cwd,
      originator: 'codex_cli_rs',
      cli_version: '0.111.0',
      source: 'cli',
      model_provider: 'openai',
      ...(git ? { git } : {}),
    },
  });
}

export const userLine = (text: string, ts = '2026-03-01T10:00:01.000Z'): string =>
  line({ timestamp: ts, type: 'event_msg', payload: { type: 'user_message', message: text, images: [] } });

export const assistantLine = (text: string, ts = '2026-03-01T10:00:05.000Z'): string =>
  line({
    timestamp: ts,
    type: 'response_item',
    payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] },
  });

export const sessionPath = (home: string, id = ID): string =>
  join(home, 'sessions', '2026', '03', '01', `rollout-2026-03-01T10-00-00-${id}.jsonl`);

export function writeSession(home: string, content: string, id = ID): string {
  const path = sessionPath(home, id);
  mkdirSync(join(home, 'sessions', '2026', '03', '01'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

export const append = (path: string, content: string): void => appendFileSync(path, content);

export interface Harness {
  home: string;
  data: string;
  core(opts?: Partial<AppCoreOptions>): Promise<AppCore>;
  /** Closes the cores started so far (the folders stay). */
  cleanupCores(): Promise<void>;
  cleanup(): Promise<void>;
}

export function harness(workers: () => WorkerScripts): Harness {
  const home = makeTempDir();
  const data = makeTempDir();
  const cores: AppCore[] = [];
  return {
    home: home.dir,
    data: data.dir,
    async core(opts = {}) {
      const c = await createAppCore({
        codexHome: home.dir,
        dataDir: data.dir,
        shell: 'test',
        watch: false,
        workers: workers(),
        ...opts,
      });
      cores.push(c);
      return c;
    },
    async cleanupCores() {
      for (const c of cores.splice(0)) await c.close();
    },
    async cleanup() {
      for (const c of cores.splice(0)) await c.close();
      home.cleanup();
      data.cleanup();
    },
  };
}

/** A call through the router, as a renderer makes it: input parsed by the contract, errors as codes. */
export async function invoke<C extends Channel>(c: AppCore, channel: C, input: Input<C>): Promise<Output<C>> {
  const r = await c.router.dispatch(channel, input, ctx);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as Output<C>;
}

export async function listIds(c: AppCore, archived: boolean): Promise<string[]> {
  const page = await invoke(c, 'threads:list', { limit: 500, archived, includeWithoutUserMessage: true });
  return page.items.map((t: Thread) => t.id);
}
