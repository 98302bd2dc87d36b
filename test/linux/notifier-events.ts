/** Event helpers for Notifier tests: await the next event, or record all of them. */
import type { Notifier, NotifierEvents } from '../../main/core/notifier/notifier';

/** Resolves with the arguments of the next `event`; rejects after `timeoutMs`. */
export function nextEvent<E extends keyof NotifierEvents>(notifier: Notifier, event: E, timeoutMs = 5_000): Promise<NotifierEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = notifier.on(event, (...args) => {
      clearTimeout(timer);
      off();
      resolve(args);
    });
  });
}

export type RecordedEvent = { [E in keyof NotifierEvents]: [E, ...NotifierEvents[E]] }[keyof NotifierEvents];

/** Every event the notifier emits from now on, in order. */
export function recordEvents(notifier: Notifier): RecordedEvent[] {
  const log: RecordedEvent[] = [];
  const names: (keyof NotifierEvents)[] = ['action', 'opened', 'replied', 'dismissed', 'unavailable', 'capabilitiesChanged'];
  for (const name of names) {
    notifier.on(name, (...args: unknown[]) => log.push([name, ...args] as RecordedEvent));
  }
  return log;
}
