import type { TokenUsage, TranscriptItem } from '../../preload/contract/transcript.ts';
import { asObject } from './thread-fold.ts';
import { capHead, contentParts, isInjected, num, str } from './transcript-text.ts';

export type Base = Pick<
  TranscriptItem,
  'position' | 'timestamp' | 'bytes' | 'lineType' | 'payloadType' | 'hidden'
>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An item without its line-level fields; `hidden` may be preset (defaults to false). */
export type Fields = DistributiveOmit<TranscriptItem, keyof Base> & {
  hidden?: boolean;
  payloadType?: string | null;
};
export type MessageFields = Extract<Fields, { kind: 'message' }>;

const ROLES = new Set(['user', 'assistant', 'developer', 'system']);

export function usage(value: unknown): TokenUsage | null {
  const u = asObject(value);
  if (!u) return null;
  const n = (k: string) => num(u[k]) ?? 0;
  return {
    input: n('input_tokens'),
    cachedInput: n('cached_input_tokens'),
    output: n('output_tokens'),
    reasoningOutput: n('reasoning_output_tokens'),
    total: n('total_tokens'),
  };
}

export function message(roleValue: unknown, content: unknown, phase: unknown): MessageFields {
  const role = (ROLES.has(roleValue as string) ? roleValue : 'user') as 'user' | 'assistant' | 'developer';
  const { text, images } = contentParts(content);
  return {
    kind: 'message',
    role,
    text: capHead(text),
    images,
    phase: str(phase),
    injected: isInjected(role, text),
  };
}
