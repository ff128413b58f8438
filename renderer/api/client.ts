import type {
  ApiErrorShape,
  Channel,
  ErrorCode,
  EventName,
  EventPayload,
  Input,
  Output,
  WindowApi,
} from '../../preload/contract/index.ts';

declare global {
  interface Window {
    /** Set by the Electron preload or by the serve shell's bridge; absent in a plain browser tab. */
    readonly api?: WindowApi;
  }
}

/** A failed call, carrying the contract's error code so the UI can react to it. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[] | undefined;

  constructor(code: ErrorCode, message: string, details?: readonly string[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

function bridge(): WindowApi {
  const api = window.api;
  if (!api) {
    throw new ApiError(
      'UNAVAILABLE',
      'window.api is missing: open Threadscope in its desktop window or through the URL printed by "threadscope serve".',
    );
  }
  return api;
}

type WireEnvelope = { ok: true; value: unknown } | { ok: false; error: ApiErrorShape };

function isEnvelope(value: unknown): value is WireEnvelope {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'value' in value;
  if (value.ok !== false || !('error' in value)) return false;
  const { error } = value;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

/** Typed call over `window.api.invoke`: resolves with the value, throws an ApiError otherwise. */
export async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  const envelope: unknown = await bridge().invoke(channel, input);
  if (!isEnvelope(envelope)) throw new ApiError('INTERNAL', `Malformed response from ${channel}`);
  if (envelope.ok) return envelope.value as Output<C>;
  throw new ApiError(envelope.error.code, envelope.error.message, envelope.error.details);
}

/** Subscribes to a push event; returns the unsubscribe function. A missing bridge means no events. */
export function onEvent<E extends EventName>(
  name: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  const api = window.api;
  if (!api) return () => {};
  return api.on(name, (payload) => listener(payload as EventPayload<E>));
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
