import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpdateMetadataInput } from '../../preload/contract/index.ts';
import { openDatabase } from '../state/connection.ts';
import { stateDbFileName } from '../state/state-db.ts';
import {
  append,
  assistantLine,
  harness,
  ID,
  invoke,
  metaLine,
  modes,
  userLine,
  writeSession,
  type Harness,
} from './thread-actions-test-kit.ts';
import { validateGitValues, type GitValues } from './thread-metadata.ts';

const GIT = { commit_hash: 'abc1234', branch: 'main', repository_url: 'git@github.com:acme/app.git' };
type GitColumns = Record<'gitSha' | 'gitBranch' | 'gitOriginUrl', string | null>;
const STORED: GitColumns = {
  gitSha: 'abc1234',
  gitBranch: 'main',
  gitOriginUrl: 'git@github.com:acme/app.git',
};

describe('validateGitValues (seed §6.2 step 5)', () => {
  const cases: [string, GitValues, GitValues | RegExp][] = [
    ['omitted fields stay omitted', { gitBranch: 'dev' }, { gitBranch: 'dev' }],
    ['null clears', { gitSha: null }, { gitSha: null }],
    ['values are trimmed', { gitOriginUrl: '  https://x/y.git \n' }, { gitOriginUrl: 'https://x/y.git' }],
    ['empty string is refused', { gitBranch: '' }, /gitInfo\.branch must not be empty/],
    ['blank string is refused', { gitSha: '   ' }, /gitInfo\.sha must not be empty/],
    ['mixed patch', { gitSha: null, gitBranch: ' x ' }, { gitSha: null, gitBranch: 'x' }],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    if (expected instanceof RegExp) expect(() => validateGitValues(input)).toThrow(expected);
    else expect(validateGitValues(input)).toEqual(expected);
  });
});

describe.each(modes)('threads:updateMetadata (%s)', (_mode, scripts) => {
  let h: Harness;
  beforeEach(() => {
    h = harness(() => scripts);
  });
  afterEach(() => h.cleanup());

  const patchCases: [string, Omit<UpdateMetadataInput, 'id'>, GitColumns][] = [
    ['sets one field, keeps the others', { gitBranch: 'feature/x' }, { ...STORED, gitBranch: 'feature/x' }],
    ['null clears one field', { gitSha: null }, { ...STORED, gitSha: null }],
    [
      'several fields at once, trimmed',
      { gitSha: ' ffff000 ', gitOriginUrl: null },
      { ...STORED, gitSha: 'ffff000', gitOriginUrl: null },
    ],
  ];
  it.each(patchCases)('%s', async (_name, patch, expected) => {
    writeSession(h.home, metaLine(ID, GIT) + userLine('hello'));
    const c = await h.core();
    await c.start();
    const t = await invoke(c, 'threads:updateMetadata', { id: ID, ...patch });
    expect(t).toMatchObject(expected);
    expect(await invoke(c, 'threads:get', { id: ID })).toMatchObject(expected);
  });

  const errorCases: [string, UpdateMetadataInput, string, RegExp][] = [
    ['no field', { id: ID }, 'INVALID_INPUT', /at least one field/],
    ['empty branch', { id: ID, gitBranch: ' ' }, 'INVALID_INPUT', /gitInfo\.branch must not be empty/],
    ['empty origin', { id: ID, gitOriginUrl: '' }, 'INVALID_INPUT', /gitInfo\.originUrl must not be empty/],
    ['not a uuid', { id: 'nope', gitBranch: 'x' }, 'INVALID_INPUT', /not a thread id/],
    [
      'unknown thread without a rollout',
      { id: '019c0000-0000-7000-8000-0000000000ff', gitBranch: 'x' },
      'NOT_FOUND',
      /thread not found: 019c0000-0000-7000-8000-0000000000ff/,
    ],
  ];
  it.each(errorCases)('refuses: %s', async (_name, input, code, message) => {
    writeSession(h.home, metaLine(ID, GIT) + userLine('hello'));
    const c = await h.core();
    await c.start();
    await expect(invoke(c, 'threads:updateMetadata', input)).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
    expect(await invoke(c, 'threads:get', { id: ID })).toMatchObject(STORED);
  });

  it('repairs a missing row from its rollout before patching', async () => {
    const c = await h.core();
    await c.start();
    // Written after the scan (no watcher): on disk, not in the DB yet.
    writeSession(h.home, metaLine(ID, GIT) + userLine('not ingested yet'));
    const t = await invoke(c, 'threads:updateMetadata', { id: ID, gitBranch: 'repaired' });
    expect(t).toMatchObject({ ...STORED, gitBranch: 'repaired', title: 'not ingested yet' });

    // A row gone while its ingest record says the file is unchanged: the repair re-reads it anyway.
    const db = openDatabase(join(h.data, stateDbFileName));
    db.prepare('DELETE FROM threads WHERE id = ?').run(ID);
    db.close();
    const again = await invoke(c, 'threads:updateMetadata', { id: ID, gitSha: null });
    expect(again).toMatchObject({ gitSha: null, gitBranch: 'main', title: 'not ingested yet' });
  });

  it('keeps edited and cleared values when the rollout grows or is re-read in full', async () => {
    const path = writeSession(h.home, metaLine(ID, GIT) + userLine('hello'));
    const c = await h.core();
    await c.start();
    await invoke(c, 'threads:updateMetadata', { id: ID, gitBranch: 'edited', gitSha: null });

    append(path, assistantLine('more work') + userLine('and more', '2026-03-01T10:01:00.000Z'));
    expect(await invoke(c, 'ingest:rescan', {})).toMatchObject({ filesIngested: 1 });
    const grown = await invoke(c, 'threads:get', { id: ID });
    expect(grown).toMatchObject({ gitBranch: 'edited', gitSha: null, gitOriginUrl: GIT.repository_url });

    // Same size, new mtime: a full re-read from the session_meta line, which carries the old values.
    writeFileSync(path, readFileSync(path));
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(await invoke(c, 'ingest:rescan', {})).toMatchObject({ filesIngested: 1 });
    expect(await invoke(c, 'threads:get', { id: ID })).toMatchObject({
      gitBranch: 'edited',
      gitSha: null,
      gitOriginUrl: GIT.repository_url,
    });

    // A fresh app on the same data dir (start-up re-scan) agrees.
    await h.cleanupCores();
    const c2 = await h.core();
    await c2.start();
    expect(await invoke(c2, 'threads:get', { id: ID })).toMatchObject({ gitBranch: 'edited', gitSha: null });
  });

  it('emits threads:changed for the edited thread', async () => {
    writeSession(h.home, metaLine(ID, GIT) + userLine('hello'));
    const c = await h.core();
    await c.start();
    const seen: string[][] = [];
    c.bus.subscribe((name, p) => name === 'threads:changed' && seen.push((p as { ids: string[] }).ids));
    await invoke(c, 'threads:updateMetadata', { id: ID, gitOriginUrl: 'https://example.com/a.git' });
    expect(seen).toContainEqual([ID]);
  });
});
