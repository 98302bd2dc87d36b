/** Median and p95 (nearest rank) of repeated measurements. */
export interface Summary {
  runs: number;
  medianMs: number;
  p95Ms: number;
}

export function quantile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function summarize(samples: number[], digits = 2): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value: number): number => Number(value.toFixed(digits));
  return { runs: samples.length, medianMs: round(quantile(sorted, 0.5)), p95Ms: round(quantile(sorted, 0.95)) };
}

/** High-resolution wall clock in epoch ms (sub-millisecond). */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/** 1234 ms → "1.23 s", 3.4 → "3.4 ms". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (Math.abs(ms) >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  return `${ms >= 100 ? ms.toFixed(0) : ms.toFixed(ms >= 10 ? 1 : 2)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024).toFixed(1)} KB`;
}
