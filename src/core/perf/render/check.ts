/**
 * The output of the perf check run: the verdict as its title, the facts and
 * reasons as its summary, the table as its text. The Checks API rejects a
 * title over 255 characters and a summary or text over 65,535, so each part
 * is fitted to its own limit.
 */
import type { PerfRunResult } from '../results.js'
import { clipToBudget, countChars, paragraphs } from './fit.js'
import {
  compareFacts,
  compareHeading,
  reasonsBlock,
  snapshotFacts,
  snapshotHeading,
  warningsBlock
} from './header.js'
import { metricOf } from './metric.js'
import { renderComparisonTables, renderSnapshotTable } from './table.js'
import { compareHeadline, gateMeaning, PLAIN_STYLE, snapshotHeadline } from './verdict.js'
import { truncate } from '../../shared/text.js'

/** A check run's `output`, less its annotations. */
export interface CheckRunOutput {
  title: string
  summary: string
  text: string
}

/** Checks API limit on `output.title`. */
export const MAX_CHECK_TITLE = 255
/** Checks API limit on `output.summary` and on `output.text`. */
export const MAX_CHECK_BODY = 65_535

const MORE_HINT = 'see the job summary or the artifact'

/** Title, summary and text of the check run of a compare or snapshot, each within its limit. */
export function renderCheckRunOutput(result: PerfRunResult): CheckRunOutput {
  const limit = { budget: MAX_CHECK_BODY, measure: countChars, moreHint: MORE_HINT }
  if (result.mode === 'compare') {
    const summary = paragraphs(
      compareHeading(result),
      compareFacts(result),
      result.passed ? '' : reasonsBlock(result.reasons),
      warningsBlock(result.warnings),
      `_${gateMeaning(result)}_`
    )
    const text =
      result.cases.length === 0
        ? '_No benchmark case to show._'
        : renderComparisonTables(result.cases, limit, metricOf(result)).markdown
    return output(compareHeadline(result, PLAIN_STYLE), summary, text)
  }
  const summary = paragraphs(
    snapshotHeading(result),
    snapshotFacts(result),
    result.passed ? '' : reasonsBlock(result.reasons)
  )
  const text =
    result.cases.length === 0
      ? '_No benchmark case to show._'
      : renderSnapshotTable(result, limit).markdown
  return output(snapshotHeadline(result, PLAIN_STYLE), summary, text)
}

function output(title: string, summary: string, text: string): CheckRunOutput {
  return {
    title: truncate(title, MAX_CHECK_TITLE),
    summary: clipToBudget(summary, MAX_CHECK_BODY, countChars),
    text: clipToBudget(text, MAX_CHECK_BODY, countChars)
  }
}
