/**
 * The parts of a failed attempt's job-summary detail beyond its failing tests: what the
 * log showed last when the command timed out or crashed, panics of non-test threads no
 * test could be given, and the selected tests that never ran.
 */
import type { Attempt, AttemptEvidence, CaseResult, PanicSummary } from '../results.js'
import { notRunCause, notRunText, OUTCOME_FACTS, caseLabel } from './case-facts.js'
import {
  codeBlock,
  details,
  escapeHtml,
  escapeMarkdownText,
  htmlCode,
  markdownCode
} from '../../shared/markdown.js'
import { clipMiddle, firstLine, formatLocation, plural, truncate } from '../../shared/text.js'
import type { SummaryDetail } from './summary-failures.js'

/** The evidence of a timeout or crash, as Markdown paragraphs (none when there is none). */
export function evidenceParts(
  evidence: AttemptEvidence | undefined,
  detail: SummaryDetail
): string[] {
  if (evidence === undefined) return []
  const parts: string[] = []
  const panic = evidence.lastPanic
  if (panic !== undefined) {
    parts.push(`Last panic in the log: ${panicHead(panic)}`)
    if (detail.folded) parts.push(codeBlock(clipMiddle(panic.message, detail.messageChars)))
  }
  if (detail.folded && evidence.logTail.trim() !== '') {
    parts.push(
      'End of the log:',
      codeBlock(clipMiddle(evidence.logTail, detail.outputChars || 600))
    )
  }
  return parts
}

/** The last panic as one line, for a compact summary. */
export function evidenceLine(evidence: AttemptEvidence | undefined, detail: SummaryDetail): string {
  const panic = evidence?.lastPanic
  if (panic === undefined) return ''
  const said = escapeMarkdownText(truncate(firstLine(panic.message), detail.messageChars))
  return `; last panic in the log: ${panicHead(panic)}: ${said}`
}

/** One block for the panics of non-test threads an attempt could give no test. */
export function unattributedBlock(
  testCase: CaseResult,
  attempt: Attempt,
  detail: SummaryDetail
): string[] {
  const panics = attempt.unattributedPanics ?? []
  if (panics.length === 0) return []
  const what = `${plural(panics.length, 'panic')} of threads that are not tests, given to no test`
  if (!detail.folded) {
    const first = panics[0] as PanicSummary
    const said = escapeMarkdownText(truncate(firstLine(first.message), detail.messageChars))
    return [
      `- ⚠️ ${markdownCode(caseLabel(testCase))} ${what}; first: ${panicHead(first)}: ${said}`
    ]
  }
  const body = panics
    .map(
      panic => `${panicHead(panic)}\n\n${codeBlock(clipMiddle(panic.message, detail.messageChars))}`
    )
    .join('\n\n')
  const why =
    'Several tests were running, so the panic cannot be pinned on one; ' +
    'no failed test joined it (a `join().unwrap()` of `Any { .. }`).'
  return [details(`⚠️ ${htmlCode(caseLabel(testCase))} · ${escapeHtml(what)}`, `${why}\n\n${body}`)]
}

/** One line for the selected tests that never ran, with why and in which targets. */
export function notRunBlock(
  testCase: CaseResult,
  attempt: Attempt,
  detail: SummaryDetail
): string[] {
  const text = notRunText(attempt)
  if (text === '') return []
  const notRun = attempt.tests.filter(test => test.outcome === 'not-run')
  const cause = notRunCause(attempt)
  const why = cause === undefined ? '' : ` (${cause} before they ran)`
  const head = `${OUTCOME_FACTS['not-run'].icon} ${markdownCode(caseLabel(testCase))} ${escapeMarkdownText(text + why)}`
  if (!detail.folded) return [`- ${head}`]
  const perTarget = new Map<string, number>()
  for (const test of notRun)
    perTarget.set(test.target ?? '?', (perTarget.get(test.target ?? '?') ?? 0) + 1)
  const targets = [...perTarget].map(([target, count]) => `${markdownCode(target)} (${count})`)
  return [`- ${head}: ${targets.join(', ')}`]
}

/** `thread '<unnamed>' at `tests/h.rs:3:35` (target h)`. */
function panicHead(panic: PanicSummary): string {
  const at =
    panic.location === undefined ? '' : ` at ${markdownCode(formatLocation(panic.location))}`
  const target = panic.target === undefined ? '' : ` (target ${markdownCode(panic.target)})`
  return `thread ${markdownCode(panic.thread)}${at}${target}`
}
