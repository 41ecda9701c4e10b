/**
 * What a perf run concluded, in words every rendering shares: the one-line
 * verdict, the counts, and what the gate kind means. Untrusted text goes
 * through a `TextStyle`, so Markdown can put ids in `<code>` and plain text can
 * keep them on one line.
 */
import {
  outcomeOf,
  type CaseComparison,
  type CompareCounts,
  type PairingFacts,
  type PerfCompareResult,
  type PerfSnapshotResult
} from '../results.js'
import {
  MIN_PAIRED_ROUNDS,
  NOISE_AWARE_RULES,
  rulesSentence,
  THRESHOLD_RULES
} from '../verdict-rules.js'
import { markdownCode } from '../../shared/markdown.js'
import { formatNs, formatThreshold, markdownProse, shortenId, VERDICTS } from './format.js'
import { METRIC_NAME, metricOf } from './metric.js'
import { formatDuration, oneLine, plural, truncate } from '../../shared/text.js'

// A headline names a few regressed cases; the table names them all.
const IDS_IN_VERDICT = 3
const MAX_ID_IN_VERDICT = 80
const MAX_PLAIN_CHARS = 300

/** How a verdict shows untrusted text: escaped for Markdown, or made one line for plain text. */
export interface TextStyle {
  /** A case id. */
  code: (id: string) => string
  /** Free text such as a reason the gate gave, which can quote ids. */
  prose: (text: string) => string
}

/** Untrusted text in Markdown: ids in `<code>`, prose escaped with mentions broken. */
export const MARKDOWN_STYLE: TextStyle = { code: markdownCode, prose: markdownProse }

/** Untrusted text in a log or an annotation: one line, shortened. */
export const PLAIN_STYLE: TextStyle = {
  code: text => truncate(oneLine(text), MAX_PLAIN_CHARS),
  prose: text => truncate(oneLine(text), MAX_PLAIN_CHARS)
}

/**
 * Why the compare passed, failed or was not judged, after the headline's verb, e.g.
 * `2 cases regressed beyond 5 %: Put/K16-V16/1, Get/K16/1`. Never more than the intervals
 * show: cases that could not be judged are counted, with what this run could resolve.
 */
export function compareOutcome(result: PerfCompareResult, style: TextStyle): string {
  const { counts } = result
  const beyond = `beyond ${thresholdText(result)}`
  const allowed = result.maxRegressCases > 0 ? ` (at most ${result.maxRegressCases} allowed)` : ''
  if (result.cancelled) return cancelledOutcome(result)
  if (result.baseHasNoBench === true && counts.compared === 0 && counts.new > 0) {
    return `nothing to compare: the base has no bench target (this change adds it); ${plural(counts.new, 'new case')} measured on head`
  }
  const outcome = outcomeOf(result)
  if (outcome === 'not-judged' && !hardFailure(result)) {
    const judged = counts.compared - counts.inconclusive
    const regressed =
      judged === 0
        ? ''
        : counts.regressed === 0
          ? `; no case regressed ${beyond} among the ${judged} judged`
          : `; ${plural(counts.regressed, 'case')} regressed ${beyond}${allowed} among the ${judged} judged`
    return `${counts.inconclusive} of ${plural(counts.compared, 'compared case')} could not be judged; ${resolutionText(result)}${regressed}${skippedText(result)}`
  }
  if (result.passed) {
    const resolves = result.resolutionPct === undefined ? '' : `; ${resolutionText(result)}`
    if (counts.regressed === 0)
      return `no case regressed ${beyond}${resolves}${skippedText(result)}`
    return `${plural(counts.regressed, 'case')} regressed ${beyond}${allowed}${resolves}${skippedText(result)}`
  }
  if (result.cases.length === 0) return 'no benchmark case was found'
  if (counts.compared === 0) return `no case was compared (${tally(result.cases)})`
  if (counts.regressed > result.maxRegressCases) {
    const regressed = result.cases.filter(c => c.verdict === 'regressed')
    return `${plural(counts.regressed, 'case')} regressed ${beyond}${allowed}: ${nameSome(regressed, style)}`
  }
  if (counts.compared < result.minCompareCases) {
    return `only ${plural(counts.compared, 'case')} compared, at least ${result.minCompareCases} needed`
  }
  return style.prose(result.reasons[0] ?? 'see the reasons in the results')
}

