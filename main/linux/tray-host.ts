/**
 * Whether this Linux desktop shows tray icons at all (issue 17). Electron's tray is a
 * StatusNotifierItem; it appears only where a StatusNotifierWatcher with a registered host is on
 * the session bus (KDE, Xfce, Cinnamon, GNOME only with the AppIndicator extension):
 * electron-platform-notes §7. undefined when it cannot be told (no session bus).
 */
import { DbusConnection } from './dbus-connection';

const WATCHER = { destination: 'org.kde.StatusNotifierWatcher', path: '/StatusNotifierWatcher', interface: 'org.kde.StatusNotifierWatcher' } as const;

export async function trayHostPresent(busAddress: string | undefined): Promise<boolean | undefined> {
  if (!busAddress) return undefined;
  let connection: DbusConnection | undefined;
  try {
    connection = await DbusConnection.open({ address: busAddress, callTimeoutMs: 2_000 });
    if (!(await connection.nameOwner(WATCHER.destination))) return false;
    try {
      // A watcher that does not say is taken at its word that it watches for someone.
      return (await connection.property(WATCHER, WATCHER.interface, 'IsStatusNotifierHostRegistered')) !== false;
    } catch {
      return true;
    }
  } catch {
    return undefined;
  } finally {
    connection?.close();
  }
}
