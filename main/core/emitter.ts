/**
 * A minimal typed event emitter: `on` returns the function that unsubscribes. A listener that
 * throws is isolated, so one faulty consumer (a popup adapter, say) cannot break the engine.
 */
export type Listener<A extends unknown[]> = (...args: A) => void;

export class Emitter<Events extends Record<string, unknown[]>> {
  readonly #listeners = new Map<keyof Events, Set<(...args: never[]) => void>>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const stored = listener as unknown as (...args: never[]) => void;
    set.add(stored);
    return () => set.delete(stored);
  }

  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as unknown as Listener<Events[E]>)(...args);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
