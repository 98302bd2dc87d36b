/**
 * What server modules do and REST cannot (§3): create confirm, personal and system notifications
 * for the owner (the test fixtures).
 */
import { htmlspecialcharsbx } from './php';
import type { SimContext } from './context';
import type { NewNotification, NotificationRecord, StoredButton } from './store';
import { toStoredNotification } from './wire';
import type { AddConfirmInput, AddPersonalInput, AddSystemInput, ConfirmButtonInput, StoredNotification } from './types';

/** CIMMessenger::Add defaults when a module names no module/event. */
const DEFAULT_MODULE = 'im';
const DEFAULT_EVENT = 'default';
/** Fixtures come from a colleague unless told otherwise (the §1.4 example's author). */
const DEFAULT_AUTHOR_ID = 3;
/** IM_ERROR_BUTTON_ACCEPT / IM_ERROR_BUTTON_CANCEL: the buttons a confirm gets when none are given. */
const DEFAULT_BUTTONS: StoredButton[] = [
  { TITLE: 'Accept', VALUE: 'Y', TYPE: 'accept' },
  { TITLE: 'Cancel', VALUE: 'N', TYPE: 'cancel' },
];

/** Entries missing TITLE, VALUE or TYPE are dropped; the rest are HTML-escaped (§1.4). */
function storedButtons(buttons: ConfirmButtonInput[]): StoredButton[] {
  return buttons
    .filter((button) => button.title !== '' && button.value !== '' && String(button.type) !== '')
    .map((button) => ({
      TITLE: htmlspecialcharsbx(button.title),
      VALUE: htmlspecialcharsbx(button.value),
      TYPE: htmlspecialcharsbx(button.type),
    }));
}

/**
 * NOTIFY_TITLE is trimmed; omitted → null (the column has no default). Confirm titles are escaped
 * like a module's htmlspecialcharsbx, without double-encoding, so a fixture may pass either the
 * plain title or an already-escaped one and clients always receive entities to decode.
 */
function fixtureTitle(title: string | null | undefined, escapeHtml: boolean): string | null {
  if (title === undefined || title === null) return null;
  const trimmed = title.trim();
  return escapeHtml ? htmlspecialcharsbx(trimmed, false) : trimmed;
}

/** Adds a notification for the owner with the fixture defaults for whatever the input leaves out. */
function addForOwner(
  sim: SimContext,
  input: { authorId?: number; module?: string; event?: string; tag?: string },
  fields: Pick<NewNotification, 'type' | 'title' | 'message' | 'buttons' | 'params'> & { authorId?: number },
): NotificationRecord {
  const record = sim.store.add({
    recipientId: sim.userId,
    subTag: '',
    authorId: fields.authorId ?? input.authorId ?? DEFAULT_AUTHOR_ID,
    module: input.module ?? DEFAULT_MODULE,
    event: input.event ?? DEFAULT_EVENT,
    tag: input.tag ?? '',
    ...fields,
  });
  if (!record) throw new Error(`portal-sim: the owner (user ${sim.userId}) is missing or inactive`);
  return record;
}

/** A module-made confirm; its title and buttons are HTML-escaped (see fixtureTitle, storedButtons). */
export function addConfirm(sim: SimContext, input: AddConfirmInput): StoredNotification {
  const record = addForOwner(sim, input, {
    type: 1,
    title: fixtureTitle(input.title, input.moduleEscapesTitle ?? true),
    message: input.text,
    buttons: input.buttons ? storedButtons(input.buttons) : DEFAULT_BUTTONS,
    params: {},
  });
  if (input.resultMessage !== undefined) sim.confirmHandlerTexts.set(record.id, input.resultMessage);
  return toStoredNotification(record, sim.wire);
}

export function addPersonal(sim: SimContext, input: AddPersonalInput): StoredNotification {
  const record = addForOwner(sim, input, {
    type: 2,
    title: fixtureTitle(input.title, false),
    message: input.text,
    buttons: null,
    // NOTIFY_ANSWER = 'Y' becomes params.CAN_ANSWER = 'Y' (§1.5).
    params: { ...input.params, ...(input.quickReply ? { CAN_ANSWER: 'Y' } : {}) },
  });
  return toStoredNotification(record, sim.wire);
}

export function addSystem(sim: SimContext, input: AddSystemInput): StoredNotification {
  const record = addForOwner(sim, input, {
    type: 4,
    authorId: 0, // system notifications have no author (§1.2)
    title: fixtureTitle(input.title, false),
    message: input.text,
    buttons: null,
    params: { ...input.params },
  });
  return toStoredNotification(record, sim.wire);
}