/** `; 2 cases skipped as shorter than min_base_ns 10 µs, not compared`, or '' when none was. */
function skippedText(result: PerfCompareResult): string {
  const skipped = result.counts.skipped
  if (skipped === 0) return ''
  const why =
    metricOf(result) === 'walltime' && result.minBaseNs > 0
      ? ` as shorter than min_base_ns ${formatNs(result.minBaseNs)}`
      : ''
  return `; ${plural(skipped, 'case')} skipped${why}, not compared`
}

/**
 * `this run resolves changes of ±6.2 % (the threshold is 5 %)`, or why it resolves nothing: the
 * median half-width of the compared cases' intervals.
 */
export function resolutionText(result: PerfCompareResult): string {
  if (result.resolutionPct === undefined) {
    return `no case had the ${MIN_PAIRED_ROUNDS} paired rounds an interval needs`
  }
  const uniform = result.cases.every(c => c.thresholdPct === result.thresholdPct)
  const threshold = formatThreshold(result.thresholdPct)
  return `this run resolves changes of ±${result.resolutionPct.toFixed(1)} % (the ${uniform ? '' : 'default '}threshold is ${threshold})`
}

/** A fail that is no matter of judging: too few cases, a side that measured nothing, regressions. */
function hardFailure(result: PerfCompareResult): boolean {
  const { counts } = result
  return (
    result.cases.length === 0 ||
    counts.compared === 0 ||
    counts.regressed > result.maxRegressCases ||
    counts.compared < result.minCompareCases
  )
}

/**
 * `perf gate passed: …`, `perf gate failed: …`, `perf gate not judged: …` or `perf gate
 * cancelled: …`, with another subject when given.
 */
export function compareHeadline(
  result: PerfCompareResult,
  style: TextStyle,
  subject = 'perf gate'
): string {
  return `${style.prose(subject)} ${verdictWord(result)}: ${compareOutcome(result, style)}`
}

/** `cancelled`, `failed`, `not judged` (a pass that could not judge every case) or `passed`. */
export function verdictWord(result: PerfCompareResult): string {
  if (result.cancelled) return 'cancelled'
  if (!result.passed) return 'failed'
  return outcomeOf(result) === 'not-judged' ? 'not judged' : 'passed'
}

/** `3 cases measured in 2 rounds before the cancel, no verdict`. */
function cancelledOutcome(result: PerfCompareResult): string {
  const measured = result.cases.length
  if (measured === 0) return 'stopped before anything was measured, no verdict'
  return `${plural(measured, 'case')} measured in ${plural(result.rounds, 'round')} before the cancel, no verdict`
}

/**
 * The rounds each case had: `5 rounds`, `5 rounds (10 for 1 re-measured case)`, or
 * `one run per side` for instructions. A case's rounds are its paired estimates.
 */
export function roundsText(result: PerfCompareResult): string {
  if (metricOf(result) === 'instructions') return 'one run per side'
  const compared = result.cases.filter(c => c.delta_pct !== undefined)
  if (compared.length === 0) return plural(result.rounds, 'round')
  const byCount = new Map<number, CaseComparison[]>()
  for (const c of compared) {
    const n = Math.min(c.baseRounds.length, c.headRounds.length)
    byCount.set(n, [...(byCount.get(n) ?? []), c])
  }
  const groups = [...byCount].sort((a, b) => b[1].length - a[1].length || a[0] - b[0])
  const [common] = groups[0]!
  const others = groups.slice(1).map(([n, cases]) => {
    const what = cases.every(c => c.remeasured === true) ? 're-measured case' : 'case'
    return `${n} for ${plural(cases.length, what)}`
  })
  return `${plural(common, 'round')}${others.length > 0 ? ` (${others.join(', ')})` : ''}`
}

/** Why the snapshot passed or failed, after `passed: ` or `failed: `. */
export function snapshotOutcome(result: PerfSnapshotResult, style: TextStyle): string {
  if (result.passed) return `${plural(result.count, 'case')} measured`
  if (result.count === 0) return 'no benchmark case was found'
  return style.prose(result.reasons[0] ?? 'see the reasons in the results')
}

/** `perf snapshot passed: 42 cases measured` or `perf snapshot failed: …`. */
export function snapshotHeadline(result: PerfSnapshotResult, style: TextStyle): string {
  return `perf snapshot ${result.passed ? 'passed' : 'failed'}: ${snapshotOutcome(result, style)}`
}

