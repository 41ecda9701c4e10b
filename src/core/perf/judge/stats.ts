/**
 * The statistics behind the noise-aware perf gate: medians of per-round
 * estimates and a Student-t interval of the paired per-round log ratio.
 *
 * Each round gives one estimate per process, so the rounds, not Criterion's
 * 100 samples (which share one process's state), are the independent
 * replicates the interval is computed from.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile'
import type { Interval } from '../results.js'

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

/** A modified z-score above this marks an outlier round (Iglewicz & Hoaglin, 1993). */
export const OUTLIER_Z = 3.5

/** Fewer paired rounds than this keep every round: a median and MAD of 4 say too little. */
export const MIN_ROUNDS_FOR_OUTLIERS = 5

/**
 * At most this share of the rounds is left out as outliers (the most extreme first): on a busy
 * 2-core runner a third of the rounds were seen disturbed on one side alone.
 */
export const MAX_OUTLIER_SHARE = 1 / 3

/** The change from base to head of one case, as one estimate: Δ always lies inside its interval. */
export interface ChangeEstimate {
  /** The change in percent, `(e^center - 1) * 100` of the log estimate the interval is built on. */
  deltaPct: number
  /** The two-sided interval at the level asked for, in percent; absent below two rounds. */
  ci?: Interval
  /** Rounds the estimate used: paired rounds, or the fewer of each side's rounds (`sides`). */
  rounds: number
  /** Paired rounds left out as outliers. */
  outliers: number
}

/**
 * The paired estimate: the mean of the per-round log ratios `ln(head_i / base_i)` and its
 * Student-t interval (df = kept - 1) at `level`, after leaving out outlier rounds. A round is
 * an outlier when its modified z-score `0.6745 (x - median) / MAD` exceeds OUTLIER_Z, from
 * MIN_ROUNDS_FOR_OUTLIERS rounds on and at most a third of them (MAX_OUTLIER_SHARE): on a busy runner a
 * round now and then has one side disturbed alone (a process in another speed mode, seen at
 * 1.7x on identical code), and one such round would otherwise widen every interval it is in.
 * `madFloor` (log ratio) is the least MAD the score divides by: the MAD of 5 rounds is often
 * far below their spread, which made ordinary rounds outliers and the interval too narrow;
 * compareCases passes the median MAD of the compare's cases. Undefined without a paired round.
 */
export function pairedEstimate(
  base: readonly number[],
  head: readonly number[],
  level: number,
  madFloor = 0
): ChangeEstimate | undefined {
  const ratios = pairedLogRatios(base, head)
  if (ratios.length === 0) return undefined
  const kept = withoutOutliers(ratios, madFloor)
  const center = mean(kept)
  const estimate: ChangeEstimate = {
    deltaPct: logRatioToPct(center),
    rounds: ratios.length,
    outliers: ratios.length - kept.length
  }
  const ci = logRatioInterval(kept, level)
  if (ci) estimate.ci = ci
  return estimate
}

/** The ratios less their outliers (see `pairedEstimate`), in their order. */
export function withoutOutliers(ratios: readonly number[], madFloor = 0): number[] {
  const n = ratios.length
  if (n < MIN_ROUNDS_FOR_OUTLIERS) return [...ratios]
  const m = median(ratios)
  const mad = Math.max(madOf(ratios), madFloor)
  if (mad === 0) return [...ratios]
  const score = (r: number): number => (0.6745 * Math.abs(r - m)) / mad
  const worst = ratios
    .map((r, i) => ({ i, z: score(r) }))
    .filter(x => x.z > OUTLIER_Z)
    .sort((a, b) => b.z - a.z)
    .slice(0, Math.floor(MAX_OUTLIER_SHARE * n + 1e-9))
  const out = new Set(worst.map(x => x.i))
  return ratios.filter((_, i) => !out.has(i))
}

/** Median absolute deviation from the median (of log ratios: unscaled, not × 1.4826). */
export function madOf(values: readonly number[]): number {
  const m = median(values)
  return median(values.map(v => Math.abs(v - m)))
}

/**
 * The MAD floor of a compare (`pairedEstimate`): the median of its cases' MADs of paired log
 * ratios, over the cases with MIN_ROUNDS_FOR_OUTLIERS ratios or more; 0 without one.
 */
