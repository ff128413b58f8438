import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLines, runCodex } from './codex-process.ts';
import {
  DEFAULT_CONSOLIDATE_TIMEOUT_MS,
  DEFAULT_EXTRACT_TIMEOUT_MS,
  PHASES,
  ProviderError,
  type ConsolidateRequest,
  type ConsolidateResult,
  type ExtractRequest,
  type ExtractResult,
  type MemoryProvider,
  type ProviderEnv,
  type TokenUsage,
} from './provider.ts';

/**
 * The user's Codex CLI, run non-interactively (`codex exec`) with their existing login. Flags checked against
 * `codex-rs/exec/src/cli.rs` and `docs/config.md` of openai/codex: `--skip-git-repo-check`, `--sandbox`,
 * `--json` (JSONL events: usage from `turn.completed`), `--output-schema FILE`, `--output-last-message FILE`,
 * `-m MODEL`, `-` = prompt from stdin, `-c key=<TOML value>` overrides. `codex exec` has no
 * `--ask-for-approval` flag (it always runs with approval `never`); phase 2 still says so with `-c`.
 */
export interface CodexCliOptions {
  /** The executable (`codex`, or a full path); looked up on `env.PATH`. */
  command: string;
  /** The environment Codex runs with (its PATH, HOME, CODEX_HOME…). */
  env: ProviderEnv;
}

const effort = (phase: keyof typeof PHASES): string => `model_reasoning_effort="${PHASES[phase].effort}"`;

/** Phase 1 argv (seed §5.8): read-only sandbox, structured output, the last message to a file. */
export function extractArgs(model: string, schemaFile: string, lastMessageFile: string): string[] {
  return [
    'exec',
    '--skip-git-repo-check',
    '--sandbox',
    'read-only',
    '--json',
    '--output-schema',
    schemaFile,
    '--output-last-message',
    lastMessageFile,
    '-c',
    effort('extract'),
    '-m',
    model,
    '-',
  ];
}

/** Phase 2 argv (seed §5.12): cwd = memory root, workspace-write without network, approval never. */
export function consolidateArgs(model: string): string[] {
  return [
    'exec',
    '--skip-git-repo-check',
    '--sandbox',
    'workspace-write',
    '--json',
    '-c',
    'approval_policy="never"',
    '-c',
    'sandbox_workspace_write.network_access=false',
    '-c',
    effort('consolidate'),
    '-m',
    model,
    '-',
  ];
}

/** What the `--json` events said: summed `turn.completed` usage and the last error message. */
class EventLog {
  usage: TokenUsage | null = null;
  error: string | null = null;

  line(text: string): void {
    let ev: Record<string, unknown>;
    try {
      const v = JSON.parse(text) as unknown;
      if (typeof v !== 'object' || v === null) return;
      ev = v as Record<string, unknown>;
    } catch {
      return; // not an event (older CLIs print text)
    }
    const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    if (ev.type === 'turn.completed' && typeof ev.usage === 'object' && ev.usage !== null) {
      const u = ev.usage as Record<string, unknown>;
      const prev = this.usage ?? { input: 0, cachedInput: 0, output: 0, reasoningOutput: 0, total: 0 };
      const input = n(u.input_tokens);
      const output = n(u.output_tokens);
      this.usage = {
        input: prev.input + input,
        cachedInput: prev.cachedInput + n(u.cached_input_tokens),
        output: prev.output + output,
        reasoningOutput: prev.reasoningOutput + n(u.reasoning_output_tokens),
        total: prev.total + input + output,
      };
    } else if (ev.type === 'turn.failed' || ev.type === 'error') {
      const e = ev.type === 'error' ? ev : (ev.error as Record<string, unknown> | undefined);
      if (typeof e?.message === 'string') this.error = e.message;
    }
  }
}

function exitFailure(
  command: string,
  code: number | null,
  signal: string | null,
  log: EventLog,
  stderr: string,
) {
  const how = code !== null ? `exited with code ${code}` : `was ended by ${signal ?? 'a signal'}`;
  const detail = log.error ?? lastLines(stderr, 8);
  return new ProviderError('failed', `${command} exec ${how}${detail ? `: ${detail}` : ''}`);
}

/** Every file under `root` (relative, `/`-separated) with a signature that changes when it is rewritten. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path, name);
      else if (e.isFile()) {
        const s = await stat(path, { bigint: true }).catch(() => null);
        if (s) out.set(name, `${s.mtimeNs}:${s.size}:${s.ino}`);
      }
    }
  };
  await walk(root, '');
  return out;
}

export function createCodexCliProvider(opts: CodexCliOptions): MemoryProvider {
  const command = opts.command;

  const extract = async (req: ExtractRequest): Promise<ExtractResult> => {
    const dir = await mkdtemp(join(tmpdir(), 'threadscope-codex-'));
    try {
      const schemaFile = join(dir, 'output-schema.json');
      const lastFile = join(dir, 'last-message.txt');
      await writeFile(schemaFile, JSON.stringify(req.schema), 'utf8');
      const log = new EventLog();
      const exit = await runCodex({
        command,
        args: extractArgs(req.model, schemaFile, lastFile),
        cwd: dir,
        env: opts.env,
        stdin: `${req.system}\n\n${req.user}`,
        signal: req.signal,
        timeoutMs: req.timeoutMs ?? DEFAULT_EXTRACT_TIMEOUT_MS,
        onLine: (l) => log.line(l),
      });
      if (exit.code !== 0) throw exitFailure(command, exit.code, exit.signal, log, exit.stderrTail);
      const text = await readFile(lastFile, 'utf8').catch(() => '');
      if (!text.trim())
        throw new ProviderError(
          'bad_output',
          `${command} exec finished without a final message${log.error ? ` (${log.error})` : ''}`,
        );
      return { text, usage: log.usage };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  const consolidate = async (req: ConsolidateRequest): Promise<ConsolidateResult> => {
    const root = await stat(req.memoryRoot).catch(() => null);
    if (!root?.isDirectory())
      throw new ProviderError('failed', `The memory folder ${req.memoryRoot} does not exist`);
    const before = await snapshot(req.memoryRoot);
    const log = new EventLog();
    const exit = await runCodex({
      command,
      args: consolidateArgs(req.model),
      cwd: req.memoryRoot,
      env: opts.env,
      stdin: req.prompt,
      signal: req.signal,
      timeoutMs: req.timeoutMs ?? DEFAULT_CONSOLIDATE_TIMEOUT_MS,
      onLine: (l) => log.line(l),
    });
    if (exit.code !== 0) throw exitFailure(command, exit.code, exit.signal, log, exit.stderrTail);
    const after = await snapshot(req.memoryRoot);
    const written = [...after]
      .filter(([name, sig]) => before.get(name) !== sig)
      .map(([name]) => name)
      .sort();
    return { usage: log.usage, written };
  };

  return { kind: 'codex-cli', extract, consolidate };
}
