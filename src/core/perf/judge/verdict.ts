/**
 * The verdict of a perf compare (SPEC §1 "Perf gate"): each case's base and
 * head rounds judged against its threshold, the cases worth measuring again,
 * and whether the gate passes.
 *
 * Two gates. `threshold` is the reference rule: a case regresses when
 * delta_pct > threshold. `noise-aware` also asks the rounds whether the change
 * is real: a 20 %-trimmed t interval of the paired per-round log ratios (one
 * round in an odd speed mode does not blur it), with a Bonferroni correction
 * across the cases, must exclude "no change". A case that did not move is
 * "unchanged" when an interval rules out a change of 3 thresholds: the paired
 * one, or, when the compare's rounds share no drift (stats.ts
 * `chooseInterval`), the one from each side's own spread, which has twice the
 * degrees of freedom; regressions and suspects are called on the paired one
 * only, so this makes more cases decisive and none fail.
 * delta_pct stays `(headNs - baseNs) / baseNs * 100` on the medians shown, so
 * the reported numbers add up; only the interval comes from the log estimates
 * of the rounds.
 */
import { thresholdFor, type CaseThreshold } from './case-thresholds.js'
import type {
  AllInconclusive,
  CaseComparison,
  CaseVerdict,
  CompareCounts,
  GateKind,
  Interval
} from '../results.js'
import {
  bonferroniLevel,
  isEstimate,
  median,
  changeInterval,
  chooseInterval,
  pairedLogRatios,
  type IntervalKind
} from './stats.js'

export type { CaseThreshold } from './case-thresholds.js'

/** How compareCases judges the cases. */
export interface CompareOptions {
  gate: GateKind
  /** Global threshold in percent (MACE_PERF_REGRESS_PCT). */
  thresholdPct: number
  /** A case whose base estimate is below this many ns is skipped. */
  minBaseNs: number
  /** Per-case thresholds; the last matching pattern wins. */
  caseThresholds?: CaseThreshold[]
  /** Confidence of the intervals, for all cases together. Default 0.95. */
  confidence?: number
  /** Bonferroni-correct the intervals across the compared cases. Default true. */
  familyWise?: boolean
}

/** Fewer paired rounds than this, and the noise-aware gate calls no change real. */
export const MIN_PAIRED_ROUNDS = 3

/** An interval wider than ± this many thresholds is too vague to call "unchanged". */
export const WIDE_CI_FACTOR = 3

/**
 * Compares per-round estimates (ns) of each case, aligned by round index, and
 * returns one comparison per case, the largest slowdown first and cases
 * without a delta last.
 *
 * The family for the Bonferroni correction is every compared case with an
 * interval. Bonferroni rather than Holm: the verdict reads the interval, and
 * Bonferroni's intervals hold for all cases at once, so each one shown means
 * what it says; Holm has no such intervals, and since its first step is the
 * Bonferroni test it only calls more once another case already tested clear.
 */
export function compareCases(
  base: ReadonlyMap<string, readonly number[]>,
  head: ReadonlyMap<string, readonly number[]>,
  options: CompareOptions
): CaseComparison[] {
  const confidence = options.confidence ?? 0.95
  if (!(confidence > 0 && confidence < 1))
    throw new Error(`confidence ${confidence} is not in (0, 1)`)
  const ids = [...new Set([...base.keys(), ...head.keys()])]
  const measured = ids.map(id => measure(id, base.get(id) ?? [], head.get(id) ?? [], options))
  const withSpread = measured.filter(m => m.logRatios !== undefined && m.logRatios.length >= 2)
  const familySize = options.familyWise === false ? 1 : withSpread.length
  const level = bonferroniLevel(confidence, familySize)
  const kind = chooseInterval(
    withSpread.map(m => ({ base: m.comparison.baseRounds, head: m.comparison.headRounds })),
    level
  )
  return measured
    .map(m =>
      m.logRatios
        ? judge(m.comparison, m.logRatios.length, level, options.gate, kind)
        : m.comparison
    )
    .sort(byDelta)
}

/**
 * Cases worth measuring again before the gate fails: the regressed ones and
 * the inconclusive ones that may hide a regression (above their threshold).
 */
export function suspects(comparisons: readonly CaseComparison[]): string[] {
  return comparisons.filter(isSuspect).map(c => c.id)
}

/** Limits of the gate (MACE_PERF_MAX_REGRESS_CASES, MACE_PERF_MIN_COMPARE_CASES). */
export interface GateOptions {
  maxRegressCases: number
  minCompareCases: number
  /** Whether a compare whose every compared case is inconclusive passes (default `pass`). */
  allInconclusive?: AllInconclusive
}

