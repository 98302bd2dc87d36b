/**
 * "Open logs folder" in the tray menu: shown when the shell wires it, between Settings and Quit,
 * and it opens the folder the log file is written to.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TRAY_MENU_LABELS, TrayController } from '../../main/electron/tray';
import { FakeMenu, FakeTray } from './electron-mock';

const logsDir = mkdtempSync(join(tmpdir(), 'b24-logs-'));

vi.mock('electron', async () => {
  const mock = (await import('./electron-mock')).electronMock();
  return {
    ...mock,
    app: { ...mock.app, isPackaged: true, getPath: vi.fn((name: string) => (name === 'logs' ? logsDir : '/nonexistent')) },
    shell: { ...mock.shell, openPath: vi.fn(async () => '') },
  };
});

const view = { state: 'idle', badge: '', tooltip: 'B24 Notify', menu: { paused: false, doNotDisturb: false } } as const;

function menuLabels(): (string | undefined)[] {
  return (FakeMenu.built.at(-1)?.items ?? []).map((item) => (item.type === 'separator' ? '—' : item.label));
}

beforeEach(() => {
  FakeTray.instances = [];
  FakeMenu.built = [];
  vi.clearAllMocks();
});

afterEach(() => {
  rmSync(logsDir, { recursive: true, force: true });
});

describe('the tray menu and the logs folder', () => {
  const actions = { onOpen: vi.fn(), onTogglePause: vi.fn(), onToggleDoNotDisturb: vi.fn(), onSettings: vi.fn(), onQuit: vi.fn() };

  it('shows "Open logs folder" after Settings when wired, and clicking it calls the handler', () => {
    const onOpenLogs = vi.fn();
    new TrayController({ ...actions, onOpenLogs, platform: 'linux' }).update(view);
    expect(menuLabels()).toEqual([TRAY_MENU_LABELS.open, '—', TRAY_MENU_LABELS.pause, TRAY_MENU_LABELS.doNotDisturb, '—', TRAY_MENU_LABELS.settings, TRAY_MENU_LABELS.openLogs, '—', TRAY_MENU_LABELS.quit]);
    FakeMenu.built.at(-1)?.items.find((item) => item.label === TRAY_MENU_LABELS.openLogs)?.click?.();
    expect(onOpenLogs).toHaveBeenCalledTimes(1);
  });

  it('leaves the item out when nothing handles it', () => {
    new TrayController({ ...actions, platform: 'linux' }).update(view);
    expect(menuLabels()).not.toContain(TRAY_MENU_LABELS.openLogs);
  });

  it('writes main.log in Electron’s logs folder, and the menu item opens that folder', async () => {
    const electron = await import('electron');
    const { createAppLogger, openLogFile, showLogsFolder } = await import('../../main/electron/logging');
    const logger = createAppLogger({ B24_NOTIFY_LOG_LEVEL: 'debug' });
    expect(logger.level).toBe('debug');
    const dir = openLogFile(logger);
    expect(dir).toBe(logsDir);
    logger.debug('a request to https://acme.bitrix24.com/rest/1/c0dec0de42/profile');
    logger.close();
    const text = readFileSync(join(logsDir, 'main.log'), 'utf8');
    expect(text).toMatch(/INFO {2}B24 Notify 0\.1\.0-test on /);
    expect(text).toContain('DEBUG a request to https://acme.bitrix24.com/rest/1/***/profile');
    showLogsFolder(dir, logger);
    expect(electron.shell.openPath).toHaveBeenCalledWith(logsDir);
    expect(createAppLogger({ B24_NOTIFY_LOG_LEVEL: 'verbose' }).level).toBe('info');
  });
});
