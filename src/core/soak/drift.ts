/**
 * Trend of the soak's perf samples: does a series (p50, p95, one case) creep
 * up over the cycles? Judged from a robust slope after a warm-up, never from
 * the first and last sample: the Theil–Sen slope (the median of the pairwise
 * slopes) shrugs off an outlying cycle, and the Mann–Kendall test asks whether
 * the rise is consistent rather than one jump. A series drifts when its fitted
 * change over the soak is above the threshold and the trend is significant.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf'
import { median } from '../perf/judge/stats.js'

/** One series' trend. */
export interface SeriesDrift {
  /** `p50`, `p95` or a case id. */
  series: string
  /** Samples used (after the warm-up). */
  points: number
  /** Fitted change from the first to the last sample used, percent of the fitted start. */
  changePct: number
  /** Theil–Sen slope per cycle, in the samples' unit: ns, or instructions with that metric. */
  slopeNsPerCycle: number
  /** One-sided Mann–Kendall p-value for an upward trend. */
  pValue: number
  drifted: boolean
}

/** The soak's trend verdict. */
export interface DriftReport {
  /** `drifted`: some series is above the threshold; `insufficient`: too few samples to say. */
  verdict: 'steady' | 'drifted' | 'insufficient'
  thresholdPct: number
  warmupCycles: number
  /** Why `insufficient`, or which series drifted. */
  message: string
  /** p50 and p95 first, then the cases, largest change first. */
  series: SeriesDrift[]
}

/** Fewer samples after the warm-up than this, and no trend is called. */
export const MIN_TREND_POINTS = 4

/** Significance of the trend test, for p50 and p95; cases share it (Bonferroni). */
export const TREND_ALPHA = 0.05

/**
 * One perf cycle's figures: the cycle number, p50, p95 and each case's median (ns), or with the
 * instruction metric each case's count.
 */
export interface PerfSample {
  cycle: number
  p50: number
  p95: number
  medians: Record<string, number>
}

/** Judges p50, p95 and every case over the samples after the first `warmup`. */
export function judgeDrift(
  samples: readonly PerfSample[],
  thresholdPct: number,
  warmup: number
): DriftReport {
  const used = samples.slice(warmup)
  const base = { thresholdPct, warmupCycles: warmup }
  if (used.length < MIN_TREND_POINTS) {
    return {
      ...base,
      verdict: 'insufficient',
      message: `${samples.length} perf ${samples.length === 1 ? 'cycle' : 'cycles'}, ${used.length} after a warm-up of ${warmup}: a trend needs at least ${MIN_TREND_POINTS}.`,
      series: []
    }
  }
  const ids = [...new Set(used.flatMap(s => Object.keys(s.medians)))].sort()
  const caseAlpha = TREND_ALPHA / Math.max(1, ids.length)
  const series = [
    trend(
      'p50',
      used.map(s => [s.cycle, s.p50]),
      thresholdPct,
      TREND_ALPHA
    ),
    trend(
      'p95',
      used.map(s => [s.cycle, s.p95]),
      thresholdPct,
      TREND_ALPHA
    ),
    ...ids
      .map(id =>
        trend(
          id,
          used.filter(s => s.medians[id] !== undefined).map(s => [s.cycle, s.medians[id]!]),
          thresholdPct,
          caseAlpha
        )
      )
      .filter(d => d.points >= MIN_TREND_POINTS)
      .sort((a, b) => b.changePct - a.changePct)
  ]
  const drifted = series.filter(s => s.drifted)
  return {
    ...base,
    verdict: drifted.length > 0 ? 'drifted' : 'steady',
    message:
      drifted.length > 0
        ? `${drifted.map(d => `${d.series} ${signed(d.changePct)}`).join(', ')} over ${used.length} perf cycles (threshold ${thresholdPct}%).`
        : `No series changed by more than ${thresholdPct}% with a significant trend over ${used.length} perf cycles.`,
    series
  }
}

/** The trend of one series of (cycle, value) points. */
export function trend(
  series: string,
  points: ReadonlyArray<readonly [number, number]>,
  thresholdPct: number,
  alpha: number
): SeriesDrift {
  const slope = theilSen(points)
  const xs = points.map(p => p[0])
  const first = Math.min(...xs)
  const last = Math.max(...xs)
  // The line through the median residual, read at the first cycle used.
  const intercept = median(points.map(([x, y]) => y - slope * (x - first)))
  const changePct = intercept > 0 ? ((slope * (last - first)) / intercept) * 100 : 0
  const pValue = mannKendallUpward(points.map(p => p[1]))
  return {
    series,
    points: points.length,
    changePct,
    slopeNsPerCycle: slope,
    pValue,
    drifted: changePct > thresholdPct && pValue < alpha
  }
}

/** Median of the pairwise slopes. */
export function theilSen(points: ReadonlyArray<readonly [number, number]>): number {
  const slopes: number[] = []
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]![0] - points[i]![0]
      if (dx !== 0) slopes.push((points[j]![1] - points[i]![1]) / dx)
    }
  }
  return slopes.length > 0 ? median(slopes) : 0
}

/**
 * One-sided p-value of the Mann–Kendall test for a rising series (values in
 * time order): the normal approximation with continuity correction and the
 * tie-corrected variance. Exact enough from 4 points for a yes/no at 5 %.
 */
export function mannKendallUpward(values: readonly number[]): number {
  const n = values.length
  let s = 0
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign(values[j]! - values[i]!)
  }
  const ties = new Map<number, number>()
  for (const v of values) ties.set(v, (ties.get(v) ?? 0) + 1)
  let tieTerm = 0
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5)
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18
  if (variance <= 0 || s <= 0) return s > 0 ? 0 : 1
  const z = (s - 1) / Math.sqrt(variance)
  return 1 - normalCdf(z, 0, 1)
}

function signed(pct: number): string {
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`
}