/** Whether the gate passed, why not, and the counts for the verdict line. */
export interface GateDecision {
  passed: boolean
  reasons: string[]
  counts: CompareCounts
}

/**
 * Fails when a side measured nothing, when no case (or too few) was compared,
 * or when more cases regressed than allowed. Inconclusive cases are reported but
 * never fail the gate by themselves, unless every compared case is inconclusive
 * and `allInconclusive` is `fail`.
 */
export function gateDecision(
  comparisons: readonly CaseComparison[],
  options: GateOptions
): GateDecision {
  const counts = countVerdicts(comparisons)
  const reasons: string[] = []
  if (comparisons.length === counts.new) reasons.push('no cases were measured on base')
  if (comparisons.length === counts.missing) reasons.push('no cases were measured on head')
  if (counts.compared < options.minCompareCases) {
    reasons.push(
      `${counts.compared} ${plural(counts.compared, 'case')} compared, fewer than min_compare_cases ${options.minCompareCases}`
    )
  } else if (counts.compared === 0 && reasons.length === 0) {
    // Whatever min_compare_cases allows, a compare that compared nothing measured nothing.
    reasons.push('no case was compared on both sides (above min_base_ns): nothing was measured')
  }
  if (options.allInconclusive === 'fail' && isAllInconclusive(counts)) {
    reasons.push(
      `${counts.compared === 1 ? 'the compared case was' : `all ${counts.compared} compared cases were`} inconclusive: the measurements ` +
        'cannot tell a regression from noise, and all_inconclusive is fail'
    )
  }
  const regressed = comparisons.filter(c => c.verdict === 'regressed').map(c => c.id)
  if (regressed.length > options.maxRegressCases) {
    reasons.push(
      `${regressed.length} ${plural(regressed.length, 'case')} regressed, more than max_regress_cases ${options.maxRegressCases}: ${regressed.join(', ')}`
    )
  }
  return { passed: reasons.length === 0, reasons, counts }
}

/** True when cases were compared and every one of them is inconclusive: nothing was judged. */
export function isAllInconclusive(counts: CompareCounts): boolean {
  return counts.compared > 0 && counts.inconclusive === counts.compared
}

interface Measured {
  comparison: CaseComparison
  /** Present when the case is compared (on both sides, not skipped). */
  logRatios?: number[]
}

function measure(
  id: string,
  baseRounds: readonly number[],
  headRounds: readonly number[],
  options: CompareOptions
): Measured {
  const thresholdPct = thresholdFor(id, options.thresholdPct, options.caseThresholds ?? [])
  const c: CaseComparison = {
    id,
    verdict: 'unchanged',
    thresholdPct,
    baseRounds: [...baseRounds],
    headRounds: [...headRounds]
  }
  const b = baseRounds.filter(isEstimate)
  const h = headRounds.filter(isEstimate)
  if (b.length === 0 && h.length === 0) {
    return { comparison: { ...c, verdict: 'missing', reason: 'no estimate on either side' } }
  }
  if (b.length === 0) {
    return {
      comparison: { ...c, verdict: 'new', headNs: median(h), reason: 'measured on head only' }
    }
  }
  const baseNs = median(b)
  if (h.length === 0) {
    return { comparison: { ...c, verdict: 'missing', baseNs, reason: 'measured on base only' } }
  }
  const headNs = median(h)
  if (baseNs < options.minBaseNs) {
    const reason = `base ${ns(baseNs)} ns is below min_base_ns ${options.minBaseNs}`
    return { comparison: { ...c, verdict: 'skipped', baseNs, headNs, reason } }
  }
  const delta_pct = ((headNs - baseNs) / baseNs) * 100
  return {
    comparison: { ...c, baseNs, headNs, delta_pct },
    logRatios: pairedLogRatios(baseRounds, headRounds)
  }
}

/** A verdict, why, and the interval it read when not the paired one. */
type Judgement = { verdict: CaseVerdict; reason?: string; ci?: Interval }

function judge(
  c: CaseComparison,
  pairs: number,
  level: number,
  gate: GateKind,
  kind: IntervalKind
): CaseComparison {
  const ci = changeInterval('paired', c.baseRounds, c.headRounds, level)
  const delta = c.delta_pct!
  // The threshold gate still carries the interval, for information.
  const judgement =
    gate === 'threshold'
      ? thresholdRule(delta, c.thresholdPct)
      : noiseAware(delta, c.thresholdPct, ci, pairs, level, () =>
          changeInterval(kind, c.baseRounds, c.headRounds, level)
        )
  const judged: CaseComparison = { ...c, verdict: judgement.verdict }
  const shown = judgement.ci ?? ci
  if (shown) judged.ci = shown
  if (judgement.reason) judged.reason = judgement.reason
  return judged
}

