/**
 * Requests per idle hour (test/harness/push-budget.ts): issue 16's budget, ≤ 15 with push
 * healthy, against polling's 120 at the default 30 s.
 */
import { describe, expect, it } from 'vitest';
import { requestsInIdleHour } from '../harness/push-budget';

describe('requests per idle hour', () => {
  it('push healthy: at most 15; polling alone at 30 s: about 120', async () => {
    const withPush = await requestsInIdleHour(true);
    const pollingOnly = await requestsInIdleHour(false);
    console.info(`requests per idle hour: push ${withPush}, polling at 30 s ${pollingOnly}`);
    expect(withPush).toBeLessThanOrEqual(15);
    expect(pollingOnly).toBeGreaterThanOrEqual(110);
  });
});
