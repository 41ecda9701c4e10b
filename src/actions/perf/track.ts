/**
 * action-perf `mode: track`: the commit's snapshot added to the history on the
 * history branch, the summary, the outputs, the artifact, and the tracking
 * issue of new lasting slowdowns.
 */
import * as core from '@actions/core'
import { uploadArtifact } from '../../core/github/artifact.js'
import { announceShifts } from '../../core/history/publish.js'
import { writeTrackReports } from '../../core/history/reports.js'
import { runPerfTrack } from '../../core/history/track.js'
import type { PerfSettings } from '../../core/perf/settings.js'
import type { Logger } from '../../core/shared/logger.js'
import { filesUnder } from '../files-under.js'
import type { TrackInputs } from './track-inputs.js'
import { join, sep } from 'node:path'

/** Runs track mode; a failed snapshot (nothing measured) fails the step. */
export async function runTrackMode(
  settings: PerfSettings,
  track: TrackInputs,
  artifactName: string,
  logger: Logger,
  signal: AbortSignal
): Promise<void> {
  const env = process.env
  const result = await runPerfTrack(settings, track.history, { logger, signal, env })
  const reports = writeTrackReports(result)
  core.info(reports.console)
  await core.summary.addRaw(reports.summary).write()
  core.setOutput('result', result.passed ? 'success' : 'failure')
  core.setOutput('regressed', '0')
  core.setOutput('compared', String(Object.keys(result.added[0]?.cases ?? {}).length))
  core.setOutput('summary-json', reports.jsonPath)
  core.setOutput('report-md', reports.markdownPath)
  core.setOutput('shifts', String(result.shifts.filter(s => s.new).length))
  if (artifactName !== '') {
    const left = [join(settings.outDir, 'bin') + sep, join(settings.outDir, 'runs') + sep]
    await uploadArtifact(
      {
        name: artifactName,
        rootDirectory: settings.outDir,
        files: filesUnder(settings.outDir).filter(f => !left.some(dir => f.startsWith(dir)))
      },
      logger
    )
  }
  await announceShifts(result, {
    ...track.tracking,
    env,
    ...(track.history.commitUrl ? { commitUrl: track.history.commitUrl } : {}),
    logger
  })
  if (!result.passed) core.setFailed(`perf track failed: ${result.reasons.join(' ')}`)
}
