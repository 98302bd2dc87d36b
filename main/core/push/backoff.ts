/**
 * Reconnect waits from the Push & Pull docs (real-portal-notes.md §4; DOCS
 * custom-push-and-pull-client.md): 0.5, 5, 25, 45, 60 s, each with up to 20 % jitter so a portal
 * restart does not bring every client back in the same second.
 */
export const RECONNECT_STEPS_MS = [500, 5_000, 25_000, 45_000, 60_000] as const;
const JITTER_SHARE = 0.2;

/** `attempt` counts failures in a row, from 1. */
export function reconnectDelayMs(attempt: number, random: () => number): number {
  const index = Math.min(Math.max(attempt, 1), RECONNECT_STEPS_MS.length) - 1;
  const base = RECONNECT_STEPS_MS[index] ?? 60_000;
  return Math.round(base * (1 + JITTER_SHARE * random()));
}

/** `config_expire` / `server_restart`: a random wait of 10–120 s before fetching the config (§4). */
export function restartDelayMs(random: () => number): number {
  return Math.round(10_000 + 110_000 * random());
}
