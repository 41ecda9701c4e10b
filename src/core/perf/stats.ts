/**
 * The statistics behind the noise-aware perf gate: medians of per-round
 * estimates and a Student-t interval of the paired per-round log ratio.
 *
 * Each round gives one estimate per process, so the rounds, not Criterion's
 * 100 samples (which share one process's state), are the independent
 * replicates the interval is computed from.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile'
import type { Interval } from './results.js'

/** Median of a non-empty list; the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * True for a usable per-round estimate. A failed round is passed as NaN so the
 * rounds stay aligned; a time of zero or less is no measurement either.
 */
export function isEstimate(ns: number | undefined): ns is number {
  return ns !== undefined && Number.isFinite(ns) && ns > 0
}

/**
 * `ln(head_i / base_i)` for every round both sides measured. Round i of base
 * and of head ran back to back, so pairing them cancels drift of the machine
 * between rounds; the log makes a slowdown and the matching speedup symmetric.
 */
export function pairedLogRatios(base: readonly number[], head: readonly number[]): number[] {
  const ratios: number[] = []
  for (let i = 0; i < Math.min(base.length, head.length); i++) {
    const b = base[i]
    const h = head[i]
    if (isEstimate(b) && isEstimate(h)) ratios.push(Math.log(h / b))
  }
  return ratios
}

/**
 * Per-interval confidence that keeps `confidence` for `familySize` intervals
 * at once (Bonferroni): each gets an equal share of the error rate.
 */
export function bonferroniLevel(confidence: number, familySize: number): number {
  return 1 - (1 - confidence) / Math.max(1, familySize)
}

/** A log ratio as a percent change: `(e^x - 1) * 100`. */
export function logRatioToPct(logRatio: number): number {
  return Math.expm1(logRatio) * 100
}

/** Share of the rounds trimmed from each end by `trimmedLogRatioInterval`. */
export const TRIM = 0.2

/** Fewer ratios than this are not trimmed: with 5, trimming leaves df = 2, far too wide. */
export const MIN_TRIMMED = 8

/**
 * Two-sided interval of the 20 %-trimmed mean log ratio at `level` (Yuen's
 * one-sample trimmed t: the winsorized spread, df = n - 2g - 1), as percent
 * change. On this kind of machine a Criterion process now and then runs in a
 * different speed mode (seen as 1.7× on identical code): one such round
 * inflates a plain t interval's spread for every case, while trimming drops
 * it and keeps the interval as narrow as the other rounds allow. Below
 * MIN_TRIMMED ratios nothing is trimmed (the plain Student-t interval).
 */
export function trimmedLogRatioInterval(
  logRatios: readonly number[],
  level: number
): Interval | undefined {
  const n = logRatios.length
  const g = n >= MIN_TRIMMED ? Math.floor(TRIM * n) : 0
  if (g === 0) return logRatioInterval(logRatios, level)
  const sorted = [...logRatios].sort((a, b) => a - b)
  const kept = sorted.slice(g, n - g)
  const mean = kept.reduce((sum, r) => sum + r, 0) / kept.length
  const winsorized = sorted.map((r, i) =>
    i < g ? sorted[g]! : i >= n - g ? sorted[n - g - 1]! : r
  )
  const wMean = winsorized.reduce((sum, r) => sum + r, 0) / n
  const wVariance = winsorized.reduce((sum, r) => sum + (r - wMean) ** 2, 0) / (n - 1)
  const se = Math.sqrt(wVariance) / ((1 - (2 * g) / n) * Math.sqrt(n))
  const half = tQuantile(1 - (1 - level) / 2, n - 2 * g - 1) * se
  return { low: logRatioToPct(mean - half), high: logRatioToPct(mean + half) }
}

/**
 * Two-sided Student-t interval (df = n - 1) of the mean log ratio at `level`,
 * as percent change. Undefined with fewer than two ratios: one round says
 * nothing about the spread.
 */
export function logRatioInterval(
  logRatios: readonly number[],
  level: number
): Interval | undefined {
  const n = logRatios.length
  if (n < 2) return undefined
  const mean = logRatios.reduce((sum, r) => sum + r, 0) / n
  const variance = logRatios.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (n - 1)
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(variance / n)
  return { low: logRatioToPct(mean - half), high: logRatioToPct(mean + half) }
}
