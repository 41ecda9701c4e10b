/**
 * The job summary of a perf run: verdict first, then refs, metric, gate and
 * counts, the table, for instructions the other callgrind metrics folded, and
 * what the gate kind means. GitHub drops a step summary over
 * 1 MiB whole, so the table gives up rows, folded ones first, to stay within
 * the budget, and says how many it left out.
 */
import type { PerfCompareResult, PerfRunResult, PerfSnapshotResult } from '../results.js'
import { markdownCode } from '../../shared/markdown.js'
import { clipToBudget, countBytes, paragraphs } from './fit.js'
import {
  compareFacts,
  compareHeading,
  reasonsBlock,
  snapshotFacts,
  snapshotHeading,
  warningsBlock
} from './header.js'
import {
  type FittedTables,
  renderComparisonTables,
  renderSnapshotTable,
  type TableLimit
} from './table.js'
import { renderCallgrindDetails } from './callgrind.js'
import { metricOf } from './metric.js'
import { gateMeaning } from './verdict.js'
import { compareRunningLine } from './running.js'

/** Options of `renderPerfSummary`. */
export interface PerfSummaryOptions {
  /**
   * Most the summary may take (default `DEFAULT_PERF_SUMMARY_BUDGET`), counted in
   * UTF-8 bytes as GitHub counts its limit; a text within it has no more characters.
   */
  budgetChars?: number
}

/** Under GitHub's 1 MiB per step, with room for anything else the step appends. */
export const DEFAULT_PERF_SUMMARY_BUDGET = 1_000_000

const MORE_HINT = 'see the artifact'

/** The job summary Markdown of a compare or snapshot, within the budget. */
export function renderPerfSummary(result: PerfRunResult, options: PerfSummaryOptions = {}): string {
  const budget = (options.budgetChars ?? DEFAULT_PERF_SUMMARY_BUDGET) - 1 // the final newline
  const text =
    result.mode === 'compare' ? compareSummary(result, budget) : snapshotSummary(result, budget)
  return `${clipToBudget(text, budget, countBytes)}\n`
}

function compareSummary(result: PerfCompareResult, budget: number): string {
  const head = paragraphs(
    compareHeading(result),
    compareRunningLine(result),
    compareFacts(result),
    result.passed ? '' : reasonsBlock(result.reasons),
    warningsBlock(result.warnings)
  )
  const metric = metricOf(result)
  // The informational callgrind block takes at most a quarter of the budget.
  const callgrind =
    metric === 'instructions'
      ? renderCallgrindDetails(result.cases, Math.floor(budget / 4), countBytes, MORE_HINT)
      : ''
  const foot = paragraphs(callgrind, `_${gateMeaning(result)}_`)
  const tables = (limit: TableLimit): FittedTables =>
    result.cases.length === 0
      ? { markdown: '_No benchmark case to show._', omitted: 0 }
      : renderComparisonTables(result.cases, limit, metric)
  return withTables(head, foot, budget, tables, result.outputDir)
}

function snapshotSummary(result: PerfSnapshotResult, budget: number): string {
  const head = paragraphs(
    snapshotHeading(result),
    snapshotFacts(result),
    result.passed ? '' : reasonsBlock(result.reasons)
  )
  const tables = (limit: TableLimit): FittedTables =>
    result.cases.length === 0
      ? { markdown: '_No benchmark case to show._', omitted: 0 }
      : renderSnapshotTable(result, limit)
  return withTables(head, '', budget, tables, result.outputDir)
}

// The head and foot are small and always shown; the tables get what is left,
// less room for the note that says the summary was shortened.
function withTables(
  head: string,
  foot: string,
  budget: number,
  tables: (limit: TableLimit) => FittedTables,
  outputDir: string
): string {
  const shortened = `_Shortened to fit GitHub's 1 MiB job summary limit; full results in ${markdownCode(outputDir)} and the artifact._`
  const fixed = countBytes(paragraphs(head, shortened, foot)) + 4 // the gaps around the tables
  const fitted = tables({ budget: budget - fixed, measure: countBytes, moreHint: MORE_HINT })
  return paragraphs(head, fitted.omitted > 0 ? shortened : '', fitted.markdown, foot)
}
