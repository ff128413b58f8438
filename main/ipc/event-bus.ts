import { events, type EventName, type EventPayload } from '../../preload/contract/index.ts';

export type EventListener = (name: EventName, payload: unknown) => void;

/** Fan-out of typed push events to every transport (Electron windows, SSE clients, tests). */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    // Validating here keeps a bad payload from ever reaching a renderer.
    const checked = events[name].parse(payload);
    for (const listener of this.listeners) listener(name, checked);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
