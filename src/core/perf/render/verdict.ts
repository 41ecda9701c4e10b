/**
 * What a perf run concluded, in words every rendering shares: the one-line
 * verdict, the counts, and what the gate kind means. Untrusted text goes
 * through a `TextStyle`, so Markdown can put ids in `<code>` and plain text can
 * keep them on one line.
 */
import type {
  CaseComparison,
  CompareCounts,
  PerfCompareResult,
  PerfSnapshotResult
} from '../results.js'
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
 * Why the compare passed or failed, after `passed: ` or `failed: `, e.g.
 * `2 cases regressed beyond 5 %: Put/K16-V16/1, Get/K16/1`. Never more than the
 * intervals show: inconclusive cases are counted, and a compare that judged no
 * case says so.
 */
export function compareOutcome(result: PerfCompareResult, style: TextStyle): string {
  const { counts } = result
  const beyond = `beyond ${thresholdText(result)}`
  const allowed = result.maxRegressCases > 0 ? ` (at most ${result.maxRegressCases} allowed)` : ''
  if (result.cancelled) return cancelledOutcome(result)
  const nothingJudged = counts.compared > 0 && counts.inconclusive === counts.compared
  if (nothingJudged && counts.compared >= result.minCompareCases) {
    return `no case could be judged: ${counts.compared === 1 ? 'the compared case was' : `all ${counts.compared} compared cases were`} inconclusive`
  }
  if (result.passed) {
    const some =
      counts.inconclusive > 0
        ? ` among the ${counts.compared - counts.inconclusive} judged; ${counts.inconclusive} inconclusive`
        : ''
    if (counts.regressed === 0) return `no case regressed ${beyond}${some}`
    return `${plural(counts.regressed, 'case')} regressed ${beyond}${allowed}${some}`
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

/** `perf gate passed: …`, `perf gate failed: …` or `perf gate cancelled: …`, with another subject when given. */
export function compareHeadline(
  result: PerfCompareResult,
  style: TextStyle,
  subject = 'perf gate'
): string {
  const verdict = result.cancelled ? 'cancelled' : result.passed ? 'passed' : 'failed'
  return `${style.prose(subject)} ${verdict}: ${compareOutcome(result, style)}`
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
  return `${result.gate} gate on ${METRIC_NAME[metric]}, ${roundsText(result)}, threshold ${thresholdText(result)}`
}

/** The gate's settings on one line: kind, metric, rounds, threshold and the limits. */
export function gateText(result: PerfCompareResult): string {
  return [
    gateBrief(result),
    `at most ${plural(result.maxRegressCases, 'regressed case')} allowed`,
    `at least ${plural(result.minCompareCases, 'case')} compared`,
    // Short cases are skipped for wall time only: a count is exact however small.
    ...(metricOf(result) === 'walltime'
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
  const rounds = `${spent} in ${plural(cost.roundMs.length, 'round')}`
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

/** One sentence on how the gate decides, so a reader can weigh the verdict. */
export function gateMeaning(result: PerfCompareResult): string {
  if (metricOf(result) === 'instructions') {
    return (
      `Instruction gate: base and head ran once each under Valgrind's callgrind (gungraun), ` +
      `and a case counts as regressed when its instruction count grows by more than its ` +
      `threshold. The same binary and input give the same count however busy the runner is. ` +
      `Estimated cycles and the other callgrind metrics are shown for information only: ` +
      `they change between builds of the same code.`
    )
  }
  if (result.gate === 'noise-aware') {
    const inconclusive =
      result.allInconclusive === 'fail'
        ? 'A compare whose every case is inconclusive fails (all-inconclusive: fail).'
        : 'A compare whose every case is inconclusive passes with a warning (all-inconclusive: pass).'
    return (
      `Noise-aware gate: base and head ran in alternating processes on this runner over ` +
      `${roundsText(result)}; a case counts as regressed only when the whole ` +
      `interval of its Δ lies above its threshold, and as inconclusive when the interval ` +
      `straddles it. ${inconclusive}`
    )
  }
  return (
    `Threshold gate (the rule of perf_gate.sh): a case counts as regressed when the Δ of its ` +
    `median is above its threshold, with no allowance for measurement noise.`
  )
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
