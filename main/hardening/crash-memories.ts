import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { claimGlobalJob, readGlobalJob } from '../memories/global-job.ts';
import {
  artifactStem,
  buildArtifactSet,
  renderRawMemories,
  renderRolloutSummary,
  RAW_MEMORIES_FILE,
  ROLLOUT_SUMMARIES_DIR,
} from '../memories/memory-artifacts.ts';
import {
  MEMORY_CONFIG_DEFAULTS,
  PHASE1_ALLOWED_SOURCES,
  PHASE1_LEASE_SECONDS,
  PHASE1_SCAN_LIMIT,
  PHASE2_LEASE_SECONDS,
  STAGE1_JOB_KIND,
} from '../memories/memory-constants.ts';
import { getPhase2InputSelection } from '../memories/phase2-selection.ts';
import { claimStage1JobsForStartup, type ClaimStage1StartupParams } from '../memories/stage1-jobs.ts';
import { stateDbFileName } from '../state/state-db.ts';
import {
  startFakeModelServer,
  type FakeModelServerOptions,
  type ModelRequest,
} from '../test-support/fake-model-server.ts';
import { writeSyntheticCodexHome } from '../test-support/synthetic-rollouts.ts';
import { listFiles, peek, spawnServe, waitFor, type Child } from './crash-kit.ts';

export interface MemoriesCrashDeps {
  dir: () => string;
  track: (c: Child) => Child;
  /** Checks the DBs a killed process left, on a copy; returns the copy's folder. */
  expectIntactAfterKill: (dataDir: string) => string;
}

const HOUR_MS = 3_600_000;
const HOLD_MS = 60_000;
const schemaName = (r: ModelRequest): string =>
  String(((r.body?.response_format as { json_schema?: { name?: string } }) ?? {}).json_schema?.name ?? '');
const CONSOLIDATED = {
  memory_md: '# Task Group: crash tests\n\n### learnings\n- Leases bring jobs back after a crash.\n',
  memory_summary_md: '## General Tips\n- Read MEMORY.md first.\n',
};

/** No temp file and nothing but the expected files, each complete, in the memory root. */
function expectNoTornFiles(root: string, expected: Map<string, string>): void {
  const files = listFiles(root);
  expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
  expect(files).toEqual([...expected.keys()].sort());
  for (const [rel, text] of expected) expect(readFileSync(join(root, rel), 'utf8'), rel).toBe(text);
}

/**
 * The serve shell with memories on (settings.json written before start; an OpenAI-compatible provider
 * on the fake model server), SIGKILLed while phase 1's extractions are in flight, then — restarted at
 * once: taking over the dead process's lock ends its leases — while phase 2's consolidation is; a last
 * run completes. Returns the kill points.
 */
