/**
 * The two cloud limiters of §4.5: the per-portal leaky bucket (503 QUERY_LIMIT_EXCEEDED) and the
 * per-method operating-time budget of rest/lib/engine/access/loadlimiter.php (429
 * OPERATION_TIME_LIMIT). Both measure time with the injected clock.
 */

export interface BucketConfig {
  capacity: number;
  drainPerSec: number;
}

export class LeakyBucket {
  private level = 0;
  private lastDrainMs: number | null = null;
  maxLevel = 0;

  constructor(
    private config: BucketConfig | false,
    private readonly now: () => number,
  ) {}

  configure(config: BucketConfig | false): void {
    this.config = config;
  }

  reset(): void {
    this.level = 0;
    this.lastDrainMs = null;
  }

  /** Adds one request; false (and nothing added) when it would overflow the capacity. */
  tryAdd(): boolean {
    if (!this.config) return true;
    const nowMs = this.now();
    const elapsedSec = this.lastDrainMs === null ? 0 : Math.max(0, nowMs - this.lastDrainMs) / 1000;
    this.lastDrainMs = nowMs;
    this.level = Math.max(0, this.level - elapsedSec * this.config.drainPerSec);
    if (this.level + 1 > this.config.capacity) return false;
    this.level += 1;
    this.maxLevel = Math.max(this.maxLevel, this.level);
    return true;
  }
}

export interface OperatingConfig {
  limitSec: number;
  windowSec?: number;
  costSec?: Record<string, number>;
}

export interface OperatingSnapshot {
  operating_reset_at: number;
  operating: number;
}

interface TimeBucket {
  index: number;
  totalSec: number;
  firstStartSec: number;
}

/** LoadLimiter::$bucketCount: the window is always ten buckets. */
const BUCKET_COUNT = 10;
const DEFAULT_WINDOW_SEC = 600;
/** LoadLimiter::$minimalFixTime: shorter calls are not recorded. */
const MINIMAL_FIX_SEC = 0.1;

export class OperatingBudget {
  private readonly bucketsByKey = new Map<string, TimeBucket[]>();

  constructor(
    private config: OperatingConfig | false,
    private readonly now: () => number,
  ) {}

  get enabled(): boolean {
    return this.config !== false;
  }

  configure(config: OperatingConfig | false): void {
    this.config = config;
  }

  reset(): void {
    this.bucketsByKey.clear();
  }

  private windowSec(): number {
    return this.config ? (this.config.windowSec ?? DEFAULT_WINDOW_SEC) : DEFAULT_WINDOW_SEC;
  }

  private bucketSizeSec(): number {
    return this.windowSec() / BUCKET_COUNT;
  }

  /** Buckets still inside the window, oldest first. */
  private liveBuckets(key: string): TimeBucket[] {
    const currentIndex = Math.floor(this.now() / 1000 / this.bucketSizeSec());
    return (this.bucketsByKey.get(key) ?? [])
      .filter((bucket) => bucket.index > currentIndex - BUCKET_COUNT)
      .sort((a, b) => a.index - b.index);
  }

  /** LoadLimiter::is(): checked before the call; blocks when the sum is strictly above the limit. */
  isBlocked(key: string): boolean {
    if (!this.config) return false;
    return this.usedSec(key) > this.config.limitSec;
  }

  private usedSec(key: string): number {
    return this.liveBuckets(key).reduce((sum, bucket) => sum + bucket.totalSec, 0);
  }

  costOf(method: string): number {
    return this.config ? (this.config.costSec?.[method] ?? 0) : 0;
  }

  /** Registers one finished call that started at startMs. */
  record(key: string, costSec: number, startMs: number): void {
    if (!this.config || costSec <= MINIMAL_FIX_SEC) return;
    const startSec = startMs / 1000;
    const index = Math.floor(startSec / this.bucketSizeSec());
    const buckets = this.liveBuckets(key);
    const bucket = buckets.find((item) => item.index === index);
    if (bucket) bucket.totalSec += costSec;
    else buckets.push({ index, totalSec: costSec, firstStartSec: startSec });
    this.bucketsByKey.set(key, buckets);
  }

  /**
   * The `time` fields (§4.4): operating = the window's sum for this method; operating_reset_at =
   * when the oldest recorded bucket expires, or requestStart + window when nothing is recorded.
   */
  snapshot(key: string, requestStartMs: number): OperatingSnapshot | undefined {
    if (!this.config) return undefined;
    const oldest = this.liveBuckets(key)[0];
    const resetAtSec = (oldest ? oldest.firstStartSec : requestStartMs / 1000) + this.windowSec();
    return { operating_reset_at: Math.floor(resetAtSec), operating: this.usedSec(key) };
  }
}
