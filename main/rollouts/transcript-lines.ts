import type { LineSink } from './line-splitter.ts';

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** Receives one non-blank line, trimmed: `buf[start, end)` (a reused buffer: copy what you keep). */
export type PositionedLine = (position: number, buf: Buffer, start: number, end: number) => void;

/**
 * Wraps a sink so it sees only non-blank lines with their positions (0-based among non-blank lines,
 * counted from `firstPosition`): the one numbering every transcript method and the search index share.
 */
export function positioned(
  onLine: PositionedLine,
  firstPosition = 0,
): { sink: LineSink; count: () => number } {
  let position = firstPosition;
  const sink: LineSink = (buf, start, end) => {
    while (start < end && isSpace(buf[start])) start++;
    while (end > start && isSpace(buf[end - 1])) end--;
    if (start === end) return;
    onLine(position, buf, start, end);
    position++;
  };
  return { sink, count: () => position };
}

const CALL_ID = Buffer.from('"call_id":"');
const QUOTE = 0x22;
/** How far into a line the payload type is looked for (envelope prefix + type). */
const HEAD_BYTES = 160;

/** The first `"call_id":"…"` of a line, read from its bytes without parsing the JSON. */
export function rawCallId(buf: Buffer, start: number, end: number): string | null {
  const at = buf.subarray(start, end).indexOf(CALL_ID);
  if (at === -1) return null;
  const from = start + at + CALL_ID.length;
  const close = buf.indexOf(QUOTE, from);
  if (close === -1 || close >= end || close - from > 200) return null;
  return buf.toString('latin1', from, close);
}

/** Line kinds the pairing cares about, guessed from the line's head (the payload type comes first). */
export function rawRole(buf: Buffer, start: number, end: number): 'call' | 'result' | null {
  const head = buf.toString('latin1', start, Math.min(end, start + HEAD_BYTES));
  const m = /"type":"(?:response_item|event_msg)","payload":\{"type":"([a-z_]+)"|^\{"type":"([a-z_]+)"/.exec(
    head,
  );
  const type = m?.[1] ?? m?.[2];
  if (!type) return null;
  if (type === 'function_call' || type === 'custom_tool_call' || type === 'local_shell_call') return 'call';
  if (
    type.endsWith('_call_output') ||
    type === 'exec_command_end' ||
    type === 'patch_apply_end' ||
    type === 'mcp_tool_call_end'
  )
    return 'result';
  return null;
}
