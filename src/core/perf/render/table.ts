/**
 * The Markdown tables of a perf run: the compare table (case, base, head, Δ,
 * interval or, for instructions, the informational change of the estimated
 * cycles, verdict) with unchanged and skipped cases folded below it, and the
 * snapshot's cases. Rows keep the model's order (largest slowdown first), and
 * a table that would overflow its limit loses folded rows first, then the end
 * of the main table, with a note saying how many are not shown.
 */
import type {
  CaseComparison,
  CaseVerdict,
  CriterionCase,
  InstructionCase,
  PerfMetric,
  PerfSnapshotResult
} from '../results.js'
import { details, escapeHtml, markdownCode } from '../../shared/markdown.js'
import {
  formatInterval,
  formatNs,
  formatResolution,
  formatTimeInterval,
  markdownProse,
  shortenId,
  verdictCount,
  verdictLabel
} from './format.js'
import { type FittableTable, type Measure, paragraphs, rowsThatFit, tableText } from './fit.js'
import {
  baseValue,
  callgrindDelta,
  ESTIMATED_CYCLES,
  formatCount,
  formatDelta,
  formatValue,
  headValue
} from './metric.js'
import { tally } from './verdict.js'
import { plural, truncate } from '../../shared/text.js'

// Criterion cuts each part of an id to 64 bytes, so real ids are far shorter;
// this keeps a hostile one from taking a screenful per row.
const MAX_ID_CHARS = 200
const MAX_REASON_CHARS = 200

// Cases the reader can skip: nothing happened, or the case was skipped, not compared.
const FOLDED: ReadonlySet<CaseVerdict> = new Set(['unchanged', 'skipped'])

const COMPARE_HEAD: Record<PerfMetric, string> = {
  walltime:
    '| Case | Base median | Head median | Δ | Interval | Resolves | Verdict |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  instructions:
    '| Case | Base (instructions) | Head (instructions) | Δ | Est. cycles Δ (info) | Verdict |\n' +
    '| --- | ---: | ---: | ---: | ---: | --- |'
}
const SNAPSHOT_HEAD: Record<PerfMetric, string> = {
  walltime: '| Case | Median | Mean | Median CI |\n| --- | ---: | ---: | ---: |',
  instructions: '| Case | Instructions | Est. cycles (info) |\n| --- | ---: | ---: |'
}

/** Where the tables must fit, and where the reader finds what was left out. */
export interface TableLimit {
  budget: number
  measure: Measure
  /** Markdown naming where the full results are, e.g. `see the artifact`. */
  moreHint: string
}

/** The tables as Markdown, and how many rows were left out to fit. */
export interface FittedTables {
  markdown: string
  omitted: number
}

/** True for the verdicts that go into the folded block below the main table. */
export function isFolded(comparison: CaseComparison): boolean {
  return FOLDED.has(comparison.verdict)
}

/** One row of the compare table, with values in the metric's unit. */
export function comparisonRow(comparison: CaseComparison, metric: PerfMetric = 'walltime'): string {
  const cells = [
    markdownCode(shortenId(comparison.id, MAX_ID_CHARS)),
    formatValue(metric, baseValue(comparison)),
    formatValue(metric, headValue(comparison)),
    formatDelta(metric, comparison.delta_pct),
    ...(metric === 'instructions'
      ? [callgrindDelta(comparison, ESTIMATED_CYCLES)]
      : [formatInterval(comparison.ci), formatResolution(comparison.resolutionPct)]),
    verdictCell(comparison)
  ]
  return `| ${cells.join(' | ')} |`
}

/**
 * The compare table of the cases that changed or could not be judged, then the
 * unchanged and skipped ones in a `<details>` block, within `limit`. Empty when
 * there are no cases.
 */
