/**
 * How every perf rendering names and shows what a run measured: wall time as
 * times (`12.4 µs`), instructions as exact counts (`1,102,978`), each delta
 * with the precision its metric supports, and the callgrind figures that are
 * shown for information only.
 */
import type { CaseComparison, PerfMetric, PerfRunResult } from '../results.js'
import { formatNs, formatPct, NO_VALUE } from './format.js'
import { formatCount } from '../../shared/units.js'

export { formatCount } from '../../shared/units.js'

/** The run's metric; documents written before there was a choice measured wall time. */
export function metricOf(result: PerfRunResult): PerfMetric {
  return result.metric ?? 'walltime'
}

/** The metric in words: `wall time`, `instructions`. */
export const METRIC_NAME: Record<PerfMetric, string> = {
  walltime: 'wall time',
  instructions: 'instructions'
}

/** What the numbers of a run are, for the facts above a table. */
export const METRIC_TEXT: Record<PerfMetric, string> = {
  walltime: "wall time: Criterion's median time per iteration",
  instructions: 'instructions: callgrind Ir counted by gungraun under Valgrind'
}

/** The callgrind metric that shows beside the counts, and its name in a table. */
export const ESTIMATED_CYCLES = 'EstimatedCycles'

/** A value in the metric's unit: a time for wall time, a bare count for instructions. */
export function formatValue(metric: PerfMetric, value: number | undefined): string {
  return metric === 'instructions' ? formatCount(value) : formatNs(value)
}

/** A value with its unit spelled out where a count would otherwise stand bare. */
export function formatValueWithUnit(metric: PerfMetric, value: number | undefined): string {
  const text = formatValue(metric, value)
  return metric === 'instructions' && text !== NO_VALUE ? `${text} instructions` : text
}

/** A delta: one decimal for wall time; two for counts, which are exact. */
export function formatDelta(metric: PerfMetric, pct: number | undefined): string {
  return formatPct(pct, metric === 'instructions' ? 2 : 1)
}

/** The case's base value in the run's unit (ns or instructions). */
export function baseValue(comparison: CaseComparison): number | undefined {
  return comparison.baseInstructions ?? comparison.baseNs
}

/** The case's head value in the run's unit (ns or instructions). */
export function headValue(comparison: CaseComparison): number | undefined {
  return comparison.headInstructions ?? comparison.headNs
}

/** The change of one callgrind metric of a case, base to head, e.g. `+5.21 %`. */
export function callgrindDelta(comparison: CaseComparison, name: string): string {
  const pair = comparison.callgrind?.[name]
  if (pair?.base === undefined || pair.head === undefined || pair.base === 0) return NO_VALUE
  return formatPct(((pair.head - pair.base) / pair.base) * 100, 2)
}
