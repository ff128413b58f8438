import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from './temp-dir.ts';
import {
  edgeLines,
  writeLargeRollout,
  writeLines,
  writeSyntheticCodexHome,
  type SyntheticHome,
} from './synthetic-rollouts.ts';

const OPTS = { threads: 300, targetBytes: 30_000_000, seed: 7 };

function digest(dir: string): string {
  const h = createHash('sha256');
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const p = join(dir, f);
    if (statSync(p).isFile())
      h.update(f)
        .update(readFileSync(p))
        .update(String(statSync(p).mtimeMs));
  }
  return h.digest('hex');
}

describe('writeSyntheticCodexHome', () => {
  const tmp = makeTempDir();
  let home: SyntheticHome;
  beforeAll(() => {
    home = writeSyntheticCodexHome(join(tmp.dir, 'a'), OPTS);
  });
  afterAll(() => tmp.cleanup());

  it('is deterministic for a seed and differs for another', () => {
    writeSyntheticCodexHome(join(tmp.dir, 'b'), OPTS);
    writeSyntheticCodexHome(join(tmp.dir, 'c'), { ...OPTS, seed: 8 });
    const a = digest(join(tmp.dir, 'a'));
    expect(digest(join(tmp.dir, 'b'))).toBe(a);
    expect(digest(join(tmp.dir, 'c'))).not.toBe(a);
  });

  it('lays files out like CODEX_HOME', () => {
    expect(home.threads).toHaveLength(OPTS.threads);
    expect(new Set(home.threads.map((t) => t.id)).size).toBe(OPTS.threads);
    for (const t of home.threads) {
      const rel = relative(home.codexHome, t.path).split(sep).join('/');
      const name = `rollout-[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}-${t.id}\\.jsonl`;
      expect(rel).toMatch(
        new RegExp(t.archived ? `^archived_sessions/${name}$` : `^sessions/\\d{4}/\\d{2}/\\d{2}/${name}$`),
      );
      if (!t.legacy) expect(t.id[14]).toBe('7');
    }
    const count = (f: (t: SyntheticHome['threads'][number]) => boolean): number =>
      home.threads.filter(f).length;
    expect(count((t) => t.archived)).toBeGreaterThan(10);
    expect(count((t) => t.source === 'subagent')).toBeGreaterThan(2);
    expect(count((t) => t.legacy)).toBeGreaterThan(2);
    for (const s of ['cli', 'vscode', 'exec'] as const)
      expect(count((t) => t.source === s)).toBeGreaterThan(10);
    expect(new Set(home.threads.map((t) => t.cwd)).size).toBeGreaterThan(4);
    expect(new Set(home.threads.map((t) => t.model)).size).toBeGreaterThan(2);
  });

  it('hits the byte target, and the manifest matches the disk', () => {
    const onDisk = home.threads.reduce((n, t) => n + statSync(t.path).size, 0);
    expect(onDisk).toBe(home.totalBytes);
    expect(Math.abs(home.totalBytes - OPTS.targetBytes) / OPTS.targetBytes).toBeLessThan(0.01);
    for (const t of home.threads) expect(statSync(t.path).size).toBe(t.bytes);
  });

  it('writes parseable lines with the right heads, except where an edge case is intended', () => {
    for (const t of home.threads) {
      const buf = readFileSync(t.path);
      if (t.edge === 'empty') {
        expect(buf.length).toBe(0);
        continue;
      }
      expect(buf.at(-1) === 10).toBe(t.edge !== 'truncated');
      expect(buf.includes(0xff)).toBe(t.edge === 'invalid-utf8');
      const lines = buf.toString('utf8').split('\n').filter(Boolean);
      if (t.edge === 'truncated') lines.pop();
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const first = parsed[0] as { id?: string; type?: string; payload?: { id?: string; source?: unknown } };
      if (t.legacy) {
        expect(first.id).toBe(t.id);
        expect(first.type).toBeUndefined();
        continue;
      }
      expect(first.type).toBe('session_meta');
      expect(first.payload?.id).toBe(t.id);
      if (t.source === 'subagent') {
        expect(first.payload?.source).toMatchObject({
          subagent: { thread_spawn: { parent_thread_id: t.parentId, depth: t.depth } },
        });
      }
      const users = parsed.filter(
        (p) => (p.payload as { type?: string } | undefined)?.type === 'user_message',
      );
      expect(users.length > 0).toBe(t.title !== '');
    }
  });
});

describe('writeLargeRollout and edge lines', () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());

  it('writes exactly the requested size and takes the id from the file name', () => {
    const id = '019e8000-0000-7000-8000-000000000001';
    const t = writeLargeRollout(join(tmp.dir, `rollout-2026-06-01T09-00-00-${id}.jsonl`), 3_000_000);
    expect(t.id).toBe(id);
    expect(statSync(t.path).size).toBe(3_000_000);
    const lines = readFileSync(t.path, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(100);
    for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
  });

  it('produces the promised oddities', () => {
    const id = '019e8000-0000-7000-8000-000000000002';
    const path = join(tmp.dir, 'odd.jsonl');
    writeLines(path, [
      ...edgeLines.head(id),
      ...edgeLines.unknownTypes(),
      edgeLines.huge(2_000_000),
      edgeLines.invalidUtf8(),
      edgeLines.truncated(),
    ]);
    const buf = readFileSync(path);
    expect(buf.at(-1)).not.toBe(10);
    expect(buf.includes(Buffer.from([0xff, 0x20, 0xc3, 0x28]))).toBe(true);
    const lines = buf.toString('latin1').split('\n');
    expect(lines.find((l) => l.length === 2_000_000)).toBeDefined();
    expect(JSON.parse(edgeLines.huge(5000))).toMatchObject({ type: 'response_item' });
    expect(() => JSON.parse(lines.at(-1) ?? '') as unknown).toThrow();
    expect((JSON.parse(lines[0] ?? '') as { payload: { id: string } }).payload.id).toBe(id);
  });
});