export function compareMadFloor(
  cases: readonly { base: readonly number[]; head: readonly number[] }[]
): number {
  const mads = cases
    .map(c => pairedLogRatios(c.base, c.head))
    .filter(r => r.length >= MIN_ROUNDS_FOR_OUTLIERS)
    .map(madOf)
  return mads.length === 0 ? 0 : median(mads)
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

/**
 * Two-sided interval of the change from base to head at `level`, as percent
 * change, from the spread of each side's own rounds rather than of the
 * paired ratios. Every round of a side measures the same code in a fresh
 * process, so the rounds of one side are A/A repeats: their spread is the
 * case's noise floor, and two sides of n rounds give it 2n - 2 degrees of
 * freedom where the n paired ratios give n - 1 (at 5 rounds t(0.9964) falls
 * from 5.6 to 3.8). Welch's t on the log estimates below MIN_TRIMMED rounds a
 * side, Yuen's trimmed two-sample t (20 % a side, winsorized spread) from
 * there on. Failed rounds (not estimates) are left out. Undefined when a side
 * has fewer than two estimates.
 */
export function sidesLogInterval(
  base: readonly number[],
  head: readonly number[],
  level: number
): Interval | undefined {
  return sidesEstimate(base, head, level)?.ci
}

/**
 * The estimate from each side's own rounds (see `sidesLogInterval`): Δ is the difference of the
 * sides' (trimmed) mean log estimates, the center of that interval. Undefined when a side has no
 * estimate; no interval below two estimates a side.
 */
export function sidesEstimate(
  base: readonly number[],
  head: readonly number[],
  level: number
): ChangeEstimate | undefined {
  const b = base.filter(isEstimate).map(Math.log)
  const h = head.filter(isEstimate).map(Math.log)
  if (b.length === 0 || h.length === 0) return undefined
  const rounds = Math.min(b.length, h.length)
  if (b.length < 2 || h.length < 2) {
    return { deltaPct: logRatioToPct(mean(h) - mean(b)), rounds, outliers: 0 }
  }
  const sb = trimmedSpread(b)
  const sh = trimmedSpread(h)
  const diff = sh.mean - sb.mean
  const estimate: ChangeEstimate = { deltaPct: logRatioToPct(diff), rounds, outliers: 0 }
  const variance = sb.varianceOfMean + sh.varianceOfMean
  if (variance === 0) {
    estimate.ci = { low: logRatioToPct(diff), high: logRatioToPct(diff) }
    return estimate
  }
  // Welch–Satterthwaite degrees of freedom (Yuen's, on the kept rounds, when trimmed).
  const df =
    variance ** 2 /
    (sb.varianceOfMean ** 2 / (sb.kept - 1) + sh.varianceOfMean ** 2 / (sh.kept - 1))
  const half = tQuantile(1 - (1 - level) / 2, df) * Math.sqrt(variance)
  estimate.ci = { low: logRatioToPct(diff - half), high: logRatioToPct(diff + half) }
  return estimate
}

/** A side's trimmed mean, the variance of that mean (Yuen) and how many values it kept. */
function trimmedSpread(xs: readonly number[]): {
  mean: number
  varianceOfMean: number
  kept: number
} {
  const n = xs.length
  const g = n >= MIN_TRIMMED ? Math.floor(TRIM * n) : 0
  const kept = n - 2 * g
  const sorted = [...xs].sort((a, b) => a - b)
  const mean = sorted.slice(g, n - g).reduce((sum, x) => sum + x, 0) / kept
  const winsorized = sorted.map((x, i) =>
    i < g ? sorted[g]! : i >= n - g ? sorted[n - g - 1]! : x
  )
  const wMean = winsorized.reduce((sum, x) => sum + x, 0) / n
  const wVariance = winsorized.reduce((sum, x) => sum + (x - wMean) ** 2, 0) / (n - 1)
  return { mean, varianceOfMean: ((n - 1) * wVariance) / (kept * (kept - 1)), kept }
}

/** The interval of a compare: of the `paired` per-round ratios, or from each side's own rounds. */
export type IntervalKind = 'paired' | 'sides'

/**
 * The interval the rounds of one compare favour, chosen once for all its
 * cases (`base`/`head`: per-round estimates in ns, aligned by round). Pairing
 * round i of base with round i of head cancels what two back-to-back
 * processes share (drift of the machine) but leaves n - 1 degrees of freedom;
 * when they share nothing, each side's own spread gives 2n - 2. Pooled over
 * the cases (one case's luck does not pick its own interval), the expected
 * half-widths at `level` are compared: t(n - 1) * sqrt(Vpaired / n) against
 * t(2n - 2) * sqrt((Vbase + Vhead) / n), V the mean variance of the log
 * estimates and n the median count of paired rounds. Ties and compares
 * without spread keep `paired`.
 */
export function chooseInterval(
  cases: readonly { base: readonly number[]; head: readonly number[] }[],
  level: number
): IntervalKind {
  const paired: number[] = []
  const sides: number[] = []
  const counts: number[] = []
  for (const c of cases) {
    const ratios = pairedLogRatios(c.base, c.head)
    const b = c.base.filter(isEstimate).map(Math.log)
    const h = c.head.filter(isEstimate).map(Math.log)
    if (ratios.length < 2 || b.length < 2 || h.length < 2) continue
    paired.push(variance(ratios))
    sides.push(variance(b) + variance(h))
    counts.push(ratios.length)
  }
  if (counts.length === 0) return 'paired'
  const n = median(counts)
  const q = 1 - (1 - level) / 2
  const pairedHalf = tQuantile(q, n - 1) * Math.sqrt(mean(paired) / n)
  const sidesHalf = tQuantile(q, 2 * n - 2) * Math.sqrt(mean(sides) / n)
  return sidesHalf < pairedHalf ? 'sides' : 'paired'
}

/** The estimate of the change from base to head that `kind` names (see each). */
export function estimateChange(
  kind: IntervalKind,
  base: readonly number[],
  head: readonly number[],
  level: number,
  madFloor = 0
): ChangeEstimate | undefined {
  return kind === 'sides'
    ? sidesEstimate(base, head, level)
    : pairedEstimate(base, head, level, madFloor)
}

function mean(xs: readonly number[]): number {
  return xs.reduce((sum, x) => sum + x, 0) / xs.length
}

/** Sample variance (n - 1). */
function variance(xs: readonly number[]): number {
  const m = mean(xs)
  return xs.reduce((sum, x) => sum + (x - m) ** 2, 0) / (xs.length - 1)
}
