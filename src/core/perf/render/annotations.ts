/**
 * Annotations of a perf run: an error per regressed case, a warning per
 * inconclusive one, and an error for a gate that failed without a case to
 * blame (too few cases compared, none found). A bench case has no source
 * line, so workflow-command annotations carry no file and show on the run
 * page; the Checks API requires a path, so there the caller names one.
 */
import type { CaseComparison, PerfCompareResult, PerfMetric, PerfRunResult } from '../results.js'
import {
  type Annotation,
  type AnnotationPlan,
  MAX_ANNOTATIONS_PER_LEVEL
} from '../../shared/annotations.js'
import { formatInterval, formatThreshold } from './format.js'
import {
  baseValue,
  formatDelta,
  formatValue,
  formatValueWithUnit,
  headValue,
  metricOf
} from './metric.js'
import { cleanText, oneLine, plural, truncate } from '../../shared/text.js'

/** One annotation in the Checks API form (`output.annotations[]` of a check run). */
export interface CheckRunAnnotation {
  path: string
  start_line: number
  end_line: number
  annotation_level: 'failure' | 'warning' | 'notice'
  title: string
  message: string
}

// Checks API limits: a title of 255 characters; messages are kept far below
// the 64 KB limit because an annotation is read at a glance.
const MAX_TITLE = 255
const MAX_MESSAGE = 4_000

const CHECK_LEVEL: Record<Annotation['level'], CheckRunAnnotation['annotation_level']> = {
  error: 'failure',
  warning: 'warning',
  notice: 'notice'
}

/**
 * Errors for regressed cases and warnings for inconclusive cases whose Δ is
 * above their threshold, largest Δ first, at most `MAX_ANNOTATIONS_PER_LEVEL`
 * of each (GitHub drops the rest silently), with a notice counting the others.
 */
export function planPerfAnnotations(result: PerfRunResult): AnnotationPlan {
  const gate = gateFailure(result)
  if (result.mode === 'snapshot') {
    return { annotations: gate === undefined ? [] : [gate], notAnnotated: 0 }
  }
  const metric = metricOf(result)
  const errors = [
    ...(gate === undefined ? [] : [gate]),
    ...byDelta(casesWith(result, 'regressed')).map(c => regressedAnnotation(c, metric))
  ]
  const warnings = [
    ...(result.warnings ?? []).map(w => annotation('warning', 'perf gate warning', w)),
    ...byDelta(casesWith(result, 'inconclusive'))
      .filter(c => (c.delta_pct ?? -Infinity) > c.thresholdPct)
      .map(c => inconclusiveAnnotation(c, metric))
  ]
  const droppedErrors = Math.max(0, errors.length - MAX_ANNOTATIONS_PER_LEVEL)
  const droppedWarnings = Math.max(0, warnings.length - MAX_ANNOTATIONS_PER_LEVEL)
  const plan: AnnotationPlan = {
    annotations: [
      ...errors.slice(0, MAX_ANNOTATIONS_PER_LEVEL),
      ...warnings.slice(0, MAX_ANNOTATIONS_PER_LEVEL)
    ],
    notAnnotated: droppedErrors + droppedWarnings
  }
  const notice = capNotice(droppedErrors, droppedWarnings)
  if (notice !== undefined) plan.notice = notice
  return plan
}

/**
 * Every regressed case as a failure and every inconclusive case as a warning,
 * largest Δ first, placed on line 1 of `path` (e.g. the bench source
 * `benches/perf.rs`). Not capped: the Checks API takes them 50 per request.
 */
export function checkRunAnnotations(result: PerfRunResult, path: string): CheckRunAnnotation[] {
  const gate = gateFailure(result)
  const annotations = [
    ...(gate === undefined ? [] : [gate]),
    ...(result.mode === 'compare'
      ? [
          ...byDelta(casesWith(result, 'regressed')).map(c =>
            regressedAnnotation(c, metricOf(result))
          ),
          ...byDelta(casesWith(result, 'inconclusive')).map(c =>
            inconclusiveAnnotation(c, metricOf(result))
          )
        ]
      : [])
  ]
  return annotations.map(annotation => ({
    path,
    start_line: 1,
    end_line: 1,
    annotation_level: CHECK_LEVEL[annotation.level],
    title: annotation.title,
    message: annotation.message
  }))
}

