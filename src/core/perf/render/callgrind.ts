/**
 * The folded table of an instruction compare's other callgrind metrics: per
 * case, the change of the estimated cycles and of the cache figures. They are
 * shown for information only: the same code built twice can move them by
 * several percent, so they never decide the verdict.
 */
import type { CaseComparison } from '../results.js'
import { details, markdownCode } from '../../shared/markdown.js'
import { plural } from '../../shared/text.js'
import { type FittableTable, type Measure, rowsThatFit, tableText } from './fit.js'
import { shortenId } from './format.js'
import { callgrindDelta } from './metric.js'

/** The callgrind metrics shown, by their summary names, with their column titles. */
export const SHOWN_METRICS: readonly (readonly [string, string])[] = [
  ['EstimatedCycles', 'Est. cycles'],
  ['L1hits', 'L1 hits'],
  ['LLhits', 'LL hits'],
  ['RamHits', 'RAM hits'],
  ['TotalRW', 'Total R+W']
]

const MAX_ID_CHARS = 120

/**
 * A `<details>` block with one row per case that has callgrind metrics, within `budget`
 * (rows dropped from the end, with a note); empty when no case has any.
 */
export function renderCallgrindDetails(
  cases: readonly CaseComparison[],
  budget: number,
  measure: Measure,
  moreHint: string
): string {
  const withMetrics = cases.filter(c => c.callgrind !== undefined)
  if (withMetrics.length === 0) return ''
  const summary = 'Other callgrind metrics, Δ base → head (informational)'
  const intro =
    '_For information only: cache figures and the cycle estimate change between builds of ' +
    'the same code, so the verdict reads instruction counts alone. Full values are in the ' +
    'results (compare.json)._'
  const table: FittableTable = {
    head:
      `| Case | ${SHOWN_METRICS.map(([, title]) => title).join(' | ')} |\n` +
      `| --- |${' ---: |'.repeat(SHOWN_METRICS.length)}`,
    rows: withMetrics.map(
      c =>
        `| ${[
          markdownCode(shortenId(c.id, MAX_ID_CHARS)),
          ...SHOWN_METRICS.map(([name]) => callgrindDelta(c, name))
        ].join(' | ')} |`
    ),
    note: omitted => `_${plural(omitted, 'more case')} not shown (${moreHint})._`
  }
  const room = budget - measure(details(summary, `${intro}\n\n`))
  const shown = rowsThatFit(table, room, measure)
  if (shown < 0) return ''
  return details(summary, `${intro}\n\n${tableText(table, shown)}`)
}
