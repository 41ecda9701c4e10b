/**
 * The sticky PR comment of a compare: a compact verdict, the cases that
 * changed or could not be judged, the unchanged ones folded, and a link to
 * the run. GitHub refuses a comment over 65,536 characters, so the body stays
 * within `MAX_PERF_COMMENT_CHARS`, leaving room for the marker the poster adds.
 */
import type { PerfCompareResult } from '../results.js'
import { markdownCode } from '../../shared/markdown.js'
import { clipToBudget, countChars, paragraphs } from './fit.js'
import { headMarkdown, markdownProse, shortSha } from './format.js'
import { compareHeading, reasonsBlock, warningsBlock } from './header.js'
import { metricOf } from './metric.js'
import { renderComparisonTables } from './table.js'
import { countsText, gateBrief, gateMeaning } from './verdict.js'

/** Options of `renderPerfComment`. */
export interface PerfCommentOptions {
  /** The workflow run, linked at the end for the full results. */
  runUrl?: string
  /** Subject of the verdict heading (default `perf gate`), e.g. to tell matrix jobs apart. */
  title?: string
}

/** Most characters a comment body takes: GitHub's 65,536 less room for the hidden marker. */
export const MAX_PERF_COMMENT_CHARS = 65_000

/** The comment body Markdown, at most `MAX_PERF_COMMENT_CHARS` characters. */
export function renderPerfComment(
  result: PerfCompareResult,
  options: PerfCommentOptions = {}
): string {
  const budget = MAX_PERF_COMMENT_CHARS - 1 // the final newline
  const link = runLink(options.runUrl)
  const hint = link === undefined ? 'see the job summary' : `see the [run](${link})`
  const head = paragraphs(
    compareHeading(result, options.title),
    facts(result),
    result.passed ? '' : reasonsBlock(result.reasons),
    warningsBlock(result.warnings)
  )
  const foot = paragraphs(
    `_${gateMeaning(result)}_`,
    link === undefined ? '' : `[Job summary, logs and the full results](${link})`
  )
  const fixed = countChars(paragraphs(head, foot)) + 4 // the gaps around the tables
  const tables =
    result.cases.length === 0
      ? '_No benchmark case to show._'
      : renderComparisonTables(
          result.cases,
          { budget: budget - fixed, measure: countChars, moreHint: hint },
          metricOf(result)
        ).markdown
  return `${clipToBudget(paragraphs(head, tables, foot), budget, countChars)}\n`
}

// Compact: the refs and gate on one line, the counts on the next.
function facts(result: PerfCompareResult): string {
  const refs = `**Base** ${markdownCode(result.baseRef)} at ${markdownCode(shortSha(result.baseSha))} → **Head** ${headMarkdown(result)}`
  return `${refs} · ${markdownProse(gateBrief(result))}  \n**Cases** ${countsText(result.counts)}`
}

// Only a web address goes into the link, with the characters that could end
// a Markdown link destination percent-encoded.
function runLink(runUrl: string | undefined): string | undefined {
  if (runUrl === undefined || runUrl === '') return undefined
  try {
    const url = new URL(runUrl)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
    return url.href.replace(/[()<>\s]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  } catch {
    return undefined
  }
}