export function renderComparisonTables(
  cases: CaseComparison[],
  limit: TableLimit,
  metric: PerfMetric = 'walltime'
): FittedTables {
  const { budget, measure } = limit
  const main = cases.filter(c => !isFolded(c))
  const folded = cases.filter(isFolded)
  const row = (c: CaseComparison): string => comparisonRow(c, metric)
  const mainTable: FittableTable = {
    head: COMPARE_HEAD[metric],
    rows: main.map(row),
    note: omitted => moreNote(main.slice(main.length - omitted), limit.moreHint)
  }
  const foldedTable: FittableTable = {
    head: COMPARE_HEAD[metric],
    rows: folded.map(row),
    note: omitted => moreNote(folded.slice(folded.length - omitted), limit.moreHint)
  }
  const summary = foldedSummary(folded)
  const foldedBlock = (shown: number): string =>
    shown > 0 ? details(summary, tableText(foldedTable, shown)) : foldedTable.note(folded.length)
  const mainFull = main.length > 0 ? tableText(mainTable) : ''
  const foldedFull = folded.length > 0 ? foldedBlock(folded.length) : ''
  const whole = paragraphs(mainFull, foldedFull)
  if (measure(whole) <= budget) return { markdown: whole, omitted: 0 }

  // Folded rows go first: they are the ones a reader was told to skip.
  if (folded.length > 0) {
    const room = budget - measure(paragraphs(mainFull, details(summary, '')))
    const shown = rowsThatFit(foldedTable, room, measure)
    const candidate = paragraphs(mainFull, foldedBlock(Math.max(0, shown)))
    if (measure(candidate) <= budget) {
      return { markdown: candidate, omitted: folded.length - Math.max(0, shown) }
    }
  }
  // Then the end of the main table: the improvements, and cases without a delta.
  const tail = folded.length > 0 ? foldedBlock(0) : ''
  const room = budget - measure(tail) - (tail === '' ? 0 : 2)
  if (main.length === 0) return { markdown: tail, omitted: folded.length }
  const shown = rowsThatFit(mainTable, room, measure)
  const head = shown >= 0 ? tableText(mainTable, shown) : mainTable.note(main.length)
  return { markdown: paragraphs(head, tail), omitted: cases.length - Math.max(0, shown) }
}

/**
 * The snapshot's cases in model order, within `limit`: id, median, mean and median CI for wall
 * time; id, count and estimated cycles for instructions.
 */
export function renderSnapshotTable(result: PerfSnapshotResult, limit: TableLimit): FittedTables {
  const { cases } = result
  const rows =
    result.metric === 'instructions'
      ? result.cases.map(instructionRow)
      : result.cases.map(snapshotRow)
  const table: FittableTable = {
    head: SNAPSHOT_HEAD[result.metric ?? 'walltime'],
    rows,
    note: omitted => `_${plural(omitted, 'more case')} not shown (${limit.moreHint})._`
  }
  const shown = rowsThatFit(table, limit.budget, limit.measure)
  const markdown = shown >= 0 ? tableText(table, shown) : table.note(cases.length)
  return { markdown, omitted: cases.length - Math.max(0, shown) }
}

// `⚪ 35 unchanged · ⏭️ 2 skipped`, as HTML for the `<summary>` element.
function foldedSummary(folded: CaseComparison[]): string {
  return escapeHtml(
    [...FOLDED]
      .map(verdict => [verdict, folded.filter(c => c.verdict === verdict).length] as const)
      .filter(([, count]) => count > 0)
      .map(([verdict, count]) => verdictCount(verdict, count))
      .join(' · ')
  )
}

function snapshotRow(criterionCase: CriterionCase): string {
  const cells = [
    markdownCode(shortenId(criterionCase.id, MAX_ID_CHARS)),
    formatNs(criterionCase.medianNs),
    formatNs(criterionCase.meanNs),
    formatTimeInterval(criterionCase.medianCi)
  ]
  return `| ${cells.join(' | ')} |`
}

function instructionRow(instructionCase: InstructionCase): string {
  const cells = [
    markdownCode(shortenId(instructionCase.id, MAX_ID_CHARS)),
    formatCount(instructionCase.instructions),
    formatCount(instructionCase.callgrind[ESTIMATED_CYCLES])
  ]
  return `| ${cells.join(' | ')} |`
}

function verdictCell(comparison: CaseComparison): string {
  const rounds = Math.min(comparison.baseRounds.length, comparison.headRounds.length)
  const remeasured = comparison.remeasured === true ? ` (remeasured: ${rounds} rounds)` : ''
  const reason =
    comparison.reason === undefined || comparison.reason.trim() === ''
      ? ''
      : `: ${markdownProse(truncate(comparison.reason, MAX_REASON_CHARS))}`
  return `${verdictLabel(comparison.verdict)}${remeasured}${reason}`
}

function moreNote(omitted: CaseComparison[], hint: string): string {
  return `_${plural(omitted.length, 'more case')} not shown (${hint}): ${tally(omitted)}._`
}
