import {
  EventKind,
  LineKind,
  matchesAt,
  matchesWords,
  parseTimestampBytes,
  skimEnvelope,
  skimTemplate,
  wordsOf,
} from './envelope-skim.ts';
import type { SkimmedEnvelope } from './envelope-skim.ts';
import {
  isSpace,
  LatestTimestamp,
  parseLine,
  parseSessionMetaLine,
  parseText,
  readPlainString,
  readTotalTokens,
  readTotalTokensAt,
} from './line-bytes.ts';
import type { LineSink } from './line-splitter.ts';
import {
  ItemHint,
  mayCarrySignal,
  newMemorySignals,
  noteLine,
  noteParsed,
  notePolluting,
  responseItemHint,
} from './memory-signals.ts';
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
import type { FoldState, MemorySignals } from './types.ts';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const LF = 0x0a;
const CR = 0x0d;
const INFO_NULL = Buffer.from(',"info":null');
const INFO_TOTAL = Buffer.from(',"info":{"total_token_usage":{');
const INFO_NULL_WORDS = wordsOf(INFO_NULL.toString('latin1'));
const INFO_TOTAL_WORDS = wordsOf(INFO_TOTAL.toString('latin1'));
const SETTINGS_MODEL = Buffer.from(',"thread_settings":{"model":"');

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
  /** Memory signals of the terminated lines folded by this folder (this pass only; see memory-signals.ts). */
  readonly signals: MemorySignals = newMemorySignals();
  /** A session_meta line folded by this folder (tail included) set an explicit memory_mode, at this time. */
  memoryModeSeen = false;
  memoryModeAtMs: number | null = null;
  private readonly ctx: FoldContext;
  private readonly env: SkimmedEnvelope = { tsStart: 0, tsEnd: 0, kind: 0, event: 0, cursor: 0 };
  private readonly latest: LatestTimestamp;
  /**
   * The newest turn_context not applied yet. Every turn_context overwrites the same fields, so while the cwd
   * is already known only the last one matters: keep its text, parse it once when something depends on it.
   */
  private pendingTurn: string | null = null;
  /**
   * The newest turn_context seen by `foldLines` and not yet taken into `pendingTurn`: `[start, end)` of the
   * buffer being folded (start -1: none). Copying only the last one of a block saves a copy per line.
   */
  private blockTurnStart = -1;
  private blockTurnEnd = 0;

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

  /**
   * Folds every newline-terminated line of `buf[from, to)` (`\r\n` accepted) and returns the index just past
   * the last newline, where the unconsumed rest starts; `searchFrom` (>= from) tells that `buf[from,
   * searchFrom)` holds no newline. Same effect as feeding each line to `sink`, but lines that cannot change
   * metadata (most of a file once its head is read) cost only the envelope check and a timestamp comparison.
   */
  foldLines(buf: Buffer, from: number, to: number, searchFrom = from): number {
    let start = from;
    let nl = buf.indexOf(LF, searchFrom);
    if (nl === -1 || nl >= to) return start;
    const view = new DataView(buf.buffer, buf.byteOffset, to);
    while (nl !== -1 && nl < to) {
      const end = nl > start && buf[nl - 1] === CR ? nl - 1 : nl;
      if (!this.foldPlainLine(buf, view, start, end)) {
        this.settle(buf);
        this.sink(buf, start, end, nl + 1, true);
      }
      start = nl + 1;
      nl = buf.indexOf(LF, start);
    }
    this.settle(buf);
    return start;
  }

  /**
   * The common cases of `foldLine`, exactly: a terminated line that starts with `{`, ends with `}` and either
   * skims as an envelope whose only effect is a timestamp, a token total or the deferred turn_context, or is
   * a legacy line after the first user message. Returns false, having changed nothing, for anything else.
   * `view` is a DataView over `buf`.
   */
  private foldPlainLine(buf: Buffer, view: DataView, start: number, end: number): boolean {
    const s = this.state;
    const meta = s.meta;
    if (meta === null || buf[start] !== OPEN_BRACE || buf[end - 1] !== CLOSE_BRACE) return false;
    if (s.format !== 'envelope') {
      // A legacy file's lines only matter until the first user message.
      if (s.format !== 'legacy' || needsUserMessage(meta)) return false;
      s.lines++;
      return true;
    }
    const env = this.env;
    if (!skimTemplate(buf, view, start, end, env) && !skimEnvelope(buf, start, end, env)) return false;
    switch (env.kind) {
      case LineKind.Other:
        break;
      case LineKind.ResponseItem:
        if (mayCarrySignal(view, buf, env.cursor, end)) this.noteResponseItem(buf, start, end);
        break;
      case LineKind.TurnContext:
        if (meta.cwd === '') return false;
        this.blockTurnStart = start;
        this.blockTurnEnd = end;
        break;
      case LineKind.EventMsg:
        switch (env.event) {
          case EventKind.Other:
            break;
          case EventKind.TokenCount: {
            // As foldEvent, comparing words; a line too short for them goes the slow way.
            const cursor = env.cursor;
            if (cursor + INFO_TOTAL.length > end) return false;
            if (matchesWords(view, cursor, INFO_NULL_WORDS, INFO_NULL.length - 4)) break;
            if (!matchesWords(view, cursor, INFO_TOTAL_WORDS, INFO_TOTAL.length - 4)) return false;
            const total = readTotalTokensAt(buf, view, cursor + INFO_TOTAL.length - 1, end);
            if (total === null) return false;
            applyTokenTotal(meta, total);
            break;
          }
          case EventKind.UserMessage:
          case EventKind.ItemCompleted:
            if (needsUserMessage(meta)) return false;
            break;
          case EventKind.McpToolCall:
            notePolluting(this.signals, parseTimestampBytes(buf, env.tsStart, env.tsEnd));
            break;
          default:
            return false;
        }
        break;
      default:
        return false;
    }
    s.lines++;
    if (env.tsEnd - env.tsStart === 24) this.latest.offer24(view, buf, env.tsStart);
    else this.latest.offer(buf, env.tsStart, env.tsEnd);
    return true;
  }

  /** Copies the block's newest turn_context out of `buf`, before `buf` is reused or another line folds. */
  private settle(buf: Buffer): void {
    if (this.blockTurnStart === -1) return;
    this.deferTurn(buf, this.blockTurnStart, this.blockTurnEnd);
    this.blockTurnStart = -1;
  }

  /** Brings `state` up to date; call once all lines were delivered. */
  flush(): void {
    if (this.pendingTurn !== null) {
      const text = this.pendingTurn;
      this.pendingTurn = null;
      const payload = asObject(asObject(parseText(text))?.payload);
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
        this.foldEnvelopeValue(s, parseSessionMetaLine(buf, start, end));
        return;
      case LineKind.TurnContext:
        if (s.meta !== null && s.meta.cwd !== '') this.deferTurn(buf, start, end);
        else this.foldEnvelopeValue(s, parseLine(buf, start, end));
        return;
      case LineKind.EventMsg:
        this.foldEvent(s, buf, start, end);
        return;
      case LineKind.ResponseItem:
        this.noteResponseItem(buf, start, end);
        return;
      default:
        return;
    }
  }

  /** The memory signals of the terminated response_item line `buf[start, end)`, skimmed into `env`. */
  private noteResponseItem(buf: Buffer, start: number, end: number): void {
    const env = this.env;
    const hint = responseItemHint(buf, env.cursor, end);
    if (hint === ItemHint.Polluting)
      notePolluting(this.signals, parseTimestampBytes(buf, env.tsStart, env.tsEnd));
    else if (hint === ItemHint.Parse) noteLine(this.signals, buf, start, end);
  }

  private deferTurn(buf: Buffer, start: number, end: number): void {
    // Decoded now (as parseLine would decode it later): a string needs no buffer of its own per file.
    this.pendingTurn = buf.toString('utf8', start, end);
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
      case EventKind.McpToolCall:
        notePolluting(this.signals, parseTimestampBytes(buf, this.env.tsStart, this.env.tsEnd));
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
    // The tail's line is read again, complete, by the next pass: its signals count then.
    if (s === this.state) noteParsed(this.signals, line);
    switch (line.type) {
      case 'session_meta': {
        const ms = parseTimestampMs(line.timestamp);
        if (applySessionMeta(s, payload, ms, this.ctx)) {
          this.memoryModeSeen = true;
          this.memoryModeAtMs = ms;
        }
        return;
      }
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
