/**
 * Writes the readable reports of `perf track` next to its `track.json`: the
 * job summary (`report.md`) and the console report (`report.txt`).
 */
import { join } from 'node:path'
import { writeFileAtomic } from '../shared/atomic-file.js'
import { renderTrackConsole, renderTrackSummary } from './render/summary.js'
import type { TrackResult } from './results.js'

/** Paths and texts of the renderings. */
export interface TrackReports {
  jsonPath: string
  markdownPath: string
  summary: string
  console: string
}

/** Renders and writes the reports (each file replaced whole, never half-written). */
export function writeTrackReports(result: TrackResult): TrackReports {
  const markdownPath = join(result.outputDir, 'report.md')
  const summary = renderTrackSummary(result)
  const consoleText = renderTrackConsole(result)
  writeFileAtomic(markdownPath, summary)
  writeFileAtomic(join(result.outputDir, 'report.txt'), consoleText)
  return {
    jsonPath: join(result.outputDir, 'track.json'),
    markdownPath,
    summary,
    console: consoleText
  }
}
