import { Emitter } from '../../main/core/emitter';
import type { Notifier, NotifierCapabilities, NotifierEvents, Popup } from '../../main/core/notifier/notifier';

/** Records what would be on screen, and lets a test act as the user. */
export class FakeNotifier implements Notifier {
  readonly shown = new Map<string, Popup>();
  readonly history: Popup[] = [];
  readonly closed: string[] = [];
  readonly #events = new Emitter<NotifierEvents>();

  constructor(public capabilities: NotifierCapabilities = { buttons: true, reply: false }) {}

  async show(popup: Popup): Promise<void> {
    this.shown.set(popup.key, popup);
    this.history.push(popup);
  }

  async close(key: string): Promise<void> {
    if (this.shown.delete(key)) this.closed.push(key);
  }

  on<E extends keyof NotifierEvents>(event: E, listener: (...args: NotifierEvents[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  async dispose(): Promise<void> {}

  press(key: string, value: string): void {
    this.#events.emit('action', key, value);
  }

  click(key: string): void {
    this.shown.delete(key);
    this.#events.emit('opened', key);
  }

  /** The user typed `text` into the popup's reply field and sent it. */
  reply(key: string, text: string): void {
    this.#events.emit('replied', key, text);
  }

  /** The OS took the popup away (timed out, swiped). */
  dismiss(key: string): void {
    this.shown.delete(key);
    this.#events.emit('dismissed', key);
  }

  /** The user chose the popup's snooze action. */
  snooze(key: string): void {
    this.#events.emit('snooze', key);
  }

  /** Popups cannot be shown at all (no notification daemon, say). */
  unavailable(reason: string): void {
    this.#events.emit('unavailable', reason);
  }
}
