export type SourceKind = 'cli' | 'vscode' | 'exec' | 'mcp' | 'subagent' | 'unknown' | 'other';

export interface SourceInfo {
  kind: SourceKind;
  /** Short badge text: `cli`, `vscode`, `sub-agent`, … */
  label: string;
  /** Sub-agent nickname / kind (`Atlas`, `review`), or the raw value of an unfamiliar source. */
  detail: string | null;
}

const BARE: Record<string, SourceKind> = {
  cli: 'cli',
  vscode: 'vscode',
  exec: 'exec',
  mcp: 'mcp',
  unknown: 'unknown',
};

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * Decodes the seed's source column: a bare string (`cli`, `vscode`, `exec`, `mcp`) or compact JSON
 * for sub-agents: `{"subagent":"review"}` or
 * `{"subagent":{"thread_spawn":{"parent_thread_id":…,"depth":1,"agent_nickname":"Atlas","agent_role":"explorer"}}}`.
 * Readers try JSON first, then the bare string, as the seed does.
 */
export function parseSource(
  raw: string,
  nickname: string | null = null,
  role: string | null = null,
): SourceInfo {
  // Every list row asks, and there are few distinct sources: JSON.parse throwing on `cli` is not cheap.
  const key = `${raw}\u0000${nickname ?? '\u0001'}\u0000${role ?? '\u0001'}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const info = decodeSource(raw, nickname, role);
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(key, info);
  return info;
}

const parsed = new Map<string, SourceInfo>();
const PARSED_MAX = 1000;

function decodeSource(raw: string, nickname: string | null, role: string | null): SourceInfo {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  if (typeof value === 'string') {
    const kind = BARE[value];
    if (kind) return { kind, label: value, detail: null };
    return value.trim() === ''
      ? { kind: 'unknown', label: 'unknown', detail: null }
      : { kind: 'other', label: value, detail: null };
  }

  const obj = record(value);
  if (obj && 'subagent' in obj) {
    const sub = obj.subagent;
    if (typeof sub === 'string') return { kind: 'subagent', label: 'sub-agent', detail: nickname ?? sub };
    const subObj = record(sub);
    const spawn = record(subObj?.thread_spawn);
    if (spawn) {
      const name = text(spawn.agent_nickname) ?? nickname ?? text(spawn.agent_role) ?? role;
      return { kind: 'subagent', label: 'sub-agent', detail: name };
    }
    const other = subObj ? (text(subObj.other) ?? Object.keys(subObj)[0] ?? null) : null;
    return { kind: 'subagent', label: 'sub-agent', detail: nickname ?? other };
  }
  return { kind: 'other', label: 'other', detail: raw };
}

/**
 * The desktop app records its threads as `vscode` (it is an app-server host like the IDE extension);
 * only the originator tells them apart (rollout-format.md: `Codex Desktop`).
 */
export function isDesktopOriginator(originator: string | null | undefined): boolean {
  return typeof originator === 'string' && /desktop/i.test(originator);
}

/** parseSource, with `vscode` threads written by the desktop app shown as `desktop`. */
export function parseThreadSource(thread: {
  source: string;
  agentNickname: string | null;
  agentRole: string | null;
  originator?: string | null | undefined;
}): SourceInfo {
  const info = parseSource(thread.source, thread.agentNickname, thread.agentRole);
  return info.kind === 'vscode' && isDesktopOriginator(thread.originator)
    ? { kind: 'vscode', label: 'desktop', detail: null }
    : info;
}

export function sourceBadgeText(info: SourceInfo): string {
  return info.detail && info.kind === 'subagent' ? `${info.label} · ${info.detail}` : info.label;
}

const KIND_LABELS: Record<string, string> = {
  cli: 'CLI',
  vscode: 'IDE (VS Code)',
  exec: 'exec',
  mcp: 'MCP',
  subagent: 'Sub-agent',
  unknown: 'Unknown',
};

/** Menu label of a source kind (`ListThreadsInput.sourceKinds`): `CLI`, `Sub-agent`, or the raw value. */
export function sourceKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? (kind.trim() === '' ? 'Unknown' : kind);
}

/** Badge colour class of a source kind. */
export function sourceKindClass(kind: string): SourceKind {
  return kind === 'subagent' ? 'subagent' : parseSource(kind).kind;
}
