/**
 * The Markdown lines above a perf table, shared by the job summary, the PR
 * comment and the check run: the verdict heading, what was compared with what,
 * the counts, and why the gate failed. Ids and refs come from the PR, so they
 * are always escaped here.
 */
import { outcomeOf, type PerfCompareResult, type PerfSnapshotResult } from '../results.js'
import { markdownCode } from '../../shared/markdown.js'
import { headMarkdown, markdownProse, shortSha } from './format.js'
import { formatValueWithUnit, METRIC_TEXT, metricOf } from './metric.js'
import {
  compareHeadline,
  countsText,
  gateText,
  MARKDOWN_STYLE,
  measuringText,
  resolutionText,
  snapshotHeadline
} from './verdict.js'
import { formatDuration, plural, truncate } from '../../shared/text.js'

// Reasons are written by the gate, but can quote ids; a few short ones say it all.
const MAX_REASONS = 20
const MAX_REASON_CHARS = 1_000
const MAX_ENV_SHOWN = 8

/**
 * `### ❌ perf gate failed: 2 cases regressed beyond 5 %: <code>…</code>`; ⚠️ for a compare
 * with a case it could not judge (never ✅ over one), 🆕 for a bench the base does not have,
 * ⏹️ for a cancelled compare.
 */
export function compareHeading(result: PerfCompareResult, subject = 'perf gate'): string {
  return `### ${compareIcon(result)} ${compareHeadline(result, MARKDOWN_STYLE, subject)}`
}

/** The headline's icon: ✅ only when every compared case was judged and the gate passed. */
export function compareIcon(result: PerfCompareResult): string {
  if (result.cancelled) return '⏹️'
  if (!result.passed) return '❌'
  if (outcomeOf(result) === 'not-judged') return '⚠️'
  if (result.baseHasNoBench === true && result.counts.compared === 0) return '🆕'
  return '✅'
}

/** `### ✅ perf snapshot passed: 42 cases measured`. */
export function snapshotHeading(result: PerfSnapshotResult): string {
  return `### ${result.passed ? '✅' : '❌'} ${snapshotHeadline(result, MARKDOWN_STYLE)}`
}

/** The compare's facts as list items: refs, gate settings, counts, time and results. */
export function compareFacts(result: PerfCompareResult): string {
  return [
    `- **Base** ${markdownCode(result.baseRef)} at ${markdownCode(shortSha(result.baseSha))} · **Head** ${headMarkdown(result)}`,
    `- **Metric** ${METRIC_TEXT[metricOf(result)]}`,
    `- **Gate** ${markdownProse(gateText(result))}`,
    `- **Cases** ${countsText(result.counts)}`,
    ...optional(resolutionFact(result), text => `- **Resolution** ${markdownProse(text)}`),
    `- **Time** ${formatDuration(result.durationMs)} · **Full results** ${markdownCode(result.outputDir)}`,
    ...optional(measuringText(result), text => `- **Measuring** ${markdownProse(text)}`),
    ...optional(benchEnvText(result.benchEnv), text => `- **Bench environment** ${text}`)
  ].join('\n')
}

/** `this run resolves changes of ±3.1 % (…); per case in the table`, for noise-aware wall time. */
function resolutionFact(result: PerfCompareResult): string | undefined {
  if (metricOf(result) !== 'walltime' || result.gate !== 'noise-aware') return undefined
  if (result.counts.compared === 0) return undefined
  return `${resolutionText(result)}; per case in the table's Resolves column`
}

/** `**Warnings**` and the warnings as a list; empty when there are none. */
export function warningsBlock(warnings: readonly string[] | undefined): string {
  if (warnings === undefined || warnings.length === 0) return ''
  const items = warnings
    .slice(0, MAX_REASONS)
    .map(warning => `- ⚠️ ${markdownProse(truncate(warning, MAX_REASON_CHARS))}`)
  return `**Warnings**\n\n${items.join('\n')}`
}

// The threshold file's keys the bench got: values from the file, names only for the user's own.
function benchEnvText(env: PerfCompareResult['benchEnv']): string | undefined {
  const entries = Object.entries(env ?? {})
  if (entries.length === 0) return undefined
  const fromFile = entries.filter(([, e]) => e.value !== undefined)
  const fromEnv = entries.filter(([, e]) => e.value === undefined).map(([k]) => markdownCode(k))
  const file = fromFile[0]?.[1].from.replace(/:\d+$/, '')
  const shown = fromFile
    .slice(0, MAX_ENV_SHOWN)
    .map(([k, e]) => markdownCode(truncate(`${k}=${e.value ?? ''}`, 80)))
  const more =
    fromFile.length > MAX_ENV_SHOWN ? `, and ${fromFile.length - MAX_ENV_SHOWN} more` : ''
  const parts: string[] = []
  if (fromFile.length > 0) parts.push(`${shown.join(', ')}${more} from ${markdownCode(file ?? '')}`)
  if (fromEnv.length > 0)
    parts.push(
      `${fromEnv.join(', ')} as the environment set ${fromEnv.length === 1 ? 'it' : 'them'}`
    )
  return parts.join('; ')
}

function optional(text: string | undefined, line: (text: string) => string): string[] {
  return text === undefined ? [] : [line(text)]
}

/** The snapshot's facts as list items: head, metric, count, p50 and p95 of the cases' values. */
export function snapshotFacts(result: PerfSnapshotResult): string {
  const metric = metricOf(result)
  const of = metric === 'instructions' ? "of the cases' counts" : "of the cases' medians"
  return [
    `- **Head** ${markdownCode(shortSha(result.headSha))} · **Time** ${formatDuration(result.durationMs)} · **Full results** ${markdownCode(result.outputDir)}`,
    `- **Metric** ${METRIC_TEXT[metric]}`,
    `- **Cases** ${result.count} · **p50** ${formatValueWithUnit(metric, result.p50)} · **p95** ${formatValueWithUnit(metric, result.p95)} (${of})`
  ].join('\n')
}

/** `**Why it failed**` and the reasons as a list; empty when there are none. */
export function reasonsBlock(reasons: string[]): string {
  if (reasons.length === 0) return ''
  const items = reasons
    .slice(0, MAX_REASONS)
    .map(reason => `- ${markdownProse(truncate(reason, MAX_REASON_CHARS))}`)
  const more = reasons.length - MAX_REASONS
  if (more > 0) items.push(`- _and ${plural(more, 'more reason')} in the results_`)
  return `**Why it failed**\n\n${items.join('\n')}`
}
