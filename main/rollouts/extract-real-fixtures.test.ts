import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractRollout } from './extract-metadata.ts';
import type { ThreadMeta } from './types.ts';

const dir = fileURLToPath(new URL('../../../shared/fixtures/rollouts/real/', import.meta.url));
const present = existsSync(dir);
if (!present) console.warn(`real rollout fixtures not found at ${dir}: skipping the real-file tests`);

type Expected = Partial<Omit<ThreadMeta, 'updatedAt'>> & {
  updatedAt?: number | 'mtime';
  /** Prefixes, since the real texts are long. */
  titlePrefix?: string;
  firstUserMessagePrefix?: string;
  problem?: string | null;
};

const defaults: Expected = {
  modelProvider: 'openai',
  agentNickname: null,
  agentRole: null,
  parentThreadId: null,
  problem: null,
};

/**
 * Determined by reading each file (first session_meta, last line timestamp, last turn_context model, last
 * non-null token_count, first user_message event), with throwaway node one-liners, not with this module.
 */
const table: Record<string, Expected> = {
  '0h-n0__local-voice-assistant-codex__rollout-2025-12-26T01-48-36-019b5669-8da8-7bc3-bed8-e1c1b805dad5.jsonl':
    {
      id: '019b5669-8da8-7bc3-bed8-e1c1b805dad5',
      createdAt: 1766681316,
      updatedAt: 1766681360,
      source: '{"subagent":"review"}',
      cwd: '/home/relu/misc/local-voice-assistant-codex',
      titlePrefix: "Review the code changes against the base branch 'main'.",
      firstUserMessagePrefix: 'Review the code changes against the base',
      cliVersion: '0.77.0',
      gitSha: 'f724b1d14af973ff57a4653db4c7d6b7e45faf7c',
      gitBranch: '001-stt-api',
      gitOriginUrl: 'git@github.com:0h-n0/local-voice-assistant-codex.git',
      model: 'gpt-5.1-codex-max',
      reasoningEffort: 'low',
      tokensUsed: 74831,
    },
  'ADIOCLASSMATE__dotfile__rollout-2026-07-03T15-12-18-019f26d2-378f-7123-aaab-925df3e2bf7b.jsonl': {
    id: '019f26d2-378f-7123-aaab-925df3e2bf7b',
    createdAt: 1783062738,
    updatedAt: 1783063021,
    source: 'vscode',
    originator: 'Codex Desktop',
    cwd: '/Users/wjx/qz-cli',
    titlePrefix: 'ubpb_c4_342M_sdar_g1这个jobs失败了',
    firstUserMessagePrefix: 'ubpb_c4_342M_sdar_g1',
    cliVersion: '0.142.5',
    gitSha: null,
    gitBranch: null,
    gitOriginUrl: null,
    model: 'gpt-5.5',
    tokensUsed: 662820,
    sandboxPolicy: '{"type":"danger-full-access"}',
    approvalMode: 'never',
  },
  'BearTDK6__ba-pro__rollout-2026-01-26T22-48-44-019bfafe-3da9-7880-ba6c-483ad20ea4af.jsonl': {
    id: '019bfafe-3da9-7880-ba6c-483ad20ea4af',
    createdAt: 1769442524,
    updatedAt: 1769442637,
    source: 'vscode',
    cwd: '/Users/kane/Workspace/airdata/2-airdata-connect-pro/acp-hotel-service',
    titlePrefix: '```\n            //#region Tính khuyến mãi',
    firstUserMessagePrefix: '```\n',
    cliVersion: '0.89.0',
    gitSha: '5c93895d8078dcc89abd048a1316a65b63ee2d89',
    gitBranch: 'fix/refactor-engine',
    gitOriginUrl: 'git@gitlab.airdata.site:airdata/airdata-servicing/acp-hotel-service.git',
    model: 'gpt-5.2-codex',
    tokensUsed: 169060,
  },
  'Fatdevil__GolfIQ-YOLO__rollout-2025-09-23T20-30-57-019977d7-d30a-7202-ae9b-946b851efde4.jsonl': {
    id: '019977d7-d30a-7202-ae9b-946b851efde4',
    createdAt: 1758652257,
    updatedAt: 1758691934,
    source: 'vscode',
    cwd: 'C:\\Users\\stell\\GolfIQ-YOLO',
    titlePrefix: '---\ndescription: Create or update the project constitution',
    firstUserMessagePrefix: '---\ndescription:',
    cliVersion: '0.40.0',
    gitSha: '24fdcf97a40efe460f5d9dde048a3b274fcdd282',
    gitBranch: 'spec-kit-adoption',
    gitOriginUrl: 'https://github.com/Fatdevil/GolfIQ-YOLO.git',
    model: 'gpt-5-codex',
    reasoningEffort: 'high',
    tokensUsed: 42095283,
    sandboxPolicy:
      '{"mode":"workspace-write","network_access":false,"exclude_tmpdir_env_var":false,"exclude_slash_tmp":false}',
  },
  'Fatdevil__GolfIQ-YOLO__rollout-2025-09-24T17-55-48-01997c70-23f7-73d2-8f74-f9124ff97828.jsonl': {
    problem: 'empty session file',
  },
  'MoonLadderStudios__MoonMind__rollout-2025-11-13T18-21-11-019a802a-aab1-7c31-9831-d2510c7a74a2.jsonl': {
    id: '019a802a-aab1-7c31-9831-d2510c7a74a2',
    createdAt: 1763086871,
    updatedAt: 1763087304,
    source: 'cli',
    cwd: '/mnt/d/ai/MoonMind',
    titlePrefix: '## User Input\n\n```text',
    firstUserMessagePrefix: '## User Input',
    cliVersion: '0.58.0',
    gitSha: '822e156eb17a80c2276ae53673f3a9867c244b9c',
    gitBranch: 'main',
    gitOriginUrl: 'git@github.com:MoonLadderStudios/MoonMind.git',
    model: 'gpt-5.1-codex',
    tokensUsed: 1090187,
  },
  'Ogekuri__useReq__rollout-2025-12-15T14-40-50-019b223e-0dc7-7f72-94d5-2a5a495afaef.jsonl': {
    id: '019b223e-0dc7-7f72-94d5-2a5a495afaef',
    createdAt: 1765806050,
    updatedAt: 1765806072,
    source: 'vscode',
    cwd: '/home/ogekuri/useReq',
    title: 'traduci README.dm in inflese',
    firstUserMessage: 'traduci README.dm in inflese',
    cliVersion: '0.70.0-alpha.4',
    gitSha: '84742057cf89e300eb203ca035a81822ae001bcc',
    gitBranch: 'master',
    gitOriginUrl: 'git@github.com:Ogekuri/useReq.git',
    model: 'gpt-5.1-codex',
    tokensUsed: 18207,
  },
  'SproutSeeds__coda__rollout-2025-10-04T22-19-01-0199b261-401d-75c1-af9e-a44a18e60d0a.jsonl': {
    id: '0199b261-401d-75c1-af9e-a44a18e60d0a',
    createdAt: 1759634341,
    updatedAt: 1759634346,
    source: 'cli',
    cwd: '/Users/codymitchell/Documents/code/coda',
    title: '',
    firstUserMessage: '',
    cliVersion: '0.44.0',
    gitSha: '4ce7a1e755027654e99e7f9c9b4e190b61cd6ece',
    gitBranch: 'main',
    gitOriginUrl: 'https://github.com/SproutSeeds/coda-cli.git',
    model: null,
    tokensUsed: 0,
    sandboxPolicy: '{"type":"read-only"}',
    approvalMode: 'on-request',
  },
  'h-morishita-esol__devenv__rollout-2026-02-19T19-07-06-019c755e-168e-73c1-951b-0ef453bde2ee.jsonl': {
    id: '019c755e-168e-73c1-951b-0ef453bde2ee',
    createdAt: 1771495626,
    updatedAt: 1771495863,
    source: 'cli',
    cwd: '/home/h-morishita/program/env_codex',
    titlePrefix: 'レビューエージェントで .kiro/specs/env/requirements.md',
    firstUserMessagePrefix: 'レビューエージェントで',
    cliVersion: '0.104.0',
    gitSha: '2167512b5a18f397e33ae8163ced24a658d56951',
    gitBranch: 'main',
    gitOriginUrl: null,
    model: 'gpt-5.3-codex',
    tokensUsed: 236973,
  },
  'h-morishita-esol__devenv__rollout-2026-02-19T19-08-47-019c755f-a102-7ab2-bde8-460b1d554d4d.jsonl': {
    id: '019c755f-a102-7ab2-bde8-460b1d554d4d',
    createdAt: 1771495727,
    updatedAt: 1771495769,
    source:
      '{"subagent":{"thread_spawn":{"parent_thread_id":"019c755e-168e-73c1-951b-0ef453bde2ee","depth":1}}}',
    cwd: '/home/h-morishita/program/env_codex',
    titlePrefix: 'あなたはレビューエージェントです。',
    firstUserMessagePrefix: 'あなたはレビューエージェントです。',
    cliVersion: '0.104.0',
    gitSha: '2167512b5a18f397e33ae8163ced24a658d56951',
    gitBranch: 'main',
    gitOriginUrl: null,
    parentThreadId: '019c755e-168e-73c1-951b-0ef453bde2ee',
    agentDepth: 1,
    model: 'gpt-5.1-codex-mini',
    tokensUsed: 77338,
    approvalMode: 'never',
  },
  'h-morishita-esol__devenv__rollout-2026-03-17T15-29-27-019cfa7c-2b5c-7051-a07b-37c07ba433ba.jsonl': {
    id: '019cfa7c-2b5c-7051-a07b-37c07ba433ba',
    createdAt: 1773728967,
    updatedAt: 1773730942,
    source: 'cli',
    originator: 'codex-tui',
    cwd: '/home/h-morishita/program/devenv',
    titlePrefix: 'このプロジェクトの使用方法を、以下のように変更したい。',
    firstUserMessagePrefix: 'このプロジェクトの使用方法を',
    cliVersion: '0.115.0',
    gitSha: '57a8d1c11b0bae96996acfb8f98d0504dc5a24bb',
    gitBranch: 'main',
    gitOriginUrl: 'https://github.com/h-morishita-esol/devenv.git',
    model: 'gpt-5.4',
    tokensUsed: 1358904,
  },
  'jarvis-systems__brain-node__rollout-2025-12-09T02-46-36-019b0093-0f99-75e3-9b62-65da9e3c9e61.jsonl': {
    id: '019b0093-0f99-75e3-9b62-65da9e3c9e61',
    createdAt: 1765241196,
    updatedAt: 1765241209,
    source: 'exec',
    originator: 'codex_exec',
    cwd: '/Users/xsaven/PhpstormProjects/jarvis-brain-node',
    title: 'What is you name? And make memory stats report',
    firstUserMessage: 'What is you name? And make memory stats report',
    cliVersion: '0.65.0',
    gitSha: 'fee9a60da2ff0665e09a7c8cfbd5bcbf9560c9bc',
    gitBranch: 'master',
    gitOriginUrl: 'git@github.com:jarvis-systems/brain-node.git',
    model: 'gpt-5.1-codex-max',
    reasoningEffort: null,
    tokensUsed: 21140,
  },
  'seokhyeonhong__motion-jepa__rollout-2026-07-26T06-37-23-019f9b36-1e6d-7651-9801-5450483871e2.jsonl': {
    id: '019f9b36-1e6d-7651-9801-5450483871e2',
    createdAt: 1785015443,
    updatedAt: 1786060127,
    source: 'cli',
    cwd: '/source/seokhyeon/motion-jepa/motion-jepa',
    titlePrefix: '이 프로젝트에 맞는 데이터셋을 처리할 거야.',
    firstUserMessagePrefix: '이 프로젝트에 맞는',
    cliVersion: '0.145.0',
    gitSha: '7549f920335bbdd87321e29ff1f053c368f50f4d',
    gitBranch: 'main',
    gitOriginUrl: 'https://github.com/seokhyeonhong/motion-jepa.git',
    model: 'gpt-5.6-sol',
    tokensUsed: 26259431,
  },
  'soichiro-nitta__dotfiles__rollout-2025-08-25T21-06-52-8a837827-6a97-40ad-9fc8-905176aa9307.jsonl': {
    id: '8a837827-6a97-40ad-9fc8-905176aa9307',
    // Legacy quirk: local time written with a `Z`; taken as written.
    createdAt: 1756156012,
    updatedAt: 'mtime',
    source: 'vscode',
    cwd: '',
    title: 'model_reasoning_effort=high',
    firstUserMessage: 'model_reasoning_effort=high',
    cliVersion: '',
    gitSha: null,
    gitBranch: null,
    gitOriginUrl: null,
    model: null,
    tokensUsed: 0,
  },
  'soichiro-nitta__dotfiles__rollout-2025-09-19T01-23-04-4accfe1e-cc02-49e1-a13c-2318fb86a0b1.jsonl': {
    id: '4accfe1e-cc02-49e1-a13c-2318fb86a0b1',
    createdAt: 1758212584,
    updatedAt: 1758212654,
    source: 'vscode',
    originator: 'codex_vscode',
    cwd: '/Users/soichiro/Work/aburi-all',
    title: '今私の見ているコード、確認して',
    firstUserMessage: '今私の見ているコード、確認して',
    cliVersion: '0.35.0',
    gitSha: 'e49b40dde49126f2917ca4eb77c164b616980299',
    gitBranch: 'ABURI_ALL-168',
    gitOriginUrl: 'git@github.com:NEOPA-Inc/aburi-all.git',
    model: 'gpt-5-codex',
    tokensUsed: 24965,
  },
};

