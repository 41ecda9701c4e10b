/**
 * The verdict of a perf compare (SPEC §1 "Perf gate"): each case's base and
 * head rounds judged against its threshold, the cases still undecided, and
 * the outcome of the compare: pass, fail, or not judged.
 *
 * Each case gets one estimate of its change (stats.ts): Δ is the center of
 * the interval shown, so Δ always lies inside it. The noise-aware gate judges
 * it by the rules in verdict-rules.ts; the threshold gate (the reference) by Δ alone,
 * with Δ = `(head - base) / base * 100` on the medians and no interval.
 * Intervals hold for all compared cases at once (Bonferroni).
 */
import { thresholdFor, type CaseThreshold } from './case-thresholds.js'
import type {
  CaseComparison,
  CompareCounts,
  CompareOutcome,
  GateKind,
  InconclusiveAction,
  Interval,
  Pairing
} from '../results.js'
import {
  bonferroniLevel,
  chooseInterval,
  compareMadFloor,
  estimateChange,
  isEstimate,
  median,
  type ChangeEstimate,
  type IntervalKind
} from './stats.js'
import {
  firstRule,
  MIN_PAIRED_ROUNDS,
  rulesOf,
  type Evidence,
  type VerdictRule
} from '../verdict-rules.js'

export type { CaseThreshold } from './case-thresholds.js'
export { MIN_PAIRED_ROUNDS } from '../verdict-rules.js'

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
  /**
   * How the rounds paired the sides: `duet` rounds ran base and head at once, so only the
   * paired estimate is used; `sequential` (the default) lets the compare's rounds choose.
   */
  pairing?: Pairing
}

/**
 * Compares per-round estimates (ns) of each case, aligned by round index, and
 * returns one comparison per case, the largest slowdown first and cases
 * without a delta last.
 *
 * The family for the Bonferroni correction is every compared case. Bonferroni
 * rather than Holm: the verdict reads the interval, and Bonferroni's intervals
 * hold for all cases at once, so each one shown means what it says.
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
  const compared = measured.filter(m => m.delta_pct !== undefined)
  const familySize = options.familyWise === false ? 1 : compared.length
  const level = bonferroniLevel(confidence, familySize)
  const kind: IntervalKind =
    options.pairing === 'duet'
      ? 'paired'
      : chooseInterval(
          compared.map(m => ({ base: m.baseRounds, head: m.headRounds })),
          level
        )
  const madFloor = compareMadFloor(compared.map(m => ({ base: m.baseRounds, head: m.headRounds })))
  return measured
    .map(m => (m.delta_pct === undefined ? m : judge(m, level, options.gate, kind, madFloor)))
    .sort(byDelta)
}

/**
 * Cases to measure again: the inconclusive and the regressed ones. Only `unchanged` (or
 * `improved`) ends a case's measuring early; a regression is judged on the last rounds that
 * `remeasure-rounds` or the time budget allow (not the rounds' values), so a look after each
 * round adds no false alarm. Stopping at a look that showed a regression failed 10–28 % of
 * simulated A/A compares (`npm run bench:verdict`, 5–15 % noise per process, 11 looks).
 */
export function suspects(comparisons: readonly CaseComparison[]): string[] {
  return comparisons
    .filter(c => c.verdict === 'inconclusive' || c.verdict === 'regressed')
    .map(c => c.id)
}

/** Limits of the gate (MACE_PERF_MAX_REGRESS_CASES, MACE_PERF_MIN_COMPARE_CASES). */
export interface GateOptions {
  maxRegressCases: number
  minCompareCases: number
  /** Where min_compare_cases came from, for the message that names how to change it. */
  minCompareCasesFrom?: string
  /** min_base_ns (ns), to name it when the cases it skipped leave too few to compare. */
  minBaseNs?: number
  /** The verdict rule, to say how skipped cases would be judged (noise-aware when absent). */
  gate?: GateKind
  /** What a compare with a case it could not judge does to the step (default `pass`). */
  inconclusive?: InconclusiveAction
  /** True when the base has no bench target at all (the change adds it): nothing to compare. */
  baseHasNoBench?: boolean
}

/** The outcome, whether the step passes, why not, and the counts for the verdict line. */
export interface GateDecision {
  outcome: CompareOutcome
  /** False on `fail`, and on `not-judged` when inconclusive is `fail`. */
  passed: boolean
  reasons: string[]
  counts: CompareCounts
}

/**
 * How to judge the cases min_base_ns skipped: `set min-base-ns to 0 …`, and, when even all of them
 * would be fewer than min_compare_cases, min-compare-cases too, in one message.
 */
