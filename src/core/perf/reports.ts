/**
 * Writes the on-disk renderings of a perf run next to its JSON: the job
 * summary (report.md), the PR comment body and the console report.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderPerfComment } from './render/comment.js'
import { renderPerfConsole } from './render/console.js'
import { renderPerfSummary } from './render/summary.js'
import type { PerfRunResult } from './results.js'

/** Paths and texts of the renderings. */
export interface PerfReports {
  jsonPath: string
  markdownPath: string
  summary: string
  console: string
  /** PR comment body (compare only). */
  comment?: string
}

/** Renders and writes the reports; `runUrl` links the comment to the run. */
export function writePerfReports(result: PerfRunResult, runUrl?: string): PerfReports {
  const jsonPath = join(
    result.outputDir,
    result.mode === 'compare' ? 'compare.json' : 'snapshot.json'
  )
  const markdownPath = join(result.outputDir, 'report.md')
  const summary = renderPerfSummary(result)
  const consoleText = renderPerfConsole(result)
  writeFileSync(markdownPath, summary)
  writeFileSync(join(result.outputDir, 'report.txt'), consoleText)
  const comment =
    result.mode === 'compare' ? renderPerfComment(result, runUrl ? { runUrl } : {}) : undefined
  if (comment) writeFileSync(join(result.outputDir, 'comment.md'), comment)
  return { jsonPath, markdownPath, summary, console: consoleText, ...(comment ? { comment } : {}) }
}