export async function memoriesCrashScenario(d: MemoriesCrashDeps): Promise<string[]> {
  const home = d.dir();
  const data = d.dir();
  const synth = writeSyntheticCodexHome(home, {
    threads: 8,
    targetBytes: 8 * 20_000,
    seed: 21,
    edgeCases: false,
    archivedShare: 0,
    subagentShare: 0,
    legacyShare: 0,
    endMs: Date.now() - 48 * HOUR_MS,
    spanDays: 5,
  });
  // What phase 1 picks (seed §5.7): CLI and IDE threads with a first user message.
  const eligible = synth.threads.filter((t) => (t.source === 'cli' || t.source === 'vscode') && t.title);
  const e = eligible.length;
  expect(e).toBeGreaterThanOrEqual(2);

  let stage1Answers = 0;
  let holdPhase2 = false;
  // `delayMs` is read per request: phase 1 hangs with it set; in the phase-2 run it is set by the last
  // phase-1 answer, so only the consolidation hangs.
  const fake: FakeModelServerOptions = {
    delayMs: HOLD_MS,
    output: (r: ModelRequest) => {
      if (schemaName(r) === 'memory_consolidation') return CONSOLIDATED;
      stage1Answers++;
      if (holdPhase2 && stage1Answers === e) fake.delayMs = HOLD_MS;
      return {
        rollout_summary: `# Summary ${stage1Answers}\n\n## Outcome\nDone.`,
        rollout_slug: `task-${stage1Answers}`,
        raw_memory: `---\ndescription: task ${stage1Answers}\n---\n- learned ${stage1Answers}`,
      };
    },
  };
  const model = await startFakeModelServer(fake);
  try {
    writeFileSync(
      join(data, 'settings.json'),
      JSON.stringify({
        version: 1,
        memories: { enabled: true, provider: { kind: 'openai-compatible', baseUrl: model.baseUrl } },
      }),
    );
    const stateDb = join(data, stateDbFileName);
    const root = join(data, 'memories');
    const count = (sql: string): number => Number(peek(stateDb, sql) ?? -1);
    const points: string[] = [];

    // Phase 1: killed with every extraction claimed and in flight.
    const p1 = d.track(spawnServe(home, data));
    await waitFor(
      'every phase-1 job running',
      () => {
        const running = count(
          `SELECT count(*) FROM jobs WHERE kind = '${STAGE1_JOB_KIND}' AND status = 'running'`,
        );
        return running === e && model.requests.length === e;
      },
      p1,
    );
    await p1.kill9();
    points.push(`memories phase 1 with ${e} extractions in flight`);
    const copy1 = d.expectIntactAfterKill(data);
    const db1 = new Database(join(copy1, stateDbFileName));
    let leaseEnd: number;
    try {
      const jobs = db1
        .prepare(`SELECT job_key, status, started_at, lease_until, ownership_token FROM jobs WHERE kind = ?`)
        .all(STAGE1_JOB_KIND) as {
        job_key: string;
        status: string;
        started_at: number;
        lease_until: number;
        ownership_token: string | null;
      }[];
      expect(jobs.map((j) => j.job_key).sort()).toEqual(eligible.map((t) => t.id).sort());
      for (const j of jobs) {
        expect(j).toMatchObject({ status: 'running' });
        expect(j.lease_until).toBe(j.started_at + PHASE1_LEASE_SECONDS);
        expect(j.ownership_token).toBeTruthy();
      }
      leaseEnd = Math.max(...jobs.map((j) => j.lease_until));
      const params: ClaimStage1StartupParams = {
        currentThreadId: 'crash-test',
        scanLimit: PHASE1_SCAN_LIMIT,
        maxClaimed: MEMORY_CONFIG_DEFAULTS.maxRolloutsPerStartup,
        maxAgeDays: MEMORY_CONFIG_DEFAULTS.maxRolloutAgeDays,
        minRolloutIdleHours: MEMORY_CONFIG_DEFAULTS.minRolloutIdleHours,
        allowedSources: PHASE1_ALLOWED_SOURCES,
        leaseSeconds: PHASE1_LEASE_SECONDS,
      };
      // While the dead run's leases last nobody takes its jobs; one second after, every one is taken over.
      expect(claimStage1JobsForStartup(db1, params, leaseEnd - 1)).toEqual([]);
      const taken = claimStage1JobsForStartup(db1, params, leaseEnd + 1);
      expect(taken.map((c) => c.threadId).sort()).toEqual(jobs.map((j) => j.job_key).sort());
    } finally {
      db1.close();
    }
    expectNoTornFiles(root, new Map());

    // Restarted at once: it takes over the dead process's data-dir lock, which ends that process's
    // leases (no hour to wait), takes the jobs over and finishes phase 1; killed while phase 2's
    // consolidation is in flight.
    fake.delayMs = 0;
    holdPhase2 = true;
    const p2 = d.track(spawnServe(home, data));
    await waitFor(
      'phase 2 consolidating',
      () => {
        const global = peek(stateDb, `SELECT status FROM jobs WHERE kind = 'memory_consolidate_global'`);
        return global === 'running' && model.requests.some((r) => schemaName(r) === 'memory_consolidation');
      },
      p2,
    );
    await p2.kill9();
    points.push(`memories phase 2 with the consolidation in flight`);
    const copy2 = d.expectIntactAfterKill(data);
    const db2 = new Database(join(copy2, stateDbFileName));
    try {
      const done = db2.prepare(`SELECT count(*) FROM jobs WHERE kind = ? AND status = 'done'`);
      expect(done.pluck().get(STAGE1_JOB_KIND)).toBe(e);
      expect(db2.prepare('SELECT count(*) FROM stage1_outputs').pluck().get()).toBe(e);
      const job = readGlobalJob(db2);
      expect(job).toMatchObject({ status: 'running' });
      const until = job?.leaseUntil ?? 0;
      expect(until).toBe((job?.startedAt ?? 0) + PHASE2_LEASE_SECONDS);
      expect(claimGlobalJob(db2, 'crash-test', PHASE2_LEASE_SECONDS, until - 1)).toEqual({
        kind: 'skipped_running',
      });
      expect(claimGlobalJob(db2, 'crash-test', PHASE2_LEASE_SECONDS, until + 1)).toMatchObject({
        kind: 'claimed',
      });
      // The artifacts phase 2 wrote before the consolidation are whole, byte for byte.
      const now = Math.floor(Date.now() / 1000);
      const sel = getPhase2InputSelection(
        db2,
        MEMORY_CONFIG_DEFAULTS.maxRawMemoriesForConsolidation,
        MEMORY_CONFIG_DEFAULTS.maxUnusedDays,
        now,
      );
      const artifacts = buildArtifactSet(sel.selected, sel.previousSelected);
      expect(artifacts).toHaveLength(e);
      const expected = new Map<string, string>([[RAW_MEMORIES_FILE, renderRawMemories(artifacts)]]);
      for (const a of artifacts)
        expected.set(join(ROLLOUT_SUMMARIES_DIR, `${artifactStem(a)}.md`), renderRolloutSummary(a));
      expectNoTornFiles(root, expected);
    } finally {
      db2.close();
    }

    // Restarted at once again: the consolidation's lease ends with the takeover; it is retried and completes.
    holdPhase2 = false;
    fake.delayMs = 0;
    const p3 = d.track(spawnServe(home, data));
    await waitFor(
      'phase 2 done',
      () => peek(stateDb, `SELECT status FROM jobs WHERE kind = 'memory_consolidate_global'`) === 'done',
      p3,
    );
    expect(await p3.stop()).toBe('0');
    const files = listFiles(root);
    expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(readFileSync(join(root, 'MEMORY.md'), 'utf8')).toBe(CONSOLIDATED.memory_md);
    expect(readFileSync(join(root, 'memory_summary.md'), 'utf8')).toBe(CONSOLIDATED.memory_summary_md);
    return points;
  } finally {
    await model.close();
  }
}
