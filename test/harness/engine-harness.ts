import Conf from 'conf';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountEngine, AccountEngineEvents } from '../../main/core/engine/account-engine';
import type { AccountState } from '../../main/core/engine/state';
import { Storage, openRecovering, type StorageProblem } from '../../main/core/storage/storage';

export interface TempStorage {
  dir: string;
  filePath: string;
  problems: StorageProblem[];
  /** A new Storage on the same file, as after an app restart. */
  open(): Storage;
}

/** A conf-backed store in a fresh temp dir: the same library electron-store builds on. */
export function tempStorage(dir = mkdtempSync(join(tmpdir(), 'b24-store-'))): TempStorage {
  const problems: StorageProblem[] = [];
  const filePath = join(dir, 'settings.json');
  const report = (problem: StorageProblem): void => void problems.push(problem);
  return {
    dir,
    filePath,
    problems,
    open: () =>
      new Storage(
        openRecovering({
          filePath,
          report,
          create: () => new Conf({ cwd: dir, configName: 'settings', accessPropertiesByDotNotation: false, clearInvalidConfig: false }),
        }),
        report,
      ),
  };
}

/** Resolves with the first state (current or coming) that satisfies `predicate`. */
export function stateWhere(engine: AccountEngine, predicate: (state: AccountState) => boolean, what = 'the expected state'): Promise<AccountState> {
  if (predicate(engine.state)) return Promise.resolve(engine.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}; last state: ${JSON.stringify({ ...engine.state, inbox: engine.state.inbox.map((i) => [i.id, i.action?.status]) })}`));
    }, 10_000);
    const off = engine.on('changed', (state) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      off();
      resolve(state);
    });
  });
}

/** Resolves with the arguments of the next `event`. */
export function nextEvent<E extends keyof AccountEngineEvents>(engine: AccountEngine, event: E): Promise<AccountEngineEvents[E]> {
  return new Promise((resolve) => {
    const off = engine.on(event, (...args) => {
      off();
      resolve(args);
    });
  });
}

/** Records every emission of the engine's discrete events, for exactly-once checks. */
export function recordEvents(engine: AccountEngine): { announced: number[]; removed: number[]; settled: number[] } {
  const log = { announced: [] as number[], removed: [] as number[], settled: [] as number[] };
  engine.on('announced', (items) => log.announced.push(...items.map((item) => item.id)));
  engine.on('removed', (ids) => log.removed.push(...ids));
  engine.on('actionSettled', (id) => log.settled.push(id));
  return log;
}