function skippedFix(counts: CompareCounts, options: GateOptions): string {
  const { skipped } = counts
  const all = counts.compared + skipped
  const how = options.gate === 'threshold' ? 'by the threshold alone' : 'on their own noise'
  const set =
    all >= options.minCompareCases
      ? 'set min-base-ns to 0'
      : `set min-base-ns to 0 and min-compare-cases to ${all} or less`
  return (
    `${skipped} ${plural(skipped, 'case')} ${skipped === 1 ? 'was' : 'were'} skipped as shorter ` +
    `than min_base_ns ${options.minBaseNs}: ${set} to judge them ${how}`
  )
}

/**
 * `fail` when a side measured nothing, when no case (or too few) was compared, or when more
 * cases regressed than allowed; else `not-judged` when a compared case is inconclusive; else
 * `pass`. A base without the bench target (the change adds it) is no failure: its cases are
 * new, and the compare passes with nothing compared. A not-judged compare passes the step
 * unless `inconclusive` is `fail`.
 */
export function gateDecision(
  comparisons: readonly CaseComparison[],
  options: GateOptions
): GateDecision {
  const counts = countVerdicts(comparisons)
  const reasons: string[] = []
  if (options.baseHasNoBench === true && counts.new > 0 && counts.new === comparisons.length) {
    return { outcome: 'pass', passed: true, reasons, counts }
  }
  if (comparisons.length === counts.new) reasons.push('no cases were measured on base')
  if (comparisons.length === counts.missing) reasons.push('no cases were measured on head')
  if (counts.compared < options.minCompareCases) {
    const from = options.minCompareCasesFrom ? ` (${options.minCompareCasesFrom})` : ''
    const fixes: string[] = []
    if (counts.skipped > 0 && options.minBaseNs !== undefined && options.minBaseNs > 0) {
      fixes.push(skippedFix(counts, options))
    }
    if (counts.compared > 0) {
      fixes.push(
        `set min-compare-cases to ${counts.compared} or less to judge ${counts.compared === 1 ? 'it' : 'them'}`
      )
    }
    reasons.push(
      `${counts.compared} ${plural(counts.compared, 'case')} compared, fewer than min_compare_cases ${options.minCompareCases}${from}` +
        (fixes.length > 0 ? `: ${fixes.join('; or ')}` : '')
    )
  } else if (counts.compared === 0 && reasons.length === 0) {
    // Whatever min_compare_cases allows, a compare that compared nothing measured nothing.
    reasons.push('no case was compared on both sides (above min_base_ns): nothing was measured')
  }
  const regressed = comparisons.filter(c => c.verdict === 'regressed').map(c => c.id)
  if (regressed.length > options.maxRegressCases) {
    reasons.push(
      `${regressed.length} ${plural(regressed.length, 'case')} regressed, more than max_regress_cases ${options.maxRegressCases}: ${regressed.join(', ')}`
    )
  }
  if (reasons.length > 0) return { outcome: 'fail', passed: false, reasons, counts }
  if (counts.inconclusive === 0) return { outcome: 'pass', passed: true, reasons, counts }
  if (options.inconclusive !== 'fail') {
    return { outcome: 'not-judged', passed: true, reasons, counts }
  }
  reasons.push(
    `${counts.inconclusive} of ${counts.compared} compared ${plural(counts.compared, 'case')} could not be judged (inconclusive), and inconclusive is fail`
  )
  return { outcome: 'not-judged', passed: false, reasons, counts }
}

/** True when cases were compared and every one of them is inconclusive: nothing was judged. */
export function isAllInconclusive(counts: CompareCounts): boolean {
  return counts.compared > 0 && counts.inconclusive === counts.compared
}

function measure(
  id: string,
  baseRounds: readonly number[],
  headRounds: readonly number[],
  options: CompareOptions
): CaseComparison {
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
    return { ...c, verdict: 'missing', reason: 'no estimate on either side' }
  }
  if (b.length === 0)
    return { ...c, verdict: 'new', headNs: median(h), reason: 'measured on head only' }
  const baseNs = median(b)
  if (h.length === 0) return { ...c, verdict: 'missing', baseNs, reason: 'measured on base only' }
  const headNs = median(h)
  if (baseNs < options.minBaseNs) {
    const reason = `base ${ns(baseNs)} ns is below min_base_ns ${options.minBaseNs}`
    return { ...c, verdict: 'skipped', baseNs, headNs, reason }
  }
  return { ...c, baseNs, headNs, delta_pct: ((headNs - baseNs) / baseNs) * 100 }
}

