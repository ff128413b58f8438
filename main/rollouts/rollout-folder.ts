import { EventKind, LineKind, matchesAt, skimEnvelope } from './envelope-skim.ts';
import type { SkimmedEnvelope } from './envelope-skim.ts';
import {
  isSpace,
  LatestTimestamp,
  parseLine,
  parseWithoutStrings,
  readPlainString,
  readTotalTokens,
} from './line-bytes.ts';
import type { LineSink } from './line-splitter.ts';
import { parseTimestampMs } from './rollout-name.ts';
import {
  applyItemCompleted,
  applyLegacyHeader,
  applyLegacyItem,
  applySessionMeta,
  applyThreadSettingsModel,
  applyTokenCount,
  applyTokenTotal,
  applyTurnContext,
  applyUserMessageEvent,
  asObject,
  ensureMeta,
  needsUserMessage,
  noteLineTimestamp,
} from './thread-fold.ts';
import type { FoldContext, JsonObject } from './thread-fold.ts';
import type { FoldState } from './types.ts';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const INFO_NULL = Buffer.from(',"info":null');
const INFO_TOTAL = Buffer.from(',"info":{"total_token_usage":{');
const SETTINGS_MODEL = Buffer.from(',"thread_settings":{"model":"');
/** Members of session_meta that metadata never reads and that make up most of its bytes. */
const SESSION_META_SKIPPED = [Buffer.from('"base_instructions":{"text":"'), Buffer.from('"instructions":"')];

/**
 * Folds rollout lines into a FoldState. Lines are classified from their first bytes and only the kinds that
 * can change thread metadata are parsed (seed §2.8's "affects thread metadata" set plus the newest builds'
 * equivalents); every other line costs a prefix check and a timestamp comparison.
 */
export class RolloutFolder {
  /** State after the last newline-terminated line: what a resume continues from. */
  readonly state: FoldState;
  /** State including an unterminated final line, when there is one. */
  tail: FoldState | null = null;
  private readonly ctx: FoldContext;
  private readonly env: SkimmedEnvelope = { tsStart: 0, tsEnd: 0, kind: 0, event: 0, cursor: 0 };
  private readonly latest: LatestTimestamp;
  /**
   * The newest turn_context not applied yet. Every turn_context overwrites the same fields, so while the cwd
   * is already known only the last one matters: keep its bytes, parse it once when something depends on it.
   */
  private pendingTurn = Buffer.alloc(0);
  private pendingTurnLength = 0;

  constructor(state: FoldState, ctx: FoldContext) {
    this.state = state;
    this.ctx = ctx;
    this.latest = new LatestTimestamp(state.lastLineMs);
  }

  readonly sink: LineSink = (buf, start, end, _endOffset, terminated) => {
    while (start < end && isSpace(buf[start])) start++;
    while (end > start && isSpace(buf[end - 1])) end--;
    if (start === end) return;
    if (terminated) {
      this.foldLine(this.state, buf, start, end);
      return;
    }
    // A resume re-reads this line once it is complete, so it must not leak into the resumable state.
    this.flush();
    const tail = structuredClone(this.state);
    tail.lines++;
    this.foldParsed(tail, parseLine(buf, start, end), tail.lines === 1);
    this.tail = tail;
  };

  /** Brings `state` up to date; call once all lines were delivered. */
  flush(): void {
    if (this.pendingTurnLength > 0) {
      const length = this.pendingTurnLength;
      this.pendingTurnLength = 0;
      const payload = asObject(asObject(parseLine(this.pendingTurn, 0, length))?.payload);
      if (payload) applyTurnContext(ensureMeta(this.state, this.ctx), payload);
      else this.state.parseErrors++;
    }
    this.state.lastLineMs = this.latest.value();
  }