/** The reference rule: strictly above the threshold regresses. */
function thresholdRule(delta: number, threshold: number): Judgement {
  if (delta > threshold)
    return call('regressed', `${pct(delta)} is above the ${threshold}% threshold`)
  if (delta < -threshold) return call('improved', `${pct(delta)} is below -${threshold}%`)
  return call('unchanged')
}

/**
 * Regressed, improved and every suspect are called on the paired interval `ci`
 * alone. Only a case that did not move may also be called unchanged on the
 * compare's chosen interval (`spread`: each side's own rounds, when the rounds
 * favour it) where the paired one is too wide: a narrower interval there makes
 * the verdict decisive and never fails a gate.
 */
function noiseAware(
  delta: number,
  threshold: number,
  ci: Interval | undefined,
  pairs: number,
  level: number,
  spread: () => Interval | undefined
): Judgement {
  const limit = `the ${threshold}% threshold`
  // With two pairs t(0.975, 1) = 12.7: the interval says nothing, so neither
  // a slowdown nor a speedup is called real, only flagged for re-measuring.
  if (!ci || pairs < MIN_PAIRED_ROUNDS) {
    const few = `${pairs} paired ${plural(pairs, 'round')} ${pairs === 1 ? 'is' : 'are'} too few to tell`
    if (delta > threshold)
      return call('inconclusive', `${pct(delta)} is above ${limit}, but ${few}`)
    if (delta < -threshold) return call('unchanged', `${pct(delta)} looks faster, but ${few}`)
    return call('unchanged')
  }
  const its = `its ${levelText(level)} CI (${pct(ci.low)} to ${pct(ci.high)})`
  const change = pct(delta)
  if (delta > threshold && ci.low > 0) {
    return call('regressed', `${change} is above ${limit} and ${its} excludes no change`)
  }
  if (delta < -threshold && ci.high < 0) {
    return call('improved', `${change} is below -${threshold}% and ${its} excludes no change`)
  }
  if (delta > threshold) {
    return call('inconclusive', `${change} is above ${limit}, but ${its} includes no change`)
  }
  // The median and the mean log ratio disagree (an outlying round): the
  // rounds point to a slowdown the median does not show.
  if (ci.low > threshold) {
    return call('inconclusive', `${change} is within ${limit}, but ${its} lies above it`)
  }
  const decisive = [ci, spread()].find(
    i => i !== undefined && (i.high - i.low) / 2 <= WIDE_CI_FACTOR * threshold && i.low <= threshold
  )
  if (!decisive) return call('inconclusive', `${its} is too wide to judge against ${limit}`)
  return decisive === ci ? call('unchanged') : { verdict: 'unchanged', ci: decisive }
}

function call(verdict: CaseVerdict, reason?: string): Judgement {
  return reason === undefined ? { verdict } : { verdict, reason }
}

function isSuspect(c: CaseComparison): boolean {
  if (c.verdict === 'regressed') return true
  if (c.verdict !== 'inconclusive') return false
  return (c.delta_pct ?? 0) > c.thresholdPct || (c.ci?.low ?? 0) > c.thresholdPct
}

/** How many cases got each verdict, and how many were compared (had a `delta_pct`). */
export function countVerdicts(comparisons: readonly CaseComparison[]): CompareCounts {
  const counts: CompareCounts = {
    compared: 0,
    regressed: 0,
    improved: 0,
    unchanged: 0,
    inconclusive: 0,
    skipped: 0,
    new: 0,
    missing: 0
  }
  for (const c of comparisons) {
    counts[c.verdict]++
    if (c.delta_pct !== undefined) counts.compared++
  }
  return counts
}

/** Largest slowdown first; cases without a delta last; ties by id. */
function byDelta(a: CaseComparison, b: CaseComparison): number {
  const da = a.delta_pct
  const db = b.delta_pct
  if (da === undefined || db === undefined) {
    if (da !== db) return da === undefined ? 1 : -1
  } else if (da !== db) {
    return db - da
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`
}

function ns(x: number): string {
  return x >= 10 ? String(Math.round(x)) : x.toPrecision(3)
}

/** 0.95 → "95%", 0.99167 → "99.2%": enough decimals never to show 100%. */
function levelText(level: number): string {
  const errorPct = (1 - level) * 100
  const decimals = errorPct >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(errorPct)))
  return `${(level * 100).toFixed(decimals)}%`
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`
}
