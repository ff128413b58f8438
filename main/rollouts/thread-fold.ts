import { parseTimestampMs } from './rollout-name.ts';
import type { DynamicTool, FoldState, ThreadMeta } from './types.ts';

/** Seed builder defaults (§2.1) and the source Codex's deserializer assumes when `source` is absent. */
export const DEFAULT_SANDBOX = '{"type":"read-only"}';
export const DEFAULT_APPROVAL = 'on-request';
export const DEFAULT_SOURCE = 'vscode';
export const IMAGE_PLACEHOLDER = '[Image]';
const IDE_MARKER = '## My request for Codex:';

export type JsonObject = Record<string, unknown>;

export interface FoldContext {
  rolloutPath: string;
  defaultProvider: string;
  /** Id and creation time from the file name, the fallback builder. */
  nameInfo: { timestamp: number; id: string } | null;
}

export function asObject(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Seed §1.5: strings are stored bare, anything else as compact JSON. */
export function encodeValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function newFoldState(): FoldState {
  return {
    version: 1,
    format: 'unknown',
    meta: null,
    memoryMode: null,
    dynamicTools: null,
    lastLineMs: null,
    lines: 0,
    parseErrors: 0,
  };
}

export function newThreadMeta(id: string, createdAt: number, ctx: FoldContext): ThreadMeta {
  return {
    id,
    rolloutPath: ctx.rolloutPath,
    createdAt,
    updatedAt: createdAt,
    source: DEFAULT_SOURCE,
    modelProvider: ctx.defaultProvider,
    cwd: '',
    title: '',
    sandboxPolicy: DEFAULT_SANDBOX,
    approvalMode: DEFAULT_APPROVAL,
    tokensUsed: 0,
    archived: false,
    archivedAt: null,
    gitSha: null,
    gitBranch: null,
    gitOriginUrl: null,
    cliVersion: '',
    firstUserMessage: '',
    agentNickname: null,
    agentRole: null,
    model: null,
    reasoningEffort: null,
    originator: null,
    parentThreadId: null,
    forkedFromId: null,
    agentDepth: null,
  };
}

/**
 * Lines that precede the defining session_meta still fold (as in the seed, which folds every item onto the
 * builder); they land on a provisional record named after the file (id '' when the name has none).
 */
export function ensureMeta(state: FoldState, ctx: FoldContext): ThreadMeta {
  state.meta ??= newThreadMeta(ctx.nameInfo?.id ?? '', ctx.nameInfo?.timestamp ?? 0, ctx);
  return state.meta;
}

export function needsUserMessage(meta: ThreadMeta | null): boolean {
  return meta === null || meta.title === '' || meta.firstUserMessage === '';
}

export function noteLineTimestamp(state: FoldState, ms: number | null): void {
  if (ms !== null && (state.lastLineMs === null || ms > state.lastLineMs)) state.lastLineMs = ms;
}

function mapDynamicTools(value: unknown): DynamicTool[] | null {
  if (!Array.isArray(value)) return null;
  const tools: DynamicTool[] = [];
  for (const entry of value) {
    const tool = asObject(entry);
    if (!tool) continue;
    tools.push({
      name: str(tool.name) ?? '',
      description: str(tool.description) ?? '',
      inputSchema: tool.inputSchema ?? tool.input_schema ?? null,
    });
  }
  return tools;
}

/** Seed §3.4 session_meta effects plus the Threadscope columns. */
function foldSessionMeta(meta: ThreadMeta, p: JsonObject): void {
  meta.source = p.source === undefined || p.source === null ? DEFAULT_SOURCE : encodeValue(p.source);
  const spawn = asObject(asObject(asObject(p.source)?.subagent)?.thread_spawn);
  meta.agentNickname = str(p.agent_nickname) ?? str(spawn?.agent_nickname) ?? null;
  meta.agentRole =
    str(p.agent_role) ?? str(p.agent_type) ?? str(spawn?.agent_role) ?? str(spawn?.agent_type) ?? null;
  meta.modelProvider = nonEmpty(p.model_provider) ?? meta.modelProvider;
  meta.cliVersion = nonEmpty(p.cli_version) ?? meta.cliVersion;
  meta.cwd = nonEmpty(p.cwd) ?? meta.cwd;
  applyGit(meta, p.git);
  meta.originator = str(p.originator) ?? meta.originator;
  meta.parentThreadId = str(spawn?.parent_thread_id) ?? str(p.parent_thread_id) ?? meta.parentThreadId;
  if (typeof spawn?.depth === 'number') meta.agentDepth = spawn.depth;
  meta.forkedFromId = str(p.forked_from_id) ?? meta.forkedFromId;
}

function applyGit(meta: ThreadMeta, value: unknown): void {
  const git = asObject(value);
  if (!git) return;
  meta.gitSha = str(git.commit_hash);
  meta.gitBranch = str(git.branch);
  meta.gitOriginUrl = str(git.repository_url);
}

/**
 * The first session_meta defines the thread; later ones only count when they carry the same id (a fork
 * embeds its parent's meta with another id). Returns whether the line set an explicit `memory_mode`.
 */
export function applySessionMeta(
  state: FoldState,
  payload: JsonObject,
  lineMs: number | null,
  ctx: FoldContext,
): boolean {
  const id = nonEmpty(payload.id);
  if (id === null) return false;
  if (state.format === 'unknown') {
    const meta = ensureMeta(state, ctx);
    meta.id = id;
    const createdMs = parseTimestampMs(payload.timestamp);
    meta.createdAt =
      createdMs !== null
        ? toSeconds(createdMs)
        : (ctx.nameInfo?.timestamp ?? (lineMs !== null ? toSeconds(lineMs) : meta.createdAt));
    state.format = 'envelope';
    state.dynamicTools = mapDynamicTools(payload.dynamic_tools);
  } else if (state.meta === null || state.meta.id !== id) {
    return false;
  }
  foldSessionMeta(state.meta!, payload);
  if (typeof payload.memory_mode !== 'string') return false;
  state.memoryMode = payload.memory_mode;
  return true;
}

/** Legacy (pre-0.32) first line `{id, timestamp, instructions, git}`. */
export function applyLegacyHeader(state: FoldState, header: JsonObject, ctx: FoldContext): boolean {
  const id = nonEmpty(header.id);
  if (id === null || header.type !== undefined || header.timestamp === undefined) return false;
  const meta = ensureMeta(state, ctx);
  meta.id = id;
  const createdMs = parseTimestampMs(header.timestamp);
  meta.createdAt = createdMs !== null ? toSeconds(createdMs) : (ctx.nameInfo?.timestamp ?? meta.createdAt);
  applyGit(meta, header.git);
  state.format = 'legacy';
  return true;
}

export function applyTurnContext(meta: ThreadMeta, p: JsonObject): void {
  if (meta.cwd === '') meta.cwd = nonEmpty(p.cwd) ?? '';
  if (p.sandbox_policy !== undefined && p.sandbox_policy !== null)
    meta.sandboxPolicy = encodeValue(p.sandbox_policy);
  if (p.approval_policy !== undefined && p.approval_policy !== null) {
    meta.approvalMode = encodeValue(p.approval_policy);
  }
  if (typeof p.model === 'string') meta.model = p.model;
  meta.reasoningEffort = str(p.effort);
}

export function applyTokenTotal(meta: ThreadMeta, total: unknown): void {
  if (typeof total === 'number' && Number.isFinite(total)) meta.tokensUsed = Math.max(0, Math.trunc(total));
}

export function applyTokenCount(meta: ThreadMeta, p: JsonObject): void {
  const info = asObject(p.info);
  if (info) applyTokenTotal(meta, asObject(info.total_token_usage)?.total_tokens);
}

export function applyThreadSettingsModel(meta: ThreadMeta, model: unknown): void {
  if (typeof model === 'string' && model !== '') meta.model = model;
}

/** The text after the IDE marker (or the whole message), trimmed. */
export function requestText(message: string): string {
  const at = message.indexOf(IDE_MARKER);
  return (at === -1 ? message : message.slice(at + IDE_MARKER.length)).trim();
}

function applyUserText(meta: ThreadMeta, text: string, hasImage: boolean): void {
  if (meta.firstUserMessage === '')
    meta.firstUserMessage = text !== '' ? text : hasImage ? IMAGE_PLACEHOLDER : '';
  if (meta.title === '' && text !== '') meta.title = text;
}

function nonEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

export function applyUserMessageEvent(meta: ThreadMeta, p: JsonObject): void {
  const text = requestText(str(p.message) ?? '');
  applyUserText(meta, text, nonEmptyArray(p.images) || nonEmptyArray(p.local_images));
}

/** Paginated history writes user turns only as `item_completed` with a `UserMessage` item. */
export function applyItemCompleted(meta: ThreadMeta, p: JsonObject): void {
  const item = asObject(p.item);
  if (item?.type !== 'UserMessage' || !Array.isArray(item.content)) return;
  let message = '';
  let hasImage = false;
  for (const part of item.content) {
    const input = asObject(part);
    if (input?.type === 'text' && typeof input.text === 'string') message += input.text;
    else if (input?.type === 'image' || input?.type === 'local_image') hasImage = true;
  }
  applyUserText(meta, requestText(message), hasImage);
}

function isInjectedContext(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('<') || t.startsWith('# AGENTS.md instructions');
}

/** Legacy files have no events: the first user `message` item that is not injected context. */
export function applyLegacyItem(meta: ThreadMeta, item: JsonObject): void {
  if (item.type !== 'message' || item.role !== 'user' || !Array.isArray(item.content)) return;
  const texts: string[] = [];
  let hasImage = false;
  for (const part of item.content) {
    const content = asObject(part);
    if (!content) continue;
    if (typeof content.text === 'string' && (content.type === 'input_text' || content.type === 'text')) {
      if (!isInjectedContext(content.text)) texts.push(content.text);
    } else if (content.type === 'input_image') {
      hasImage = true;
    }
  }
  if (texts.length === 0 && !hasImage) return;
  applyUserText(meta, requestText(texts.join('\n')), hasImage);
}
