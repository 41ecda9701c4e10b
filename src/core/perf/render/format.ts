/**
 * The numbers and words of a perf run as people read them: times in the unit
 * that keeps three significant digits, signed percentages, intervals, verdict
 * labels. Shared by every perf rendering so the console, summary, comment and
 * annotations say the same thing the same way.
 */
import type { CaseVerdict, Interval } from '../results.js'
import { escapeMarkdownText, markdownCode } from '../../shared/markdown.js'
import { formatNs, NO_VALUE } from '../../shared/units.js'

// The unit formats are shared with the soak's summary; perf renderers take them from here.
export { formatNs, NO_VALUE } from '../../shared/units.js'

const VERDICT_ICON: Record<CaseVerdict, string> = {
  regressed: '🔴',
  improved: '🟢',
  unchanged: '⚪',
  inconclusive: '🟡',
  new: '🆕',
  missing: '❌',
  skipped: '⏭️'
}

/** Every verdict, in the order counts and notes list them. */
export const VERDICTS: readonly CaseVerdict[] = [
  'regressed',
  'improved',
  'inconclusive',
  'unchanged',
  'skipped',
  'new',
  'missing'
]

/** A delta with its sign and one decimal (or `decimals`): `+12.3 %`, `-4.0 %`, `0.0 %`. */
export function formatPct(pct: number | undefined, decimals = 1): string {
  if (pct === undefined || !Number.isFinite(pct)) return NO_VALUE
  return `${signed(pct, decimals)} %`
}

/** An interval of deltas: `[+8.1, +16.9] %`, or `—` when there is none. */
export function formatInterval(ci: Interval | undefined): string {
  if (ci === undefined || !Number.isFinite(ci.low) || !Number.isFinite(ci.high)) return NO_VALUE
  return `[${signed(ci.low)}, ${signed(ci.high)}] %`
}

/** What a case's rounds resolve: `±3.2 %`, or `—` without an interval. */
export function formatResolution(pct: number | undefined): string {
  if (pct === undefined || !Number.isFinite(pct)) return NO_VALUE
  return `±${pct.toFixed(1)} %`
}

/** An interval of times: `[1.02 ms, 1.10 ms]`. */
export function formatTimeInterval(ci: Interval | undefined): string {
  if (ci === undefined) return NO_VALUE
  return `[${formatNs(ci.low)}, ${formatNs(ci.high)}]`
}

/** A threshold without trailing zeros: `5 %`, `2.5 %`. */
export function formatThreshold(pct: number): string {
  return `${Number(pct.toFixed(2))} %`
}

/** The verdict with its icon, for Markdown: `🔴 regressed`. */
export function verdictLabel(verdict: CaseVerdict): string {
  return `${VERDICT_ICON[verdict]} ${verdict}`
}

/** A count with the verdict's icon: `⚪ 35 unchanged`. */
export function verdictCount(verdict: CaseVerdict, count: number): string {
  return `${VERDICT_ICON[verdict]} ${count} ${verdict}`
}

/**
 * An id cut to `maxChars` characters in the middle: ids of one bench share
 * their start and differ at the end (`…/K16/1`, `…/K16/2`), so both ends stay.
 */
export function shortenId(id: string, maxChars: number): string {
  const chars = [...id]
  if (chars.length <= maxChars) return id
  const tail = Math.floor((maxChars - 1) / 2)
  const head = maxChars - 1 - tail
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`
}

/** Said after the head's commit when the checkout had uncommitted changes. */
export const UNCOMMITTED = '+ uncommitted changes'

/** The head as the reports name it: `cce53eb`, or `cce53eb + uncommitted changes`. */
export function headText(result: { headSha: string; headDirty?: boolean }): string {
  return `${shortSha(result.headSha)}${result.headDirty === true ? ` ${UNCOMMITTED}` : ''}`
}

/** The head in Markdown: `<code>cce53eb</code>`, then ` + uncommitted changes` when dirty. */
export function headMarkdown(result: { headSha: string; headDirty?: boolean }): string {
  const sha = markdownCode(shortSha(result.headSha))
  return result.headDirty === true ? `${sha} ${UNCOMMITTED}` : sha
}

/** The first seven characters, as GitHub shows commits. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7)
}

/**
 * Untrusted prose for Markdown inline context. Beyond `escapeMarkdownText`, a
 * word joiner follows each `@`: GitHub finds mentions in the rendered text, where
 * the escaping backslash is gone, so `\@team` alone would still notify the team.
 * Text inside `<code>` needs none of this: GitHub never links mentions in code.
 */
export function markdownProse(text: string): string {
  return escapeMarkdownText(text).replace(/@/g, '@\u2060')
}

function signed(value: number, decimals = 1): string {
  const text = value.toFixed(decimals)
  // -0.04 rounds to "-0.0", which reads as a change where there is none.
  if (Number(text) === 0) return (0).toFixed(decimals)
  return value > 0 ? `+${text}` : text
}
