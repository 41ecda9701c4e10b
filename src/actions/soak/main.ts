/**
 * action-soak: reads inputs, runs the soak loop, publishes the renderings.
 * Cancellation (SIGINT, then SIGTERM 7.5 s later, then a kill 2.5 s after
 * that) stops the running cargo with its process tree; the partial results,
 * the summary, the outputs and the artifact follow inside that window.
 */
import * as core from '@actions/core'
import { emitAnnotations } from '../../core/shared/annotations.js'
import { errorMessage } from '../../core/shared/errors.js'
import type { Logger } from '../../core/shared/logger.js'
import { soakVerdict } from '../../core/soak/render/summary.js'
import { writeSoakReports } from '../../core/soak/reports.js'
import { runSoak } from '../../core/soak/run.js'
import { actionsLogger } from '../actions-logger.js'
import { readSoakInputs } from './inputs.js'
import {
  planSoakAnnotations,
  setSoakOutputs,
  updateTrackingIssue,
  uploadSoakArtifact
} from './publish.js'

/** Runs action-soak; any thrown error fails the step with its message. */
export async function run(): Promise<void> {
  try {
    const env = process.env
    const { settings, tracking, artifactName } = await readSoakInputs(env)
    const logger = actionsLogger()
    const cancel = cancelOnEverySignal(logger)
    const result = await runSoak(settings, {
      logger,
      signal: cancel.signal,
      onSave: r => void writeSoakReports(r)
    })
    const reports = writeSoakReports(result)
    core.info(reports.console)
    await core.summary.addRaw(reports.summary).write()
    setSoakOutputs(result, reports)
    emitAnnotations(planSoakAnnotations(result, settings.test.repoRoot), core)
    if (result.drift.verdict === 'drifted' && settings.driftAction === 'warn') {
      core.warning(`soak drift: ${result.drift.message}`)
    }
    if (artifactName !== '') await uploadSoakArtifact(artifactName, result, settings, logger)
    await updateTrackingIssue(result, tracking, env, logger)
    if (result.cancelled) core.setFailed('The soak was cancelled; its partial results were kept.')
    else if (!result.passed) core.setFailed(`soak: ${soakVerdict(result)}`)
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}

/**
 * Aborts on every signal, not just the first: the runner sends SIGINT, then
 * SIGTERM; both must be caught or Node's default handler would end the
 * process before the partial results are out.
 */
function cancelOnEverySignal(logger: Logger): AbortController {
  const cancel = new AbortController()
  const onSignal = (name: string) => (): void => {
    if (!cancel.signal.aborted)
      logger.warning(`${name}: stopping the soak, keeping what it measured.`)
    cancel.abort()
  }
  process.on('SIGINT', onSignal('SIGINT'))
  process.on('SIGTERM', onSignal('SIGTERM'))
  return cancel
}
