/**
 * Child processes for the Linux desktop harnesses (dbus-daemon, dbusmock, Xvfb, dunst): each
 * runs in its own process group so that stopping it also stops whatever it spawned, and every
 * group still alive when the test worker exits is killed then, so a failed test leaves nothing.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Readable } from 'node:stream';

const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export interface GroupProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the leader has exited. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): GroupProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
  if (child.pid === undefined) {
    // spawn reports ENOENT asynchronously; surface it as an exception here.
    throw new Error(`cannot start ${command}`);
  }
  const pid = child.pid;
  liveGroups.add(pid);
  let stderrText = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrText = (stderrText + chunk).slice(-8_000);
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.once('error', () => resolve(null));
  });
  return {
    child,
    pid,
    stderr: () => stderrText,
    exited,
    async stop(graceMs = 2_000) {
      killGroup(pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
      if ((await Promise.race([exited, late])) === 'late') {
        killGroup(pid, 'SIGKILL');
        await exited;
      }
      clearTimeout(timer);
      // Stragglers in the group (children that ignored SIGTERM) go too.
      killGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
    },
  };
}

/** The first line `stream` prints, or an error if it ends or `timeoutMs` passes first. */
export function firstLine(stream: Readable, what: string, timeoutMs = 5_000): Promise<string> {
  stream.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let buffered = '';
    const finish = (error: Error | undefined, line = ''): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.resume(); // keep draining, so the child never blocks on a full pipe
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: string): void => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline >= 0) finish(undefined, buffered.slice(0, newline).trim());
    };
    const onEnd = (): void => finish(new Error(`${what}: output ended before a line (got ${JSON.stringify(buffered)})`));
    const timer = setTimeout(() => finish(new Error(`${what}: no line within ${timeoutMs} ms (got ${JSON.stringify(buffered)})`)), timeoutMs);
    stream.on('data', onData);
    stream.once('end', onEnd);
  });
}

/** Whether `command args` runs and exits with 0 (for skip checks). */
export function runs(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 5_000 });
  return result.status === 0;
}

/**
 * Bounded polling, only for external state that offers no event to await (a popup count in
 * dunst, say). Resolves with the first truthy value of `probe`.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 5_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