/** `5 %`, or `its threshold (5 % by default)` when per-case patterns changed some. */
export function thresholdText(result: PerfCompareResult): string {
  const threshold = formatThreshold(result.thresholdPct)
  const uniform = result.cases.every(c => c.thresholdPct === result.thresholdPct)
  return uniform ? threshold : `its threshold (${threshold} by default)`
}

/** `40 compared: 2 regressed, 1 improved, …; 1 skipped, 0 new, 0 missing`. */
export function countsText(counts: CompareCounts): string {
  const judged = ['regressed', 'improved', 'inconclusive', 'unchanged'] as const
  const others = ['skipped', 'new', 'missing'] as const
  const list = (keys: readonly (keyof CompareCounts)[]): string =>
    keys.map(key => `${counts[key]} ${key}`).join(', ')
  return `${counts.compared} compared: ${list(judged)}; ${list(others)}`
}

/**
 * `noise-aware gate on wall time, 5 rounds, threshold 5 %`, or
 * `threshold gate on instructions, one run per side, threshold 1 %`.
 */
export function gateBrief(result: PerfCompareResult): string {
  const metric = metricOf(result)
  const pairing =
    result.pairing === undefined
      ? ''
      : result.pairing.mode === 'sequential'
        ? ' (sequential rounds)'
        : ` (duet rounds, ${result.pairing.cpus ? 'pinned' : 'unpinned'})`
  return `${result.gate} gate on ${METRIC_NAME[metric]}${pairing}, ${roundsText(result)}, threshold ${thresholdText(result)}`
}

/** The gate's settings on one line: kind, metric, rounds, threshold and the limits. */
export function gateText(result: PerfCompareResult): string {
  return [
    gateBrief(result),
    `at most ${plural(result.maxRegressCases, 'regressed case')} allowed`,
    `at least ${plural(result.minCompareCases, 'case')} compared`,
    // Short cases are skipped for wall time only: a count is exact however small.
    ...(metricOf(result) === 'walltime' && result.minBaseNs > 0
      ? [`cases with a base under ${formatNs(result.minBaseNs)} skipped`]
      : [])
  ].join(' · ')
}

/**
 * What measuring cost and how the rounds were planned, e.g. `42.0s in 10 rounds; Criterion ran
 * the budget asked (20 samples, 1 s per case)`, or undefined for documents without it.
 */
export function measuringText(result: PerfCompareResult): string | undefined {
  const cost = result.cost
  if (cost === undefined || result.cases.length === 0) return undefined
  const spent = formatDuration(cost.measuringMs)
  if (metricOf(result) === 'instructions') return `${spent} (one run per side)`
  const rounds = `${spent} in ${plural(cost.roundMs.length, 'round')}${droppedText(result)}${stopText(cost)}`
  const asked = cost.requested
  if (cost.budgetHonoured !== false || asked === undefined) {
    const what =
      asked === undefined
        ? ''
        : ` (${asked.sampleSize} samples, ${asked.measurementSeconds} s per case)`
    const planned =
      cost.timeBudgetMs === undefined
        ? ''
        : `, within a time budget of ${formatDuration(cost.timeBudgetMs)} (${cost.timeBudgetFrom ?? ''})`
    return `${rounds}; Criterion ran the budget asked${what}${planned}`
  }
  const reference =
    cost.referenceMs === undefined
      ? ''
      : `, ${(cost.measuringMs / cost.referenceMs).toFixed(2)} × the reference's ${formatDuration(cost.referenceMs)}`
  const budget =
    cost.timeBudgetMs === undefined
      ? ' (one run per side, as the reference)'
      : `; rounds planned to fit ${formatDuration(cost.timeBudgetMs)} (${cost.timeBudgetFrom ?? ''})`
  return `${rounds}${reference}: the bench sets its own Criterion budget${budget}`
}

/** `, 4 of 5 planned rounds dropped: …` when the time budget left no room for them; else empty. */
function droppedText(result: PerfCompareResult): string {
  const cost = result.cost
  const { plannedRounds: planned, roundsRun: run } = cost ?? {}
  if (result.cancelled || planned === undefined || run === undefined || run >= planned) return ''
  const budget =
    cost?.timeBudgetMs === undefined
      ? 'the time budget'
      : `the time budget of ${formatDuration(cost.timeBudgetMs)} (${cost.timeBudgetFrom ?? ''})`
  return `, ${planned - run} of ${planned} planned rounds dropped: ${budget} left no room for them`
}

