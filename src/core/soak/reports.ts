/**
 * Writes the soak's readable reports next to its JSON in the metrics
 * directory: the summary (Markdown, with the chart) and the console report.
 * Called after every step, so a killed job still leaves them on disk.
 */
import { writeFileAtomic } from '../shared/atomic-file.js'
import { join } from 'node:path'
import { renderSoakConsole, renderSoakSummary } from './render/summary.js'
import type { SoakResult } from './results.js'
import { soakResultsPath } from './run.js'

/** Paths and texts of the renderings. */
export interface SoakReports {
  jsonPath: string
  markdownPath: string
  summary: string
  console: string
}

/** Renders and writes the reports (each file replaced whole, never half-written). */
export function writeSoakReports(result: SoakResult): SoakReports {
  const markdownPath = join(result.metricsDir, 'soak-summary.md')
  const summary = renderSoakSummary(result)
  const consoleText = renderSoakConsole(result)
  writeFileAtomic(markdownPath, summary)
  writeFileAtomic(join(result.metricsDir, 'soak-report.txt'), consoleText)
  return {
    jsonPath: soakResultsPath(result.metricsDir),
    markdownPath,
    summary,
    console: consoleText
  }
}
