/**
 * The plain-text report of a perf run printed at the end of the step log: the
 * cases in aligned columns, largest slowdown first as perf_gate.sh prints
 * them, the counts and reasons, and a last line `result: PASS` or
 * `result: FAIL (…)` where a user switching from the script looks for it.
 */
import {
  outcomeOf,
  type CaseComparison,
  type PerfCompareResult,
  type PerfMetric,
  type PerfRunResult,
  type PerfSnapshotResult
} from '../results.js'
import {
  formatInterval,
  formatNs,
  formatResolution,
  formatTimeInterval,
  NO_VALUE,
  shortenId,
  headText,
  shortSha
} from './format.js'
import {
  baseValue,
  callgrindDelta,
  ESTIMATED_CYCLES,
  formatCount,
  formatDelta,
  formatValue,
  headValue,
  METRIC_NAME,
  metricOf
} from './metric.js'
import {
  compareOutcome,
  countsText,
  resolutionText,
  gateText,
  measuringText,
  PLAIN_STYLE,
  snapshotOutcome,
  SIDE_MEDIANS
} from './verdict.js'
import { formatDuration, oneLine, truncate } from '../../shared/text.js'

// Wide enough for Criterion's ids (each part at most 64 bytes), narrow enough
// that a hostile one cannot push every other column off the screen.
const MAX_ID_WIDTH = 60
const MAX_TEXT = 300

/** The run as plain text, ending with `result: PASS` or `result: FAIL (why)`. */
export function renderPerfConsole(result: PerfRunResult): string {
  const lines = result.mode === 'compare' ? compareLines(result) : snapshotLines(result)
  return `${lines.join('\n')}\n`
}

function compareLines(result: PerfCompareResult): string[] {
  const lines = [
    `perf compare (${METRIC_NAME[metricOf(result)]}): ${consoleVerdict(result)} in ${formatDuration(result.durationMs)}`,
    `  base ${safe(result.baseRef)} (${shortSha(result.baseSha)}) vs head ${headText(result)}`,
    `  ${gateText(result)}`,
    `  results and logs: ${safe(result.outputDir)}`,
    ''
  ]
  if (result.cases.length === 0) lines.push('no benchmark case found')
  else {
    // The verdict leads each row so that no line starts with text from the PR,
    // which could otherwise be read as a workflow command such as `::error::`.
    const metric = metricOf(result)
    const header =
      metric === 'instructions'
        ? [
            'verdict',
            'case',
            'base instructions',
            'head instructions',
            'delta',
            'est. cycles (info)',
            ''
          ]
        : ['verdict', 'case', 'base median', 'head median', 'delta', 'interval', 'resolves', '']
    const rows = result.cases.map(c => compareRow(c, metric))
    lines.push(
      ...columns([header, ...rows], metric === 'instructions' ? [2, 3, 4, 5] : [2, 3, 4, 6])
    )
  }
  const measuring = measuringText(result)
  lines.push(
    '',
    `counts: ${countsText(result.counts)}`,
    ...(result.gate === 'noise-aware' &&
    metricOf(result) === 'walltime' &&
    result.counts.compared > 0
      ? [`resolution: ${resolutionText(result)}`, `note: ${SIDE_MEDIANS}`]
      : []),
    ...(measuring === undefined ? [] : [`measuring: ${safe(measuring)}`]),
    ...reasonLines(result.reasons),
    ...warningLines(result.warnings)
  )
  const outcome = compareOutcome(result, PLAIN_STYLE)
  const verdict = consoleVerdict(result)
  // `result: PASS` alone only when every compared case was judged, as the reference prints it;
  // a change that adds the bench passes with nothing compared, and says so.
  const nothingCompared = result.baseHasNoBench === true && result.counts.compared === 0
  lines.push(
    verdict === 'PASS' && !nothingCompared ? 'result: PASS' : `result: ${verdict} (${outcome})`
  )
  return lines
}

