import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ElectronNotifier } from '../../main/electron/electron-notifier';
import type { Popup } from '../../main/core/notifier/notifier';
import { FakeNotification } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock());

const confirmPopup: Popup = {
  key: 'acme:1502',
  title: 'Invitation',
  body: 'Join Marketing?',
  buttons: [
    { value: 'Y', label: 'Accept' },
    { value: 'N', label: 'Decline' },
  ],
  urgency: 'normal',
};

function record(notifier: ElectronNotifier): string[] {
  const events: string[] = [];
  notifier.on('action', (key, value) => events.push(`action ${key} ${value}`));
  notifier.on('opened', (key) => events.push(`opened ${key}`));
  notifier.on('dismissed', (key) => events.push(`dismissed ${key}`));
  notifier.on('replied', (key, text) => events.push(`replied ${key} ${text}`));
  notifier.on('unavailable', (reason) => events.push(`unavailable ${reason}`));
  return events;
}

describe('ElectronNotifier', () => {
  beforeEach(() => {
    FakeNotification.instances = [];
  });

  it('shows buttons on macOS and Windows and maps a press to the button’s value', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      FakeNotification.instances = [];
      const notifier = new ElectronNotifier(platform);
      const events = record(notifier);
      await notifier.show(confirmPopup);
      const [shown] = FakeNotification.instances;
      expect(shown?.options).toMatchObject({
        title: 'Invitation',
        body: 'Join Marketing?',
        timeoutType: 'never',
        actions: [
          { type: 'button', text: 'Accept' },
          { type: 'button', text: 'Decline' },
        ],
      });
      expect(shown?.show).toHaveBeenCalled();
      shown?.emit('action', { actionIndex: 1, selectionIndex: -1 });
      shown?.emit('click', {});
      expect(events).toEqual(['action acme:1502 N', 'opened acme:1502']);
    }
  });

  it('offers no buttons on Linux (Electron ignores them there)', async () => {
    const notifier = new ElectronNotifier('linux');
    expect(notifier.capabilities).toEqual({ buttons: false, reply: false, moreActions: false });
    await notifier.show(confirmPopup);
    expect(FakeNotification.instances[0]?.options.actions).toEqual([]);
  });

  it('tells a user dismissal from its own close', async () => {
    const notifier = new ElectronNotifier('darwin');
    const events = record(notifier);
    await notifier.show(confirmPopup);
    await notifier.close('acme:1502');
    expect(FakeNotification.instances[0]?.close).toHaveBeenCalled();
    await notifier.show({ ...confirmPopup, key: 'acme:7' });
    FakeNotification.instances[1]?.emit('close', {});
    expect(events).toEqual(['dismissed acme:7']);
  });

  it('passes an inline reply on', async () => {
    const notifier = new ElectronNotifier('win32');
    const events = record(notifier);
    await notifier.show({ ...confirmPopup, key: 'acme:9', buttons: [], reply: { placeholder: 'Reply…' } });
    expect(FakeNotification.instances[0]?.options).toMatchObject({ hasReply: true, replyPlaceholder: 'Reply…' });
    FakeNotification.instances[0]?.emit('reply', { reply: 'On my way' });
    expect(events).toEqual(['replied acme:9 On my way']);
  });

  it('one failed popup keeps the buttons; three in a row fall back to no buttons, and say why once', async () => {
    const notifier = new ElectronNotifier('darwin');
    const events = record(notifier);
    const changes: unknown[] = [];
    notifier.on('capabilitiesChanged', (capabilities) => changes.push(capabilities));
    await notifier.show(confirmPopup);
    FakeNotification.instances[0]?.emit('failed', {}, 'not signed');
    expect(notifier.capabilities.buttons).toBe(true);
    for (const index of [1, 2]) {
      await notifier.show({ ...confirmPopup, key: `acme:${7 + index}` });
      FakeNotification.instances[index]?.emit('failed', {}, 'not signed');
    }
    expect(notifier.capabilities.buttons).toBe(false);
    await notifier.show({ ...confirmPopup, key: 'acme:20' });
    expect(FakeNotification.instances[3]?.options.actions).toEqual([]);
    expect(events.filter((event) => event.startsWith('unavailable'))).toHaveLength(1);
    expect(changes).toEqual([{ buttons: false, reply: false, moreActions: false }]);
  });
});

describe('Windows toasts', () => {
  it('sets the toast activator CLSID before the AppUserModelID, and opens the window on a cold-start click', async () => {
    const electron = await import('electron');
    const { APP_ID, prepareWindowsToasts } = await import('../../main/electron/notifications');
    const platform = Object.getOwnPropertyDescriptor(process, 'platform');
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      const openWindow = vi.fn();
      prepareWindowsToasts(openWindow);
      const clsid = vi.mocked(electron.app.setToastActivatorCLSID);
      const aumid = vi.mocked(electron.app.setAppUserModelId);
      expect(aumid).toHaveBeenCalledWith(APP_ID);
      expect(clsid.mock.invocationCallOrder[0]).toBeLessThan(aumid.mock.invocationCallOrder[0]!);
      const onActivation = vi.mocked(electron.Notification.handleActivation).mock.calls[0]?.[0];
      onActivation?.({ type: 'click', arguments: '' });
      expect(openWindow).toHaveBeenCalled();
    } finally {
      if (platform) Object.defineProperty(process, 'platform', platform);
    }
  });
});