  private foldLine(s: FoldState, buf: Buffer, start: number, end: number): void {
    s.lines++;
    if (buf[start] !== OPEN_BRACE || buf[end - 1] !== CLOSE_BRACE) {
      s.parseErrors++;
      return;
    }
    if (s.format === 'unknown' && s.lines === 1) {
      this.foldParsed(s, parseLine(buf, start, end), true);
      return;
    }
    if (s.format === 'legacy') {
      if (needsUserMessage(s.meta)) this.foldParsed(s, parseLine(buf, start, end), false);
      return;
    }
    const env = this.env;
    if (!skimEnvelope(buf, start, end, env)) {
      this.foldParsed(s, parseLine(buf, start, end), false);
      return;
    }
    this.latest.offer(buf, env.tsStart, env.tsEnd);
    switch (env.kind) {
      case LineKind.SessionMeta:
        this.foldEnvelopeValue(s, parseWithoutStrings(buf, start, end, SESSION_META_SKIPPED));
        return;
      case LineKind.TurnContext:
        if (s.meta !== null && s.meta.cwd !== '') this.deferTurn(buf, start, end);
        else this.foldEnvelopeValue(s, parseLine(buf, start, end));
        return;
      case LineKind.EventMsg:
        this.foldEvent(s, buf, start, end);
        return;
      default:
        return;
    }
  }

  private deferTurn(buf: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.pendingTurn.length < length) this.pendingTurn = Buffer.allocUnsafe(Math.max(length, 4096) * 2);
    buf.copy(this.pendingTurn, 0, start, end);
    this.pendingTurnLength = length;
  }

  private foldEvent(s: FoldState, buf: Buffer, start: number, end: number): void {
    const { event, cursor } = this.env;
    switch (event) {
      case EventKind.Unknown:
        this.foldEnvelopeValue(s, parseLine(buf, start, end));
        return;
      case EventKind.TokenCount: {
        if (matchesAt(buf, cursor, end, INFO_NULL)) return;
        const total = matchesAt(buf, cursor, end, INFO_TOTAL)
          ? readTotalTokens(buf, cursor + INFO_TOTAL.length - 1, end)
          : null;
        if (total !== null) applyTokenTotal(ensureMeta(s, this.ctx), total);
        else this.foldEnvelopeValue(s, parseLine(buf, start, end));
        return;
      }
      case EventKind.UserMessage:
      case EventKind.ItemCompleted:
        if (needsUserMessage(s.meta)) this.foldEnvelopeValue(s, parseLine(buf, start, end));
        return;
      case EventKind.ThreadSettingsApplied: {
        const model = matchesAt(buf, cursor, end, SETTINGS_MODEL)
          ? readPlainString(buf, cursor + SETTINGS_MODEL.length, end)
          : null;
        if (model === null) {
          this.foldEnvelopeValue(s, parseLine(buf, start, end));
          return;
        }
        this.flush();
        applyThreadSettingsModel(ensureMeta(s, this.ctx), model);
        return;
      }
      default:
        return;
    }
  }

  /** A parsed line already known to be an envelope (its timestamp is noted). */
  private foldEnvelopeValue(s: FoldState, value: unknown): void {
    const line = asObject(value);
    if (line === null) s.parseErrors++;
    else this.foldEnvelope(s, line);
  }

  private foldParsed(s: FoldState, value: unknown, first: boolean): void {
    const line = asObject(value);
    if (line === null) {
      s.parseErrors++;
      return;
    }
    if (typeof line.type === 'string' && line.payload !== undefined) {
      const ms = parseTimestampMs(line.timestamp);
      if (s === this.state) this.latest.offerMs(ms);
      else noteLineTimestamp(s, ms);
      this.foldEnvelope(s, line);
    } else if (first && s.format === 'unknown') {
      applyLegacyHeader(s, line, this.ctx);
    } else if (s.format === 'legacy' && s.meta !== null) {
      applyLegacyItem(s.meta, line);
    }
  }

  private foldEnvelope(s: FoldState, line: JsonObject): void {
    const payload = asObject(line.payload);
    if (payload === null) return;
    switch (line.type) {
      case 'session_meta':
        applySessionMeta(s, payload, parseTimestampMs(line.timestamp), this.ctx);
        return;
      case 'turn_context':
        if (s === this.state) this.flush();
        applyTurnContext(ensureMeta(s, this.ctx), payload);
        return;
      case 'event_msg':
        break;
      default:
        return;
    }
    switch (payload.type) {
      case 'token_count':
        applyTokenCount(ensureMeta(s, this.ctx), payload);
        return;
      case 'user_message':
        applyUserMessageEvent(ensureMeta(s, this.ctx), payload);
        return;
      case 'item_completed':
        applyItemCompleted(ensureMeta(s, this.ctx), payload);
        return;
      case 'thread_settings_applied':
        if (s === this.state) this.flush();
        applyThreadSettingsModel(ensureMeta(s, this.ctx), asObject(payload.thread_settings)?.model);
        return;
      default:
        return;
    }
  }
}