function judge(
  c: CaseComparison,
  level: number,
  gate: GateKind,
  kind: IntervalKind,
  madFloor: number
): CaseComparison {
  const rules = rulesOf(gate)
  if (gate === 'threshold') {
    // The reference: Δ of the medians against the threshold, no interval to show.
    const rule = firstRule(rules, { deltaPct: c.delta_pct!, thresholdPct: c.thresholdPct })
    return withReason({ ...c, verdict: rule.verdict }, thresholdReason(rule, c))
  }
  const paired = evidenceOf(
    estimateChange('paired', c.baseRounds, c.headRounds, level, madFloor)!,
    c
  )
  let chosen = paired
  let rule = firstRule(rules, paired.evidence)
  // Sequential rounds that share no drift: each side's own spread may show that a case did not
  // move where the paired interval is too wide. It can only make a case unchanged, never a
  // regression, so it adds no false alarm; Δ and interval then both come from it.
  if (rule.verdict === 'inconclusive' && kind === 'sides') {
    const sides = evidenceOf(estimateChange('sides', c.baseRounds, c.headRounds, level)!, c)
    if (firstRule(rules, sides.evidence).verdict === 'unchanged') {
      chosen = sides
      rule = firstRule(rules, sides.evidence)
    }
  }
  const { evidence, estimate } = chosen
  const judged: CaseComparison = { ...c, verdict: rule.verdict, delta_pct: evidence.deltaPct }
  if (evidence.ci) {
    judged.ci = evidence.ci
    judged.resolutionPct = resolution(evidence.ci)
  }
  if (chosen !== paired) judged.estimate = 'sides'
  if (estimate.outliers > 0) judged.outlierRounds = estimate.outliers
  return withReason(judged, noiseAwareReason(rule, evidence, estimate, level))
}

/** The evidence a rule reads from an estimate: no interval below MIN_PAIRED_ROUNDS rounds. */
function evidenceOf(
  estimate: ChangeEstimate,
  c: CaseComparison
): { evidence: Evidence; estimate: ChangeEstimate } {
  const evidence: Evidence = { deltaPct: estimate.deltaPct, thresholdPct: c.thresholdPct }
  if (estimate.ci && estimate.rounds >= MIN_PAIRED_ROUNDS) evidence.ci = estimate.ci
  return { evidence, estimate }
}

/**
 * The median resolutionPct of the compared cases: "this run resolves changes of ±X %"; undefined
 * when no case had an interval.
 */
export function medianResolution(
  comparisons: readonly { resolutionPct?: number }[]
): number | undefined {
  const all = comparisons.map(c => c.resolutionPct).filter((x): x is number => x !== undefined)
  return all.length === 0 ? undefined : median(all)
}

/** Half the width of an interval (%): the smallest change the case's rounds could resolve. */
export function resolution(ci: Interval): number {
  return (ci.high - ci.low) / 2
}

function withReason(c: CaseComparison, reason: string | undefined): CaseComparison {
  return reason === undefined ? c : { ...c, reason }
}

function thresholdReason(rule: VerdictRule, c: CaseComparison): string | undefined {
  if (rule.verdict === 'regressed')
    return `${pct(c.delta_pct!)} is above the ${c.thresholdPct}% threshold`
  if (rule.verdict === 'improved') return `${pct(c.delta_pct!)} is below -${c.thresholdPct}%`
  return undefined
}

/** The rule that decided, with this case's numbers; none for unchanged. */
function noiseAwareReason(
  rule: VerdictRule,
  e: Evidence,
  estimate: ChangeEstimate,
  level: number
): string | undefined {
  const t = e.thresholdPct
  if (!e.ci) {
    const n = estimate.rounds
    return `${n} paired ${plural(n, 'round')} give${n === 1 ? 's' : ''} no interval (${MIN_PAIRED_ROUNDS} needed)`
  }
  const its = `its ${levelText(level)} interval (${pct(e.ci.low)} to ${pct(e.ci.high)})`
  const change = pct(e.deltaPct)
  switch (rule.verdict) {
    case 'regressed':
      return `${change} is above the ${t}% threshold and ${its} lies above 0`
    case 'improved':
      return `${change} is below -${t}% and ${its} lies below 0`
    case 'unchanged':
      return undefined
    default:
      return `${its} reaches past ±${t}%: these rounds resolve ±${resolution(e.ci).toFixed(1)}%`
  }
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
