import {
  channels,
  isChannel,
  methods,
  type Channel,
  type Envelope,
  type Output,
  type ParsedInput,
} from '../../preload/contract/index.ts';
import { toApiError } from '../core/app-error.ts';

export interface CallContext {
  /** Which transport delivered the call; handlers must not depend on it, logs may. */
  transport: 'electron' | 'http' | 'test';
}

/** A missing or mistyped handler is a compile error: one function per contract channel. */
export type Handlers = {
  [C in Channel]: (input: ParsedInput<C>, ctx: CallContext) => Output<C> | Promise<Output<C>>;
};

export interface Router {
  readonly channels: readonly Channel[];
  dispatch(channel: unknown, rawInput: unknown, ctx: CallContext): Promise<Envelope<unknown>>;
}

export function createRouter(handlers: Handlers): Router {
  return {
    channels,
    async dispatch(channel, rawInput, ctx) {
      if (!isChannel(channel)) {
        return {
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel: ${String(channel)}` },
        };
      }
      const parsed = methods[channel].input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
        return {
          ok: false,
          error: {
            code: 'INVALID_INPUT',
            message: `Invalid input for ${channel}: ${details.join('; ')}`,
            details,
          },
        };
      }
      try {
        const handler = handlers[channel] as (input: unknown, ctx: CallContext) => unknown;
        const value = await handler(parsed.data, ctx);
        return { ok: true, value };
      } catch (err) {
        return { ok: false, error: toApiError(err) };
      }
    },
  };
}
