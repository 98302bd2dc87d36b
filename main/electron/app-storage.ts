/**
 * Settings on electron-store (atomic writes, in the user data folder); a damaged file is moved
 * aside and reported rather than silently reset.
 */
import ElectronStore from 'electron-store';
import { join } from 'node:path';
import { Storage, openRecovering, type ReportProblem } from '../core/storage/storage';

export function openAppStorage(userDataDir: string, report: ReportProblem): Storage {
  const backend = openRecovering({
    filePath: join(userDataDir, 'settings.json'),
    report,
    create: () => new ElectronStore({ name: 'settings', cwd: userDataDir, accessPropertiesByDotNotation: false, clearInvalidConfig: false }),
  });
  return new Storage(backend, report);
}