/** PASS (every compared case judged), NOT JUDGED, FAIL or CANCELLED. */
function consoleVerdict(result: PerfCompareResult): string {
  if (result.cancelled) return 'CANCELLED'
  if (!result.passed) return 'FAIL'
  return outcomeOf(result) === 'pass' ? 'PASS' : 'NOT JUDGED'
}

function snapshotLines(result: PerfSnapshotResult): string[] {
  const metric = metricOf(result)
  const spread =
    metric === 'instructions'
      ? `p50 ${formatCount(result.p50)}, p95 ${formatCount(result.p95)} instructions (of the counts)`
      : `p50 ${formatNs(result.p50)}, p95 ${formatNs(result.p95)} (of the medians)`
  const lines = [
    `perf snapshot (${METRIC_NAME[metric]}): ${result.passed ? 'PASS' : 'FAIL'} in ${formatDuration(result.durationMs)}`,
    `  head ${shortSha(result.headSha)}, results and logs: ${safe(result.outputDir)}`,
    `  ${result.count} cases, ${spread}`,
    ''
  ]
  if (result.cases.length === 0) lines.push('no benchmark case found')
  else lines.push(...snapshotColumns(result))
  lines.push('', ...reasonLines(result.reasons))
  lines.push(
    result.passed ? 'result: PASS' : `result: FAIL (${snapshotOutcome(result, PLAIN_STYLE)})`
  )
  return lines
}

// The id comes last so that no line starts with text from the PR.
function snapshotColumns(result: PerfSnapshotResult): string[] {
  if (result.metric === 'instructions') {
    const header = ['instructions', 'est. cycles (info)', 'case']
    const rows = result.cases.map(c => [
      formatCount(c.instructions),
      formatCount(c.callgrind[ESTIMATED_CYCLES]),
      safe(c.id)
    ])
    return columns([header, ...rows], [0, 1])
  }
  const header = ['median', 'mean', 'median CI', 'case']
  const rows = result.cases.map(c => [
    formatNs(c.medianNs),
    formatNs(c.meanNs),
    formatTimeInterval(c.medianCi),
    safe(c.id)
  ])
  return columns([header, ...rows], [0, 1])
}

function compareRow(comparison: CaseComparison, metric: PerfMetric): string[] {
  const remeasured = comparison.remeasured === true ? 'remeasured' : ''
  const reason = comparison.reason === undefined ? '' : safe(comparison.reason)
  return [
    comparison.verdict.toUpperCase(),
    shortenId(oneLine(comparison.id), MAX_ID_WIDTH),
    formatValue(metric, baseValue(comparison)),
    formatValue(metric, headValue(comparison)),
    formatDelta(metric, comparison.delta_pct),
    ...(metric === 'instructions'
      ? [callgrindDelta(comparison, ESTIMATED_CYCLES)]
      : [
          comparison.ci === undefined ? NO_VALUE : formatInterval(comparison.ci),
          formatResolution(comparison.resolutionPct)
        ]),
    [remeasured, reason].filter(Boolean).join('; ')
  ]
}

// Warnings are long sentences: kept whole (one line each), not cut like table cells.
function warningLines(warnings: readonly string[] | undefined): string[] {
  if (warnings === undefined || warnings.length === 0) return []
  return ['warnings:', ...warnings.map(warning => `  - ${truncate(oneLine(warning), 2_000)}`)]
}

function reasonLines(reasons: string[]): string[] {
  if (reasons.length === 0) return []
  return ['reasons:', ...reasons.map(reason => `  - ${safe(reason)}`)]
}

// Pads every column to its widest cell, numbers (`rightAligned`) on the right
// so their units line up; the last column is never padded.
function columns(rows: string[][], rightAligned: number[]): string[] {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, [...cell].length)
    })
  }
  return rows.map(row =>
    row
      .map((cell, index) => {
        if (index === row.length - 1) return cell
        const pad = (widths[index] ?? 0) - [...cell].length
        return rightAligned.includes(index) ? ' '.repeat(pad) + cell : cell + ' '.repeat(pad)
      })
      .join('  ')
      .trimEnd()
  )
}

function safe(text: string): string {
  return truncate(oneLine(text), MAX_TEXT)
}
