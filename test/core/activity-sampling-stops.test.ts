/**
 * The activity monitor (main/core/app/activity-monitor.ts) stops sampling when the app stops it
 * (quit, or the shell tearing down): a person going idle afterwards is no longer reported, so the
 * portals' poll schedules are left as they were; started again, it samples again. Virtual time.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVITY_SAMPLE_MS, ActivityMonitor } from '../../main/core/app/activity-monitor';
import type { Activity } from '../../main/core/engine/schedule';
import { FakeClock } from '../harness/fake-clock';

describe('a stopped activity monitor', () => {
  it('reports nothing more until it is started again', async () => {
    const clock = new FakeClock();
    let idleSeconds = 0;
    const seen: Activity[] = [];
    const monitor = new ActivityMonitor({ idleSeconds: () => idleSeconds, clock, onChange: (activity) => seen.push(activity) });
    monitor.start();
    await clock.advance(ACTIVITY_SAMPLE_MS);
    monitor.stop();

    // Away from the computer for ten minutes, well past the three that make a person idle.
    idleSeconds = 600;
    await clock.advance(10 * ACTIVITY_SAMPLE_MS);
    expect(seen).toEqual([]);
    expect(monitor.current).toBe('active');

    monitor.start();
    expect(seen).toEqual(['idle']);
    monitor.stop();
  });
});
