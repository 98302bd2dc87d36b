/**
 * Decides what the OS shows and turns what the user does in a popup into actions on the hub:
 *
 * - each new confirm gets its own popup with its buttons (they need answers), at most five per
 *   poll, the rest summarised; other new items coalesce into one "N new notifications" popup;
 * - a button press goes to the one confirm service (the hub), the popup closes, and the portal's
 *   answer follows as a short popup without buttons;
 * - an item answered or deleted elsewhere closes its popup;
 * - muted categories suppress popups and sound, never the item (it stays in the inbox and count);
 *   during quiet time (do-not-disturb, the system's own) popups wait, and one digest tells what
 *   still waits when it ends (quiet-digest.ts);
 * - where buttons are unavailable, clicking the popup opens the window at the item; where inline
 *   replies are unavailable, it opens the item's reply box.
 */
import type { Clock } from '../clock';
import type { NotificationHub } from '../app/hub';
import type { ActionOutcome } from '../engine/account-engine';
import type { InboxItem } from '../engine/state';
import { capText, renderPlain } from '../text/bbcode';
import { stripBidiControls } from '../text/bidi';
import { isQuietTime, type DoNotDisturb } from './do-not-disturb';
import type { Notifier, Popup } from './notifier';
import { DIGEST_KEY, QuietDigest } from './quiet-digest';
import type { Storage } from '../storage/storage';

export const MAX_CONFIRM_POPUPS = 5;
export const FOLLOW_UP_VISIBLE_MS = 8_000;
/** How often the end of quiet time is looked for, while something waits for the digest. */
export const QUIET_CHECK_MS = 60_000;
const TITLE_MAX_CHARS = 80;

export interface PopupSettings {
  doNotDisturb: DoNotDisturb;
  /** Play the app's own sound on new items. Off by default. */
  sound: boolean;
  /** Clicking a popup (not a button) marks its item read on the portal (issue 17); on unless false. */
  markReadOnPopupClick?: boolean;
}

export interface WindowTarget {
  accountId: string;
  notificationId: number;
  /** Open the item's reply box (the popup could not take the reply itself). */
  reply?: boolean;
}

export interface PopupPresenterOptions {
  hub: NotificationHub;
  notifier: Notifier;
  clock: Clock;
  settings: () => PopupSettings;
  /** Opens the tray window, scrolled to the item when one is given. */
  openWindow: (target?: WindowTarget) => void;
  playSound?: () => void;
  /** The user muted this category ("module|event") on this portal: inbox only, no popup or sound. */
  isMuted?: (accountId: string, settingName: string) => boolean;
  /** The user lets this category through quiet time on this portal: it pops up anyway (no sound). */
  breaksThrough?: (accountId: string, settingName: string) => boolean;
  /** Where what waits for the digest is kept across a restart; in memory without. */
  storage?: Storage;
  /** Whether the OS itself is in do-not-disturb, where that is cheap to know. */
  osDoNotDisturb?: () => boolean;
  log?: (message: string) => void;
}

function itemKey(accountId: string, notificationId: number): string {
  return `${accountId}:${notificationId}`;
}

/** "<accountId>:<notificationId>" back to its parts; summaries and follow-ups have no item. */
export function parsePopupKey(key: string): WindowTarget | undefined {
  const match = /^(.+):(\d+)$/.exec(key);
  if (!match) return undefined;
  const notificationId = Number(match[2]);
  return Number.isSafeInteger(notificationId) ? { accountId: match[1]!, notificationId } : undefined;
}

export class PopupPresenter {
  readonly #options: PopupPresenterOptions;
  /** Keys of popups we believe are on screen. */
  readonly #shown = new Set<string>();
  /** Popups of quick-reply items shown without an inline reply field: a click opens the reply box. */
  readonly #replyInWindow = new Set<string>();
  /** What each item popup was about ("Portal: heading"), so its follow-up can name it. */
  readonly #subjects = new Map<string, string>();
  readonly #unsubscribe: (() => void)[];
  #unavailableReason: string | undefined;
  readonly #digest: QuietDigest;
  #digestWatch: AbortController | undefined;
  /** Where the digest on screen leads (its first item). */
  #digestTarget: WindowTarget | undefined;

