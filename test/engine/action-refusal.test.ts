/**
 * What the window says when a click cannot be acted on (engine/action-refusal.ts): each refusal's
 * reason, which the window keys its handling on, and its words, which the person reads. Replies
 * are trimmed and measured in characters (code points), not UTF-16 units.
 */
import { describe, expect, it } from 'vitest';
import { ActionRefused, MAX_ANSWER_CHARS, checkAnswer, checkConfirm, checkConfirmValue, checkDismiss } from '../../main/core/engine/action-refusal';
import type { InboxItem } from '../../main/core/engine/state';

const confirm = { id: 1, kind: 'confirm', canAnswer: false, buttons: [{ value: 'Y', label: 'Accept' }], action: undefined } as unknown as InboxItem;
const question = { id: 2, kind: 'plain', canAnswer: true, buttons: [], action: undefined } as unknown as InboxItem;
const plain = { id: 3, kind: 'plain', canAnswer: false, buttons: [], action: undefined } as unknown as InboxItem;

function refusal(act: () => unknown): { reason: string; message: string; name: string } {
  try {
    act();
  } catch (error) {
    if (error instanceof ActionRefused) return { reason: error.reason, message: error.message, name: error.name };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('refusals, with their reasons and words', () => {
  it('a confirm on an item that is gone, that has no buttons, already answered, or with another value', () => {
    expect(refusal(() => checkConfirm(undefined))).toEqual({ name: 'ActionRefused', reason: 'unknown-item', message: 'This notification is no longer in the inbox.' });
    expect(refusal(() => checkConfirm(plain))).toMatchObject({ reason: 'not-a-confirm', message: 'This notification has no buttons to answer.' });
    expect(() => checkConfirm(confirm)).not.toThrow();
    expect(refusal(() => checkConfirmValue({ ...confirm, action: { status: 'done' } } as unknown as InboxItem, 'Y'))).toMatchObject({ reason: 'already-answered', message: 'This notification was already answered.' });
    expect(refusal(() => checkConfirmValue(confirm, 'N'))).toMatchObject({ reason: 'unknown-value', message: 'That is not one of this notification’s buttons.' });
    expect(() => checkConfirmValue(confirm, 'Y')).not.toThrow();
    // A failed answer may be tried again.
    expect(() => checkConfirmValue({ ...confirm, action: { status: 'failed' } } as unknown as InboxItem, 'Y')).not.toThrow();
  });

  it('a reply: gone, not accepted, empty, too long, or one still on its way', () => {
    expect(refusal(() => checkAnswer(undefined, 'hi', false))).toMatchObject({ reason: 'unknown-item' });
    expect(refusal(() => checkAnswer(plain, 'hi', false))).toMatchObject({ reason: 'cannot-answer', message: 'This notification does not accept a reply.' });
    expect(refusal(() => checkAnswer(question, ' \n\t ', false))).toMatchObject({ reason: 'empty-answer', message: 'Write a reply first.' });
    expect(refusal(() => checkAnswer(question, 'x'.repeat(MAX_ANSWER_CHARS + 1), false))).toMatchObject({ reason: 'answer-too-long', message: 'A reply can be at most 5000 characters.' });
    expect(refusal(() => checkAnswer(question, 'hi', true))).toMatchObject({ reason: 'answer-in-progress', message: 'A reply to this notification is still being sent.' });
  });

  it('a reply is sent trimmed, and 5000 characters fit even when each takes two UTF-16 units', () => {
    expect(checkAnswer(question, '  On my way \n', false)).toBe('On my way');
    const emoji = '😀'.repeat(MAX_ANSWER_CHARS);
    expect(checkAnswer(question, `${emoji}  `, false)).toBe(emoji);
    expect(checkAnswer(question, 'x'.repeat(MAX_ANSWER_CHARS), false)).toHaveLength(MAX_ANSWER_CHARS);
  });

  it('a dismissal: gone, or an answer still on its way', () => {
    expect(refusal(() => checkDismiss(undefined, false))).toMatchObject({ reason: 'unknown-item' });
    expect(refusal(() => checkDismiss(plain, true))).toMatchObject({ reason: 'answer-in-progress', message: 'An answer to this notification is still being sent.' });
    expect(() => checkDismiss(plain, false)).not.toThrow();
  });
});
