/**
 * Popups on macOS and Windows through Electron's Notification, which shows buttons there (Linux
 * uses main/linux instead: Electron ignores `actions` on Linux). A `failed` event (an unsigned
 * macOS build, a missing Start Menu shortcut on Windows) turns buttons off and says why once;
 * popups keep working, and clicking one opens the window at the item.
 */
import { Notification } from 'electron';
import { Emitter } from '../core/emitter';
import type { Notifier, NotifierCapabilities, NotifierEvents, Popup } from '../core/notifier/notifier';

export class ElectronNotifier implements Notifier {
  readonly #events = new Emitter<NotifierEvents>();
  readonly #shown = new Map<string, Notification>();
  /** Popups we closed ourselves, so their `close` event is not taken as the user dismissing them. */
  readonly #closing = new Set<Notification>();
  #capabilities: NotifierCapabilities;
  #failureReported = false;

  constructor(platform: NodeJS.Platform = process.platform) {
    const native = platform === 'darwin' || platform === 'win32';
    this.#capabilities = { buttons: native, reply: native };
  }

  get capabilities(): NotifierCapabilities {
    return this.#capabilities;
  }

  on<E extends keyof NotifierEvents>(event: E, listener: (...args: NotifierEvents[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  async show(popup: Popup): Promise<void> {
    await this.close(popup.key);
    const notification = new Notification({
      title: popup.title,
      body: popup.body,
      silent: popup.silent ?? false,
      urgency: popup.urgency,
      // Popups that ask something stay until answered.
      timeoutType: popup.buttons.length > 0 ? 'never' : 'default',
      actions: this.#capabilities.buttons ? popup.buttons.map((button) => ({ type: 'button' as const, text: button.label })) : [],
      ...(popup.reply && this.#capabilities.reply ? { hasReply: true, replyPlaceholder: popup.reply.placeholder } : {}),
    });
    notification.on('action', (details) => {
      const button = popup.buttons[details.actionIndex];
      if (button) this.#events.emit('action', popup.key, button.value);
    });
    notification.on('reply', (details) => this.#events.emit('replied', popup.key, details.reply));
    notification.on('click', () => this.#events.emit('opened', popup.key));
    notification.on('close', () => {
      if (this.#shown.get(popup.key) === notification) this.#shown.delete(popup.key);
      if (!this.#closing.delete(notification)) this.#events.emit('dismissed', popup.key);
    });
    notification.on('failed', (_event, error) => this.#onFailed(error));
    this.#shown.set(popup.key, notification);
    notification.show();
  }

  async close(key: string): Promise<void> {
    const notification = this.#shown.get(key);
    if (!notification) return;
    this.#shown.delete(key);
    this.#closing.add(notification);
    notification.close();
  }

  async dispose(): Promise<void> {
    for (const key of [...this.#shown.keys()]) await this.close(key);
  }

  #onFailed(error: string): void {
    if (this.#capabilities.buttons || this.#capabilities.reply) {
      this.#capabilities = { buttons: false, reply: false };
      this.#events.emit('capabilitiesChanged', this.#capabilities);
    }
    if (this.#failureReported) return;
    this.#failureReported = true;
    this.#events.emit('unavailable', `the system refused a notification (${error})`);
  }
}