describe.skipIf(!present)('extractRollout on the real corpus (shared/fixtures/rollouts/real)', () => {
  it('has an expected row for every fixture file', () => {
    const files = present ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : [];
    expect(files.sort()).toEqual(Object.keys(table).sort());
  });

  it.each(Object.entries(table))('%s', async (file, expected) => {
    const path = dir + file;
    const result = await extractRollout(path, { archived: false, defaultProvider: 'openai' });
    const { titlePrefix, firstUserMessagePrefix, problem, updatedAt, ...fields } = {
      ...defaults,
      ...expected,
    };
    expect(result.problem).toBe(problem);
    expect(result.parseErrors).toBe(0);
    expect(result.offset).toBe(readFileSync(path).length);
    if (problem) {
      expect(result.meta).toBeNull();
      return;
    }
    const meta = result.meta!;
    expect(meta).toMatchObject(fields);
    expect(meta.rolloutPath).toBe(path);
    const mtime = Math.floor(statSync(path).mtimeMs / 1000);
    expect(meta.updatedAt).toBe(updatedAt === 'mtime' ? Math.max(meta.createdAt, mtime) : updatedAt);
    if (titlePrefix !== undefined) expect(meta.title.startsWith(titlePrefix)).toBe(true);
    if (firstUserMessagePrefix !== undefined) {
      expect(meta.firstUserMessage.startsWith(firstUserMessagePrefix)).toBe(true);
    }
  });

  it('reads dynamic tools and memory mode where the corpus has them', async () => {
    const desktop = await extractRollout(
      dir + 'ADIOCLASSMATE__dotfile__rollout-2026-07-03T15-12-18-019f26d2-378f-7123-aaab-925df3e2bf7b.jsonl',
      { archived: true, defaultProvider: 'openai' },
    );
    expect(desktop.dynamicTools?.length).toBe(1);
    expect(desktop.meta!.archivedAt).toBe(1783063021);
    const resumed = await extractRollout(
      dir +
        'seokhyeonhong__motion-jepa__rollout-2026-07-26T06-37-23-019f9b36-1e6d-7651-9801-5450483871e2.jsonl',
      { archived: false, defaultProvider: 'openai' },
    );
    // 20 session_meta lines with the same id; the first has no memory_mode, later ones say "enabled".
    expect(resumed.memoryMode).toBe('enabled');
    expect(resumed.dynamicTools).toBeNull();
  });
});
