/**
 * A user action the engine refuses before anything is queued or sent (the click settles at once).
 */
import type { InboxItem } from './state';

export const MAX_ANSWER_CHARS = 5_000;

export type ActionRefusal =
  | 'unknown-item'
  | 'not-a-confirm'
  | 'unknown-value'
  | 'already-answered'
  | 'cannot-answer'
  | 'empty-answer'
  | 'answer-too-long'
  | 'answer-in-progress';

export class ActionRefused extends Error {
  override readonly name = 'ActionRefused';
  constructor(
    readonly reason: ActionRefusal,
    message: string,
  ) {
    super(message);
  }
}

const GONE = 'This notification is no longer in the inbox.';

/** Refuses a confirm that cannot be sent (the caller has already joined a queued one). */
export function checkConfirm(item: InboxItem | undefined): asserts item is InboxItem {
  if (!item) throw new ActionRefused('unknown-item', GONE);
  if (item.kind !== 'confirm') throw new ActionRefused('not-a-confirm', 'This notification has no buttons to answer.');
}

/** Refuses a new confirm on an item already answered, or with a value none of its buttons has. */
export function checkConfirmValue(item: InboxItem, value: string): void {
  if (item.action?.status === 'done') throw new ActionRefused('already-answered', 'This notification was already answered.');
  if (!item.buttons.some((button) => button.value === value)) throw new ActionRefused('unknown-value', 'That is not one of this notification’s buttons.');
}

/** The reply as it is sent (trimmed), or a refusal. */
export function checkAnswer(item: InboxItem | undefined, text: string, inProgress: boolean): string {
  if (!item) throw new ActionRefused('unknown-item', GONE);
  if (!item.canAnswer) throw new ActionRefused('cannot-answer', 'This notification does not accept a reply.');
  const reply = text.trim();
  if (!reply) throw new ActionRefused('empty-answer', 'Write a reply first.');
  if (Array.from(reply).length > MAX_ANSWER_CHARS) throw new ActionRefused('answer-too-long', `A reply can be at most ${MAX_ANSWER_CHARS} characters.`);
  if (inProgress) throw new ActionRefused('answer-in-progress', 'A reply to this notification is still being sent.');
  return reply;
}

export function checkDismiss(item: InboxItem | undefined, inProgress: boolean): asserts item is InboxItem {
  if (!item) throw new ActionRefused('unknown-item', GONE);
  if (inProgress) throw new ActionRefused('answer-in-progress', 'An answer to this notification is still being sent.');
}
