/**
 * Runs the real built main bundle (dist/main/index.js) under the Electron stand-in in a child
 * process with its own HOME, and drives it as a user would: tray clicks, window closes, IPC calls
 * from the window, power events; observes what it shows and whether the process ends.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '../harness/processes';
import { startPortalSim, type PortalSim } from '../portal-sim';

const ROOT = join(import.meta.dirname, '..', '..');
const REGISTER = join(import.meta.dirname, 'register.mjs');

export interface StandinEvent {
  type: 'event';
  name: string;
  [detail: string]: unknown;
}

export interface StandinState {
  windows: { visible: boolean; url: string }[];
  trays: { menu: string[] }[];
  applicationMenu: 'default' | null;
  ipcChannels: string[];
}

export interface RunningApp {
  readonly events: StandinEvent[];
  readonly exitCode: Promise<number | null>;
  command<T = unknown>(name: string, ...args: unknown[]): Promise<T>;
  state(): Promise<StandinState>;
  /** Resolves with the first event named `name` (already seen, or to come). */
  event(name: string, timeoutMs?: number): Promise<StandinEvent>;
  /** Output the app wrote, for messages. */
  output(): string;
  /** Ends the app and resolves once it has exited (its home can then be removed). */
  kill(): Promise<void>;
}

export interface AppHome {
  dir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** A fresh HOME (config, logs, the single-instance socket) shared by the instances of one test. */
export function appHome(extraEnv: NodeJS.ProcessEnv = {}): AppHome {
  const dir = mkdtempSync(join(tmpdir(), 'b24-shell-'));
  mkdirSync(join(dir, '.config'), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, '.config'),
    B24_STANDIN_LOCK: join(dir, 'single-instance.sock'),
    B24_STANDIN_APP_PATH: ROOT,
    ...extraEnv,
  };
  return { dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of dist/ and package.json under `parent` (e.g. a path with a space or a %). */
export function copyOfApp(parent: string): string {
  mkdirSync(parent, { recursive: true });
  cpSync(join(ROOT, 'dist'), join(parent, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(parent, 'package.json'));
  return parent;
}

export function launchApp(home: AppHome, options: { args?: string[]; env?: NodeJS.ProcessEnv; appDir?: string } = {}): RunningApp {
  const appDir = options.appDir ?? ROOT;
  const child: ChildProcess = fork(join(appDir, 'dist', 'main', 'index.js'), options.args ?? [], {
    execArgv: ['--import', REGISTER],
    env: { ...home.env, B24_STANDIN_APP_PATH: appDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Its own process group, so kill() ends what the app started too (the `gsettings monitor` of
    // main/linux/system-quiet.ts), which would otherwise outlive a SIGKILLed app.
    detached: true,
  });
  const events: StandinEvent[] = [];
  const waiters: { name: string; resolve: (event: StandinEvent) => void }[] = [];
  const replies = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.on('message', (message: { type: string; id?: number; name?: string; result?: unknown; error?: string }) => {
    if (message.type === 'event') {
      const event = message as StandinEvent;
      events.push(event);
      for (const waiter of waiters.filter((entry) => entry.name === event.name)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    } else if (message.type === 'reply' && message.id !== undefined) {
      const reply = replies.get(message.id);
      replies.delete(message.id);
      if (message.error !== undefined) reply?.reject(new Error(message.error));
      else reply?.resolve(message.result);
    }
  });
  let exited = false;
  const exitCode = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      // A command the app can no longer answer fails at once, with what the app said before it ended.
      for (const [id, reply] of replies) {
        replies.delete(id);
        reply.reject(new Error(`the app ended (code ${code}, signal ${signal}) before answering; output:\n${output}`));
      }
      resolve(code);
    }),
  );
  let nextId = 1;
  const app: RunningApp = {
    events,
    exitCode,
    command<T>(name: string, ...args: unknown[]): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        if (exited) return reject(new Error(`the app has ended; output:\n${output}`));
        replies.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ type: 'command', id, name, args });
      });
    },
    state: () => app.command<StandinState>('state'),
    event(name, timeoutMs = 10_000) {
      const seen = events.find((event) => event.name === name);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${name}" event within ${timeoutMs} ms; events: ${events.map((event) => event.name).join(', ')}; output:\n${output}`)), timeoutMs);
        waiters.push({
          name,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event);
          },
        });
      });
    },
    output: () => output,
    kill: async () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // ESRCH: the app and everything it started have already ended.
      }
      await exitCode;
    },
  };
  return app;
}

/**
 * A simulator, a fresh home with `env`, the app launched and its window up, the simulator
 * connected from the window (as a user pastes the webhook), and the first poll (the baseline:
 * nothing pops up for what was already there) done. Everything is handed to `cleanups`.
 */
export async function launchConnected(env: NodeJS.ProcessEnv, cleanups: (() => Promise<void> | void)[]): Promise<{ app: RunningApp; portal: PortalSim; accountId: string }> {
  const portal = await startPortalSim();
  cleanups.push(() => portal.close());
  const home = appHome(env);
  cleanups.push(() => home.cleanup());
  const app = launchApp(home);
  cleanups.push(() => app.kill());
  await app.event('window-show');
  const connected = await app.command<{ ok: boolean; value?: { accountId: string } }>('invoke', 'b24:accounts:connect-webhook', { url: portal.webhookUrl });
  if (!connected.ok) throw new Error(`connecting the simulator failed: ${JSON.stringify(connected)}`);
  await pollUntil(() => portal.requestLog.some((entry) => entry.restMethod === 'im.notify.get' || entry.restMethod === 'batch'), 'the first poll');
  return { app, portal, accountId: connected.value?.accountId ?? '' };
}