  constructor(options: PopupPresenterOptions) {
    this.#options = options;
    this.#digest = new QuietDigest(options.storage);
    const { hub, notifier } = options;
    this.#unsubscribe = [
      hub.on('announced', (accountId, items) => void this.#announce(accountId, items)),
      hub.on('removed', (accountId, ids) =>
        ids.forEach((id) => {
          this.#subjects.delete(itemKey(accountId, id));
          void this.#close(itemKey(accountId, id));
        }),
      ),
      // Snoozed in the window: it pops up again when it wakes, not before.
      hub.on('snoozed', (accountId, id) => void this.#close(itemKey(accountId, id))),
      // Answered in the window or elsewhere: its popup has nothing left to ask.
      hub.on('actionSettled', (accountId, id) => void this.#close(itemKey(accountId, id))),
      notifier.on('action', (key, value) => void this.#onAction(key, value)),
      notifier.on('replied', (key, text) => void this.#onReply(key, text)),
      notifier.on('opened', (key) => this.#onOpened(key)),
      notifier.on('snooze', (key) => this.#onSnooze(key)),
      notifier.on('dismissed', (key) => this.#forget(key)),
      notifier.on('unavailable', (reason) => {
        this.#unavailableReason = reason;
        options.log?.(`popups unavailable: ${reason}; answers stay in the tray window`);
      }),
    ];
    // Held from before a restart during quiet time: told once it is over.
    if (this.#digest.size > 0) this.#watchForQuietEnd();
  }

  /** Why popups cannot be shown, if they cannot (the window says so once). */
  get unavailableReason(): string | undefined {
    return this.#unavailableReason;
  }

  dispose(): void {
    this.#unsubscribe.forEach((off) => off());
    this.#digestWatch?.abort();
  }

  #quiet(): boolean {
    const settings = this.#options.settings();
    return isQuietTime(settings.doNotDisturb, new Date(this.#options.clock.now())) || (this.#options.osDoNotDisturb?.() ?? false);
  }

  async #announce(accountId: string, announced: InboxItem[]): Promise<void> {
    const isMuted = this.#options.isMuted;
    const items = isMuted ? announced.filter((item) => !isMuted(accountId, item.settingName)) : announced;
    if (items.length === 0) return;
    if (this.#quiet()) {
      const breaksThrough = this.#options.breaksThrough;
      const urgent = breaksThrough ? items.filter((item) => breaksThrough(accountId, item.settingName)) : [];
      const waiting = items.filter((item) => !urgent.includes(item));
      if (waiting.length > 0) {
        this.#digest.hold(accountId, waiting);
        this.#watchForQuietEnd();
      }
      return this.#popUp(accountId, urgent);
    }
    if (this.#options.settings().sound) this.#options.playSound?.();
    await this.#popUp(accountId, items);
  }

  async #popUp(accountId: string, items: InboxItem[]): Promise<void> {
    if (items.length === 0) return;
    const portal = this.#portalLabel(accountId);
    const confirms = items.filter((item) => item.kind === 'confirm');
    const others = items.filter((item) => item.kind !== 'confirm');
    const popups: Popup[] = confirms.slice(0, MAX_CONFIRM_POPUPS).map((item) => this.#itemPopup(accountId, item, portal));
    const overflow = confirms.length - MAX_CONFIRM_POPUPS;
    if (overflow > 0) {
      popups.push(this.#summaryPopup(`${accountId}:more-confirms`, `${overflow} more need your answer`, confirms.slice(MAX_CONFIRM_POPUPS), portal));
    }
    if (others.length === 1) popups.push(this.#itemPopup(accountId, others[0]!, portal));
    if (others.length > 1) popups.push(this.#summaryPopup(`${accountId}:new`, `${others.length} new notifications`, others, portal));
    for (const popup of popups) await this.#show(popup);
  }

  /** While items wait for the digest, looks once a minute whether quiet time is over. */
  #watchForQuietEnd(): void {
    if (this.#digestWatch) return;
    const watch = (this.#digestWatch = new AbortController());
    const check = (): void => {
      this.#options.clock.sleep(QUIET_CHECK_MS, watch.signal).then(() => {
        if (this.#quiet()) return check();
        this.#digestWatch = undefined;
        void this.#showDigest();
      }, () => undefined);
    };
    check();
  }

  async #showDigest(): Promise<void> {
    const digest = this.#digest.take(this.#options.hub.snapshot());
    if (!digest) return;
    this.#digestTarget = digest.first;
    if (this.#options.settings().sound) this.#options.playSound?.();
    await this.#show({ key: DIGEST_KEY, title: digest.title, body: digest.body, buttons: [], urgency: 'normal', category: 'im.received' });
  }

  #itemPopup(accountId: string, item: InboxItem, portal: string | undefined): Popup {
    const { capabilities } = this.#options.notifier;
    if (item.canAnswer && !capabilities.reply) this.#replyInWindow.add(itemKey(accountId, item.id));
    const heading = item.title || item.author?.name || (item.kind === 'confirm' ? 'Needs your answer' : 'New notification');
    const key = itemKey(accountId, item.id);
    const portalName = this.#options.hub.snapshot().accounts.find((account) => account.accountId === accountId)?.name;
    this.#subjects.set(key, capText(portalName ? `${portalName}: ${heading}` : heading, TITLE_MAX_CHARS));
    return {
      key,
      title: capText(portal ? `${portal}: ${heading}` : heading, TITLE_MAX_CHARS),
      body: renderPlain(item.text),
      buttons: item.kind === 'confirm' && capabilities.buttons ? item.buttons.map(({ value, label }) => ({ value, label })) : [],
      urgency: 'normal',
      category: 'im.received',
      ...(item.canAnswer && capabilities.reply ? { reply: { placeholder: 'Reply…' } } : {}),
      ...(item.kind === 'confirm' && capabilities.moreActions ? { snooze: { label: 'Snooze 1 hour' } } : {}),
    };
  }

  #summaryPopup(key: string, heading: string, items: InboxItem[], portal: string | undefined): Popup {
    const lines = items.slice(0, 3).map((item) => capText(item.title || renderPlain(item.text, 60), 60));
    return {
      key,
      title: portal ? `${portal}: ${heading}` : heading,
      body: lines.join('\n') + (items.length > 3 ? '\n…' : ''),
      buttons: [],
      urgency: 'low',
      category: 'im.received',
    };
  }

  /** The portal's name, only when several are connected. */
  #portalLabel(accountId: string): string | undefined {
    const accounts = this.#options.hub.snapshot().accounts;
    return accounts.length > 1 ? accounts.find((account) => account.accountId === accountId)?.name : undefined;
  }

  async #show(popup: Popup): Promise<void> {
    try {
      await this.#options.notifier.show(withoutBidiControls(popup));
      this.#shown.add(popup.key);
    } catch (error) {
      // The item is in the inbox whatever happens here; the window is the fallback.
      this.#options.log?.(`popup not shown: ${String(error)}`);
    }
  }

  #forget(key: string): void {
    this.#shown.delete(key);
    this.#subjects.delete(key);
    this.#replyInWindow.delete(key);
  }

  async #close(key: string): Promise<void> {
    this.#replyInWindow.delete(key);
    if (!this.#shown.delete(key)) return;
    try {
      await this.#options.notifier.close(key);
    } catch (error) {
      this.#options.log?.(`popup not closed: ${String(error)}`);
    }
  }

  async #onAction(key: string, value: string): Promise<void> {
    const target = parsePopupKey(key);
    if (!target) return this.#options.openWindow();
    await this.#close(key);
    await this.#settleWithFollowUp(key, () => this.#options.hub.confirm(target.accountId, target.notificationId, value, 'os-notification'));
  }

  async #onReply(key: string, text: string): Promise<void> {
    const target = parsePopupKey(key);
    if (!target) return this.#options.openWindow();
    await this.#close(key);
    await this.#settleWithFollowUp(key, () => this.#options.hub.answer(target.accountId, target.notificationId, text, 'os-notification'));
  }

  /** Snoozed from the popup: for an hour, as the window's first choice (core/app/snoozes.ts). */
  #onSnooze(key: string): void {
    this.#forget(key);
    const target = parsePopupKey(key);
    if (!target) return;
    try {
      this.#options.hub.snooze(target.accountId, target.notificationId, { kind: 'hour' });
    } catch (error) {
      this.#options.log?.(`not snoozed: ${String(error)}`); // answered or gone meanwhile
    }
  }

  #onOpened(key: string): void {
    if (key === DIGEST_KEY) {
      this.#forget(key);
      return this.#options.openWindow(this.#digestTarget);
    }
    const reply = this.#replyInWindow.has(key);
    this.#forget(key);
    const target = parsePopupKey(key);
    this.#options.openWindow(target && reply ? { ...target, reply: true } : target);
    // Seen, so read, as Bitrix24's own notification centre marks what is opened. Not a popup whose
    // reply box the window is opening (the user is about to answer it); confirms stay unread until
    // answered (the engine ignores them).
    if (target && !reply && this.#options.settings().markReadOnPopupClick !== false) {
      try {
        this.#options.hub.markRead(target.accountId, [target.notificationId]);
      } catch (error) {
        this.#options.log?.(`not marked read: ${String(error)}`); // the portal was removed meanwhile
      }
    }
  }

  /** Runs the action; its outcome (or refusal) comes back as a brief popup without buttons. */
  async #settleWithFollowUp(key: string, act: () => Promise<ActionOutcome>): Promise<void> {
    let message: string;
    try {
      const outcome = await act();
      message =
        outcome.status === 'failed'
          ? outcome.message
          : outcome.gone
            ? 'Already answered elsewhere or no longer available.'
            : outcome.resultMessages.join('\n') || 'Answer sent.';
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    const followUpKey = `${key}:result`;
    // The follow-up names the item and its portal: several answers in a row stay told apart.
    const subject = this.#subjects.get(key);
    this.#subjects.delete(key);
    await this.#show({ key: followUpKey, title: subject ?? 'B24 Notify', body: capText(message, 200), buttons: [], urgency: 'low', silent: true });
    await this.#options.clock.sleep(FOLLOW_UP_VISIBLE_MS);
    await this.#close(followUpKey);
  }
}

/** Every string of a popup that came from the portal, without reordering controls. */
function withoutBidiControls(popup: Popup): Popup {
  return {
    ...popup,
    title: stripBidiControls(popup.title),
    body: stripBidiControls(popup.body),
    buttons: popup.buttons.map((button) => ({ ...button, label: stripBidiControls(button.label) })),
  };
}
