/**
 * The seam between the engine's news and the operating system's notification popups. Three
 * implementations: freedesktop D-Bus on Linux (main/linux), Electron's Notification on macOS and
 * Windows (main/electron), and a recording fake in tests. The popup policy (which items get a
 * popup, coalescing, do-not-disturb, follow-ups) lives in PopupPresenter, not in implementations.
 */
export interface PopupButton {
  /** Sent back in `action` when pressed: the confirm button's NOTIFY_VALUE. */
  value: string;
  label: string;
}

export interface Popup {
  /** Our key for this popup (e.g. "<accountId>:<notificationId>"); every event names it. */
  key: string;
  title: string;
  /** Plain text (BBCode already rendered), capped. */
  body: string;
  /** Shown as buttons where the platform can; empty for popups that only inform. */
  buttons: PopupButton[];
  urgency: 'low' | 'normal' | 'critical';
  /** freedesktop category hint, e.g. "im.received". */
  category?: string;
  /** Play no sound of the OS's own. */
  silent?: boolean;
  /** A reply box in the popup (Electron `hasReply`, macOS and Windows); ignored elsewhere. */
  reply?: { placeholder: string };
  /** A "snooze" action after the buttons, where the popup has room for it (`moreActions`). */
  snooze?: { label: string };
}

export interface NotifierCapabilities {
  /** Buttons in popups work; when false, a click opens the window at the item instead. */
  buttons: boolean;
  /** An inline reply box works. */
  reply: boolean;
  /**
   * Popups carry more than three actions (dunst's action menu, Windows' five toast actions, the
   * macOS actions menu), so a snooze action fits beside the buttons (issue 17).
   */
  moreActions?: boolean;
}

export type NotifierEvents = {
  /** A popup's button was pressed. */
  action: [key: string, value: string];
  /** The popup's snooze action was chosen. */
  snooze: [key: string];
  /** The popup itself (its default action) was clicked. */
  opened: [key: string];
  /** An inline reply was sent from the popup. */
  replied: [key: string, text: string];
  /** The user closed the popup, or it expired. */
  dismissed: [key: string];
  /** Popups cannot be shown (no bus, no daemon, refused); said once per cause. */
  unavailable: [reason: string];
  /** Capabilities changed (a daemon appeared or restarted). */
  capabilitiesChanged: [capabilities: NotifierCapabilities];
};

export interface Notifier {
  readonly capabilities: NotifierCapabilities;
  show(popup: Popup): Promise<void>;
  /** Closes the popup if it is still shown; unknown keys are ignored. */
  close(key: string): Promise<void>;
  on<E extends keyof NotifierEvents>(event: E, listener: (...args: NotifierEvents[E]) => void): () => void;
  dispose(): Promise<void>;
}