/** ` (2 extra rounds for undecided cases, until all were decided)`, or why they stopped. */
function stopText(cost: NonNullable<PerfCompareResult['cost']>): string {
  const ran = cost.remeasureRoundsRun ?? 0
  const extra = `${plural(ran, 'extra round')} for undecided cases`
  switch (cost.stoppedBy) {
    case 'decided':
      return ran === 0
        ? ' (every case decided after the planned rounds)'
        : ` (${extra}, until all were decided)`
    case 'budget':
      return ` (${extra}, then the time budget was spent with cases undecided)`
    case 'max-rounds':
      return ` (${extra}: remeasure-rounds ran out with cases undecided)`
    default:
      return ''
  }
}

/**
 * What the Base median and Head median columns are beside a paired Δ (noise-aware wall time):
 * they are not paired, so their ratio can differ from Δ, even in sign.
 */
export const SIDE_MEDIANS =
  `Base median and Head median are each side's median over its rounds, for scale only: ` +
  `unpaired, so when the runner's load shifts between rounds their ratio can differ from Δ, ` +
  `even in sign; Δ and its interval are what the verdict reads.`

/** How the gate decides, rendered from the rules the verdict applied (verdict-rules.ts). */
export function gateMeaning(result: PerfCompareResult): string {
  if (metricOf(result) === 'instructions') {
    return (
      `Instruction gate: base and head ran once each under Valgrind's callgrind (gungraun); ` +
      `${rulesSentence(THRESHOLD_RULES)}, Δ being the change of its instruction count. ` +
      `The same binary and input give the same count however busy the runner is. ` +
      `Estimated cycles and the other callgrind metrics are shown for information only: ` +
      `they change between builds of the same code.`
    )
  }
  if (result.gate === 'noise-aware') {
    const action = result.inconclusive ?? result.allInconclusive ?? 'pass'
    const inconclusive =
      action === 'fail'
        ? 'A compare with a case it could not judge fails (inconclusive: fail).'
        : 'A compare with a case it could not judge is not judged: the step passes, the check run is neutral (inconclusive: pass).'
    const pairing = result.pairing ? `${pairingText(result.pairing)}, ` : ''
    return (
      `Noise-aware gate: ${pairing}${roundsText(result)} on this runner. Δ is the estimate of ` +
      `the change its interval is built on (paired per-round log ratios, outlier rounds left ` +
      `out${sidesNote(result)}), so it always lies inside it; ${rulesSentence(NOISE_AWARE_RULES)}. ` +
      `${SIDE_MEDIANS} ${inconclusive}`
    )
  }
  return (
    `Threshold gate (the rule of perf_gate.sh): ${rulesSentence(THRESHOLD_RULES)}, Δ being ` +
    `the change of the medians, with no allowance for measurement noise.`
  )
}

/**
 * `; 2 cases judged unchanged on each side's own rounds instead`: sequential rounds that shared no
 * drift, where the sides' spread showed what the paired interval could not (results.ts `estimate`).
 */
function sidesNote(result: PerfCompareResult): string {
  const sides = result.cases.filter(c => c.estimate === 'sides').length
  if (sides === 0) return ''
  return `; ${plural(sides, 'case')} judged unchanged on each side's own rounds instead, which shared no drift`
}

/** `duet rounds, base and head pinned to CPUs 0 and 1, swapped each round`, or sequential. */
export function pairingText(p: PairingFacts): string {
  if (p.mode === 'sequential') return 'sequential rounds (one side after the other)'
  if (p.cpus) {
    return `duet rounds (base and head at once, one case at a time), pinned to CPUs ${p.cpus[0]} and ${p.cpus[1]}, swapped each round`
  }
  return `duet rounds (base and head at once, one case at a time), unpinned: ${p.unpinned ?? 'no CPUs to pin to'}`
}

/** `2 regressed, 1 new`: how many cases have each verdict, those with none left out. */
export function tally(cases: CaseComparison[]): string {
  return VERDICTS.map(v => [v, cases.filter(c => c.verdict === v).length] as const)
    .filter(([, count]) => count > 0)
    .map(([verdict, count]) => `${count} ${verdict}`)
    .join(', ')
}

function nameSome(cases: CaseComparison[], style: TextStyle): string {
  const named = cases
    .slice(0, IDS_IN_VERDICT)
    .map(c => style.code(shortenId(c.id, MAX_ID_IN_VERDICT)))
    .join(', ')
  const more = cases.length - IDS_IN_VERDICT
  return more > 0 ? `${named} and ${more} more` : named
}
