/**
 * Writes the on-disk renderings of a test run next to its results document:
 * JUnit XML, the job summary Markdown and the console report.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderConsoleReport } from './render/console-report.js'
import { renderJobSummary } from './render/job-summary.js'
import { renderJUnit } from './render/junit.js'
import { resultsPath } from './results-file.js'
import type { TestRunResult } from './results.js'

/** Paths and texts of the renderings. */
export interface TestReports {
  resultsPath: string
  junitPath: string
  summaryPath: string
  summary: string
  console: string
}

/** Renders and writes JUnit, summary and console report. */
export function writeTestReports(result: TestRunResult): TestReports {
  const junitPath = join(result.outputDir, 'junit.xml')
  const summaryPath = join(result.outputDir, 'summary.md')
  const summary = renderJobSummary(result)
  const consoleText = renderConsoleReport(result)
  writeFileSync(junitPath, renderJUnit(result))
  writeFileSync(summaryPath, summary)
  writeFileSync(join(result.outputDir, 'report.txt'), consoleText)
  return {
    resultsPath: resultsPath(result.outputDir),
    junitPath,
    summaryPath,
    summary,
    console: consoleText
  }
}
