/**
 * Popups on macOS and Windows through Electron's Notification, which shows buttons there (Linux
 * uses main/linux instead: Electron ignores `actions` on Linux). A `failed` event (an unsigned
 * macOS build, a missing Start Menu shortcut on Windows) turns buttons off and says why once;
 * popups keep working, and clicking one opens the window at the item.
 */
import { createHash } from 'node:crypto';
import { Notification } from 'electron';
import { Emitter } from '../core/emitter';
import type { Notifier, NotifierCapabilities, NotifierEvents, Popup } from '../core/notifier/notifier';

/** Failures in a row before buttons are turned off: one refused toast is not the system refusing them all. */
const FAILURES_BEFORE_PLAIN = 3;
/** How close a toast's own event and handleActivation's call about it arrive. */
const ACTIVATION_PAIRING_MS = 2_000;
/** Windows shows at most five actions on a toast (WinRT ToastActionsCustom). */
const WINDOWS_ACTION_SLOTS = 5;

/**
 * A stable toast id (≤ 64 UTF-16 characters, or the constructor throws: electron-platform-notes
 * §7), the same for the same popup key, so a toast left in the Action Center maps to its item.
 */
export function toastId(popupKey: string): string {
  return `b24-${createHash('sha256').update(popupKey).digest('hex').slice(0, 40)}`;
}

export class ElectronNotifier implements Notifier {
  readonly #events = new Emitter<NotifierEvents>();
  readonly #shown = new Map<string, Notification>();
  /**
   * Popups we closed ourselves, so their `close` event is not taken as the user dismissing them.
   * Weak: Windows may never send `close` for a toast we removed, and nothing may pile up.
   */
  readonly #closing = new WeakSet<Notification>();
  readonly #platform: NodeJS.Platform;
  #capabilities: NotifierCapabilities;
  #failureReported = false;
  #failuresInARow = 0;
  /** When a live toast last reported a click, button or reply (Date.now()). */
  #lastActivationMs = Number.NEGATIVE_INFINITY;

  constructor(platform: NodeJS.Platform = process.platform) {
    const native = platform === 'darwin' || platform === 'win32';
    this.#platform = platform;
    this.#capabilities = { buttons: native, reply: native, moreActions: native };
  }

  /**
   * Whether an activation Windows reports through handleActivation is one a live toast handles
   * itself: a toast of ours is still on screen, or one just reported it (the two reports come
   * together, in either order: electron-platform-notes §7).
   */
  handlesActivation(nowMs = Date.now()): boolean {
    return this.#shown.size > 0 || nowMs - this.#lastActivationMs < ACTIVATION_PAIRING_MS;
  }

  get capabilities(): NotifierCapabilities {
    return this.#capabilities;
  }

  on<E extends keyof NotifierEvents>(event: E, listener: (...args: NotifierEvents[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  async show(popup: Popup): Promise<void> {
    await this.close(popup.key);
    const stays = popup.buttons.length > 0;
    const withReply = popup.reply !== undefined && this.#capabilities.reply;
    // On Windows `timeoutType: 'never'` (a reminder toast) and a reply box each take one of the
    // five action slots (electron-platform-notes §7): buttons get what is left.
    const buttonSlots = this.#platform === 'win32' ? WINDOWS_ACTION_SLOTS - (stays ? 1 : 0) - (withReply ? 1 : 0) : popup.buttons.length;
    const buttons = this.#capabilities.buttons ? popup.buttons.slice(0, buttonSlots) : [];
    // Snooze after the buttons, only where a slot is left for it (Windows: five in all).
    const snoozeIndex = popup.snooze && this.#capabilities.moreActions && buttons.length < buttonSlots ? buttons.length : -1;
    const actions = [...buttons.map((button) => ({ type: 'button' as const, text: button.label })), ...(snoozeIndex >= 0 && popup.snooze ? [{ type: 'button' as const, text: popup.snooze.label }] : [])];
    const notification = new Notification({
      id: toastId(popup.key),
      title: popup.title,
      body: popup.body,
      silent: popup.silent ?? false,
      urgency: popup.urgency,
      // Popups that ask something stay until answered.
      timeoutType: stays ? 'never' : 'default',
      actions,
      ...(withReply && popup.reply ? { hasReply: true, replyPlaceholder: popup.reply.placeholder } : {}),
    });
    notification.on('action', (details) => {
      this.#lastActivationMs = Date.now();
      if (details.actionIndex === snoozeIndex) return this.#events.emit('snooze', popup.key);
      const button = popup.buttons[details.actionIndex];
      if (button) this.#events.emit('action', popup.key, button.value);
    });
    notification.on('reply', (details) => {
      this.#lastActivationMs = Date.now();
      this.#events.emit('replied', popup.key, details.reply);
    });
    notification.on('click', () => {
      this.#lastActivationMs = Date.now();
      this.#events.emit('opened', popup.key);
    });
    notification.on('close', () => {
      if (this.#shown.get(popup.key) === notification) this.#shown.delete(popup.key);
      if (!this.#closing.delete(notification)) this.#events.emit('dismissed', popup.key);
    });
    notification.on('show', () => (this.#failuresInARow = 0));
    notification.on('failed', (_event, error) => {
      if (this.#shown.get(popup.key) === notification) this.#shown.delete(popup.key);
      this.#onFailed(error);
    });
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
    this.#failuresInARow += 1;
    if (this.#failuresInARow < FAILURES_BEFORE_PLAIN) return;
    if (this.#capabilities.buttons || this.#capabilities.reply) {
      this.#capabilities = { buttons: false, reply: false, moreActions: false };
      this.#events.emit('capabilitiesChanged', this.#capabilities);
    }
    if (this.#failureReported) return;
    this.#failureReported = true;
    this.#events.emit('unavailable', `the system refused a notification (${error})`);
  }
}
