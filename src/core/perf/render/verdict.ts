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
import { oneLine, plural, truncate } from '../../shared/text.js'

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
 * `2 cases regressed beyond 5 %: Put/K16-V16/1, Get/K16/1`.
 */
export function compareOutcome(result: PerfCompareResult, style: TextStyle): string {
  const { counts } = result
  const beyond = `beyond ${thresholdText(result)}`
  const allowed = result.maxRegressCases > 0 ? ` (at most ${result.maxRegressCases} allowed)` : ''
  if (result.passed) {
    if (counts.regressed === 0) return `no case regressed ${beyond}`
    return `${plural(counts.regressed, 'case')} regressed ${beyond}${allowed}`
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

/** `perf gate passed: …` or `perf gate failed: …`, with another subject when given. */
export function compareHeadline(
  result: PerfCompareResult,
  style: TextStyle,
  subject = 'perf gate'
): string {
  const verdict = result.passed ? 'passed' : 'failed'
  return `${style.prose(subject)} ${verdict}: ${compareOutcome(result, style)}`
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
  const runs = metric === 'instructions' ? 'one run per side' : plural(result.rounds, 'round')
  return `${result.gate} gate on ${METRIC_NAME[metric]}, ${runs}, threshold ${thresholdText(result)}`
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
    return (
      `Noise-aware gate: base and head ran in alternating processes on this runner over ` +
      `${plural(result.rounds, 'round')}; a case counts as regressed only when the whole ` +
      `interval of its Δ lies above its threshold, and as inconclusive when the interval ` +
      `straddles it.`
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
