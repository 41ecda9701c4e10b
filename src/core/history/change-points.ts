/**
 * Change points of one series: where its level shifted and stayed, found by
 * E-Divisive means (Matteson & James, JASA 2014) with a t-test deciding each
 * split, as Hunter does (Fleming et al., ICPE 2023; Nyrkiö runs it): binary
 * segmentation, each segment split where the energy distance between its two
 * sides is largest, and the split kept when Student's t-test of the two sides
 * says their levels differ, Bonferroni-corrected over the segment's candidate
 * splits. Both work on the ranks of the segment's values (the rank transform
 * of Conover & Iman, 1981: the t-test on ranks is the Wilcoxon–Mann–Whitney
 * test in large samples), so the heavy tails and slow modes of wall time on a
 * shared runner cannot carry a split, while a deterministic step (instruction
 * counts) ties into two flat levels and is found after as few points as the
 * minimum segment. No permutations: the same series always splits the same way.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile'

/** How a series is split. */
export interface ChangePointOptions {
  /** Points each side of a split at least: a shift must last this long to be found. */
  minSize: number
  /** Family-wise false-split rate of one segment's test. */
  alpha: number
  /** Whether the series may split before index `i` (e.g. only between different commits). */
  allowed?: (i: number) => boolean
}

/** One split: the first index of the new level, and its test. */
export interface ChangePoint {
  index: number
  /** Student's t of the two sides of the segment it split (±Infinity when neither side varies). */
  t: number
  /** The critical |t| it passed (Bonferroni over the segment's candidate splits). */
  critical: number
}

/** The change points of `values`, by index. */
export function changePoints(
  values: readonly number[],
  options: ChangePointOptions
): ChangePoint[] {
  const found: ChangePoint[] = []
  const pending: Array<[number, number]> = [[0, values.length]]
  while (pending.length > 0) {
    const [lo, hi] = pending.pop()!
    const split = bestSplit(values, lo, hi, options)
    if (split === undefined) continue
    found.push(split)
    pending.push([lo, split.index], [split.index, hi])
  }
  return found.sort((a, b) => a.index - b.index)
}

/** The segment's most likely split, when its test passes. */
function bestSplit(
  x: readonly number[],
  lo: number,
  hi: number,
  { minSize, alpha, allowed }: ChangePointOptions
): ChangePoint | undefined {
  const size = Math.max(2, minSize)
  if (hi - lo < 2 * size) return undefined
  // Ranks within the segment: one slow run in ten, or three in a row at an end, cannot carry a
  // split the way raw values would; deterministic steps tie into two flat levels and still split.
  const ranked = ranks(x.slice(lo, hi))
  const q = energyStatistics(ranked, 0, ranked.length)
  let best: number | undefined
  let candidates = 0
  for (let tau = lo + size; tau <= hi - size; tau++) {
    if (allowed && !allowed(tau)) continue
    candidates++
    if (best === undefined || q[tau - lo]! > q[best - lo]!) best = tau
  }
  if (best === undefined) return undefined
  const { t, df } = studentT(ranked.slice(0, best - lo), ranked.slice(best - lo))
  if (!(Math.abs(t) > 0)) return undefined
  const critical = tQuantile(1 - alpha / (2 * candidates), df)
  return Math.abs(t) > critical ? { index: best, t, critical } : undefined
}

/**
 * q̂(τ) of E-Divisive means (α = 1) for every split τ of x[lo, hi), indexed τ − lo: the
 * scaled energy distance between x[lo, τ) and x[τ, hi). O(n²) from running sums of the
 * pairwise distances within each side.
 */
export function energyStatistics(x: readonly number[], lo: number, hi: number): number[] {
  const n = hi - lo
  const left = new Float64Array(n + 1) // sum of |xi − xj| over pairs within x[lo, lo + k)
  for (let k = 1; k < n; k++) {
    let add = 0
    for (let i = lo; i < lo + k; i++) add += Math.abs(x[i]! - x[lo + k]!)
    left[k + 1] = left[k]! + add
  }
  const right = new Float64Array(n + 1) // the same over x[lo + k, hi)
  for (let k = n - 2; k >= 0; k--) {
    let add = 0
    for (let j = lo + k + 1; j < hi; j++) add += Math.abs(x[lo + k]! - x[j]!)
    right[k] = right[k + 1]! + add
  }
  const total = left[n]!
  const q: number[] = new Array<number>(n + 1).fill(0)
  for (let k = 2; k <= n - 2; k++) {
    const m = k
    const r = n - k
    const between = total - left[k]! - right[k]!
    const energy =
      (2 * between) / (m * r) - left[k]! / ((m * (m - 1)) / 2) - right[k]! / ((r * (r - 1)) / 2)
    q[k] = ((m * r) / n) * energy
  }
  return q
}

/**
 * Student's t of b against a with the pooled variance, and its degrees of freedom. Pooled, not
 * Welch: a short side (a shift near either end) borrows the long side's estimate of the noise
 * instead of trusting its own few points, which by chance may hardly vary.
 */
export function studentT(a: readonly number[], b: readonly number[]): { t: number; df: number } {
  const [ma, va] = meanVariance(a)
  const [mb, vb] = meanVariance(b)
  const df = a.length + b.length - 2
  const pooled = ((a.length - 1) * va + (b.length - 1) * vb) / df
  const diff = mb - ma
  const se = Math.sqrt(pooled * (1 / a.length + 1 / b.length))
  if (se === 0) return { t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df }
  return { t: diff / se, df }
}

/** Mid-ranks (1-based; ties share the mean of their ranks). */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  const out = new Array<number>(values.length)
  for (let i = 0; i < order.length;) {
    let j = i
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1
    i = j + 1
  }
  return out
}

function meanVariance(xs: readonly number[]): [number, number] {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1)
  return [mean, variance]
}