// A failed gate whose cases do not explain it would otherwise leave the run
// red with nothing on its page saying why.
function gateFailure(result: PerfRunResult): Annotation | undefined {
  if (result.passed) return undefined
  if (result.mode === 'compare' && result.counts.regressed > 0) return undefined
  const subject = result.mode === 'compare' ? 'perf gate' : 'perf snapshot'
  const why = result.reasons.length > 0 ? result.reasons.join('\n') : 'no reason was recorded'
  return annotation(
    'error',
    `${subject} ${result.cancelled === true ? 'cancelled' : 'failed'}`,
    why
  )
}

function regressedAnnotation(comparison: CaseComparison, metric: PerfMetric): Annotation {
  const confirmed = comparison.remeasured === true ? ', confirmed by measuring it again' : ''
  const what = metric === 'instructions' ? 'runs more instructions' : 'is slower'
  const message =
    `${oneLine(comparison.id)} ${what}: ${change(comparison, metric)}, ` +
    `above its ${formatThreshold(comparison.thresholdPct)} threshold${confirmed}.`
  return annotation('error', comparison.id, withReason(message, comparison))
}

// Says only what the case shows: "may be slower" when its Δ is above the threshold, and why the
// run could not judge it (no interval, or one that reaches past the threshold).
function inconclusiveAnnotation(comparison: CaseComparison, metric: PerfMetric): Annotation {
  const threshold = formatThreshold(comparison.thresholdPct)
  const above = (comparison.delta_pct ?? -Infinity) > comparison.thresholdPct
  const why =
    comparison.ci === undefined
      ? 'too few paired rounds for an interval'
      : above
        ? `the interval straddles its ${threshold} threshold`
        : `the interval reaches past ±${threshold}`
  const cannot = above ? 'a regression from noise' : `a change of ${threshold} from none`
  const message =
    `${oneLine(comparison.id)} ${above ? 'may be slower' : 'could not be judged'}: ` +
    `${change(comparison, metric)}; ${why}, so this run cannot tell ${cannot}.`
  return annotation('warning', comparison.id, withReason(message, comparison))
}

// `1.00 ms → 1.12 ms, Δ +12.3 % (interval [+8.1, +16.9] %)`, or
// `1,102,978 → 1,115,302 instructions, Δ +1.12 %`.
function change(comparison: CaseComparison, metric: PerfMetric): string {
  const values = `${formatValue(metric, baseValue(comparison))} → ${formatValueWithUnit(metric, headValue(comparison))}`
  const interval = comparison.ci === undefined ? '' : ` (interval ${formatInterval(comparison.ci)})`
  return `${values}, Δ ${formatDelta(metric, comparison.delta_pct)}${interval}`
}

function withReason(message: string, comparison: CaseComparison): string {
  const reason = comparison.reason?.trim() ?? ''
  return reason === '' ? message : `${message} ${reason}`
}

function annotation(level: Annotation['level'], title: string, message: string): Annotation {
  return {
    level,
    title: truncate(oneLine(title), MAX_TITLE),
    message: truncate(cleanText(message).trim(), MAX_MESSAGE)
  }
}

function casesWith(
  result: PerfCompareResult,
  verdict: CaseComparison['verdict']
): CaseComparison[] {
  return result.cases.filter(c => c.verdict === verdict)
}

// The model already sorts by Δ; sorting again keeps the ranking right for any input.
function byDelta(cases: CaseComparison[]): CaseComparison[] {
  const delta = (c: CaseComparison): number => c.delta_pct ?? -Infinity
  // Two cases without a delta give NaN, which must read as a tie.
  return [...cases].sort((a, b) => delta(b) - delta(a) || 0)
}

function capNotice(droppedErrors: number, droppedWarnings: number): string | undefined {
  const parts: string[] = []
  if (droppedErrors > 0) parts.push(`${plural(droppedErrors, 'more regressed case')}`)
  if (droppedWarnings > 0) parts.push(`${plural(droppedWarnings, 'more inconclusive case')}`)
  if (parts.length === 0) return undefined
  const verb = droppedErrors + droppedWarnings === 1 ? 'was' : 'were'
  return `${parts.join(' and ')} ${verb} not annotated: see the job summary`
}
