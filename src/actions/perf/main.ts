/** action-perf: reads inputs, runs the perf core, publishes the renderings. */
import { join, relative } from 'node:path'
import * as core from '@actions/core'
import { actionsLogger } from '../actions-logger.js'
import { errorMessage } from '../../core/shared/errors.js'
import { publishPerfReports } from '../../core/perf/publish/publish.js'
import { writePerfReports } from '../../core/perf/reports.js'
import { renderStoppedCompareSummary } from '../../core/perf/render/running.js'
import { outcomeOf, type PerfRunning } from '../../core/perf/results.js'
import { runPerfCompare, runPerfSnapshot } from '../../core/perf/run.js'
import { RunningMark } from '../../core/shared/running-mark.js'
import { readPerfInputs } from './inputs.js'
import { isReportMode, runPerfReport } from './report.js'
import { runTrackMode } from './track.js'

/** Runs action-perf; any thrown error fails the step with its message. */
export async function run(): Promise<void> {
  try {
    const env = process.env
    if (isReportMode()) return await runPerfReport(env, actionsLogger())
    const { settings, track, commentMode, checkRun, artifactName, pullRequestNumber, identity } =
      await readPerfInputs(env)
    const logger = actionsLogger()
    // Every signal, not just the first: the runner sends SIGINT, then SIGTERM 7.5 s later, and
    // Node's default handler would end the step before the summary and the artifact are out.
    const cancel = new AbortController()
    process.on('SIGINT', () => cancel.abort())
    process.on('SIGTERM', () => cancel.abort())
    if (track) return await runTrackMode(settings, track, artifactName, logger, cancel.signal)
    const running = new RunningMark<Omit<PerfRunning, 'startedAt'>>(cancel.signal)
    const deps = { logger, signal: cancel.signal, running }
    const result =
      settings.mode === 'snapshot'
        ? await runPerfSnapshot(settings, deps)
        : await runPerfCompare(settings, deps).catch(async (error: unknown) => {
            // A stopped compare has no result to render, but its summary says what was running.
            if (cancel.signal.aborted) {
              const text = renderStoppedCompareSummary(
                running.current,
                errorMessage(error),
                Date.now()
              )
              await core.summary.addRaw(text).write()
            }
            throw error
          })
    const reports = writePerfReports(result)
    core.info(reports.console)
    await core.summary.addRaw(reports.summary).write()
    core.setOutput('result', result.passed ? 'success' : 'failure')
    core.setOutput(
      'outcome',
      result.mode === 'compare' ? outcomeOf(result) : result.passed ? 'pass' : 'fail'
    )
    core.setOutput('regressed', result.mode === 'compare' ? String(result.counts.regressed) : '0')
    core.setOutput(
      'compared',
      result.mode === 'compare' ? String(result.counts.compared) : String(result.count)
    )
    core.setOutput('summary-json', reports.jsonPath)
    core.setOutput('report-md', reports.markdownPath)
    await publishPerfReports(result, reports, {
      logger,
      env,
      token: core.getInput('token'),
      commentMode,
      checkRun,
      pullRequestNumber,
      artifactName,
      annotate: core,
      identity,
      annotationPath: relative(
        settings.repoRoot,
        join(settings.workingDirectory, 'benches', `${settings.bench}.rs`)
      )
    })
    if (result.cancelled === true) {
      core.setFailed(`perf ${result.mode} was cancelled; what it measured was kept.`)
    } else if (!result.passed) {
      core.setFailed(`perf ${result.mode} failed: ${result.reasons.join(' ')}`)
    }
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}
