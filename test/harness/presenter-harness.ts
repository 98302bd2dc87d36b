/**
 * The popup policy's whole path for a test: the simulator over loopback, a real client, engine and
 * hub on a fake clock, and a recording notifier standing in for the OS. Started and polled once.
 */
import { vi } from 'vitest';
import { NotificationHub } from '../../main/core/app/hub';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { PopupPresenter, type PopupSettings } from '../../main/core/notifier/popup-presenter';
import { PortalClient } from '../../main/core/portal';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { nextEvent, tempStorage } from './engine-harness';
import { FakeClock } from './fake-clock';
import { FakeNotifier } from './fake-notifier';
import type { Notifier } from '../../main/core/notifier/notifier';
import { simWebhookCredentials } from './sim-credentials';

export interface PresenterSetup<N extends Notifier = FakeNotifier> {
  portal: PortalSim;
  engine: AccountEngine;
  hub: NotificationHub;
  notifier: N;
  clock: FakeClock;
  openWindow: ReturnType<typeof vi.fn>;
  playSound: ReturnType<typeof vi.fn>;
  settings: PopupSettings;
  restartPresenter(): void;
}

/** `cleanups` gets what stops it all; the caller runs them after the test. */
export async function presenterSetup<N extends Notifier = FakeNotifier>(
  cleanups: (() => Promise<void>)[],
  options: { notifier?: N; settings?: Partial<PopupSettings>; breaksThrough?: (accountId: string, settingName: string) => boolean; osDoNotDisturb?: () => boolean; digestStorage?: boolean } = {},
): Promise<PresenterSetup<N>> {
  const clock = new FakeClock(new Date(2026, 2, 3, 12, 0).getTime());
  const portal = await startPortalSim();
  const client = new PortalClient({ credentials: simWebhookCredentials(portal) });
  const storage = tempStorage().open();
  const engine = new AccountEngine({ accountId: 'acme', client, storage, clock });
  const hub = new NotificationHub();
  hub.useSnoozes(storage, clock);
  const notifier = options.notifier ?? (new FakeNotifier() as unknown as N); // N defaults to FakeNotifier
  const settings: PopupSettings = { doNotDisturb: { mode: 'off' }, sound: false, ...options.settings };
  const openWindow = vi.fn();
  const playSound = vi.fn();
  const presenter = new PopupPresenter({ hub, notifier, clock, settings: () => settings, openWindow, playSound, ...(options.breaksThrough ? { breaksThrough: options.breaksThrough } : {}), ...(options.osDoNotDisturb ? { osDoNotDisturb: options.osDoNotDisturb } : {}), ...(options.digestStorage ? { storage } : {}) });
  hub.add('Acme', engine);
  cleanups.push(async () => {
    presenter.dispose();
    await hub.stopAll();
    await client.close();
    await portal.close();
  });
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;
  // A second presenter on the same hub and storage: the app started again (the first one disposed).
  const restartPresenter = (): void => {
    presenter.dispose();
    new PopupPresenter({ hub, notifier, clock, settings: () => settings, openWindow, playSound, storage });
  };
  return { portal, engine, hub, notifier, clock, openWindow, playSound, settings, restartPresenter };
}

/** One poll on the schedule: the clock moves one interval and the poll completes. */
export async function pollOnce({ engine, clock }: Pick<PresenterSetup, 'engine' | 'clock'>): Promise<void> {
  const polled = nextEvent(engine, 'polled');
  await clock.advance(engine.pollIntervalMs);
  await polled;
}
