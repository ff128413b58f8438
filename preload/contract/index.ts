import type { z } from 'zod';
import { appMethods } from './app.ts';
import type { MethodDef } from './define.ts';
import { feedbackMethods } from './feedback.ts';
import { ingestMethods } from './ingest.ts';
import { logsMethods } from './logs.ts';
import { memoriesMethods } from './memories.ts';
import { searchMethods } from './search.ts';
import { threadsMethods } from './threads.ts';
import { transcriptMethods } from './transcript.ts';

export * from './errors.ts';
export * from './events.ts';
export type { MethodDef } from './define.ts';

/** Every domain's methods; channel names are derived as `domain:method`, never typed by hand. */
export const contract = {
  app: appMethods,
  threads: threadsMethods,
  ingest: ingestMethods,
  search: searchMethods,
  transcript: transcriptMethods,
  logs: logsMethods,
  feedback: feedbackMethods,
  memories: memoriesMethods,
} as const;

type Contract = typeof contract;
type Domain = keyof Contract;

export type Channel = { [D in Domain]: `${D}:${keyof Contract[D] & string}` }[Domain];

export type MethodOf<C extends Channel> = C extends `${infer D}:${infer M}`
  ? D extends Domain
    ? M extends keyof Contract[D]
      ? Contract[D][M]
      : never
    : never
  : never;

/** What a caller may send (defaults not yet applied). */
export type Input<C extends Channel> = MethodOf<C> extends MethodDef<infer I, z.ZodType> ? z.input<I> : never;
/** What a handler receives after validation. */
export type ParsedInput<C extends Channel> =
  MethodOf<C> extends MethodDef<infer I, z.ZodType> ? z.output<I> : never;
export type Output<C extends Channel> =
  MethodOf<C> extends MethodDef<z.ZodType, infer O> ? z.output<O> : never;

function flatten(): Record<Channel, MethodDef> {
  const out: Record<string, MethodDef> = {};
  for (const [domain, methods] of Object.entries(contract)) {
    for (const [name, def] of Object.entries(methods)) out[`${domain}:${name}`] = def as MethodDef;
  }
  return out as Record<Channel, MethodDef>;
}

export const methods: Readonly<Record<Channel, MethodDef>> = flatten();
export const channels: readonly Channel[] = Object.keys(methods) as Channel[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(methods, value);
}

/** The one object the preload (or the serve shell's injected bridge) exposes as `window.api`. */
export interface WindowApi {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export * from './app.ts';
export * from './common.ts';
export * from './feedback.ts';
export * from './ingest.ts';
export * from './logs.ts';
export * from './memories.ts';
export * from './search.ts';
export * from './threads.ts';
export * from './transcript.ts';
