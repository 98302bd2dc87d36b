/**
 * The confirm action (CIMNotify::Confirm, §2.2) shared by im.notify.confirm and the "answered in
 * the browser" control, plus deletion that also drops the sim-only handler text.
 */
import type { SimContext } from './context';
import { phpLooseEquals, phpString } from './php';
import type { NotificationRecord } from './store';

/** The localised IM_CONFIRM_CHOICE message (English wording assumed). */
function confirmChoiceText(buttonTitle: string): string {
  return `You chose "${buttonTitle}"`;
}

/**
 * CIMNotify::Confirm after the lookup: the module handler runs only for a tagged confirm; without
 * handler text the matching button gives IM_CONFIRM_CHOICE; then the confirm is deleted.
 */
export function confirmNotification(
  sim: SimContext,
  record: NotificationRecord,
  value: unknown,
  via: 'rest' | 'browser',
): string[] {
  const messages: string[] = [];
  if (record.tag !== '') {
    const handlerText = sim.confirmHandlerTexts.get(record.id);
    // false = the handler refused: it stops the chain and discards texts, then MOD falls through.
    if (typeof handlerText === 'string' && handlerText !== '') messages.push(handlerText);
  }
  if (messages.length === 0) {
    const button = record.buttons?.find((item) => phpLooseEquals(item.VALUE, value));
    if (button) messages.push(confirmChoiceText(button.TITLE));
  }
  deleteRecord(sim, record.id, 'notifyConfirm');
  sim.confirmLog.push({ id: record.id, value: phpString(value), at: sim.now(), via });
  return messages;
}

export function deleteRecord(sim: SimContext, id: number, command: 'notifyDelete' | 'notifyConfirm' = 'notifyDelete'): boolean {
  sim.confirmHandlerTexts.delete(id);
  return sim.store.delete(id, command);
}

export function answerInBrowser(sim: SimContext, id: number, value: string): void {
  const record = sim.store.findOwned(sim.userId, id);
  if (!record || record.type !== 1) throw new Error(`portal-sim: no confirm notification ${id}`);
  confirmNotification(sim, record, value, 'browser');
}

export function deleteInBrowser(sim: SimContext, id: number): void {
  if (!deleteRecord(sim, id)) throw new Error(`portal-sim: no notification ${id}`);
}
