/** action-test: reads inputs, runs the core, publishes the renderings. */
import * as core from '@actions/core'
import { actionsLogger } from '../actions-logger.js'
import { uploadArtifact } from '../../core/github/artifact.js'
import { errorMessage } from '../../core/shared/errors.js'
import { emitAnnotations } from '../../core/shared/annotations.js'
import { planAnnotations } from '../../core/test/render/annotations.js'
import { writeTestReports } from '../../core/test/reports.js'
import { runTestLayers } from '../../core/test/run.js'
import { filesUnder } from '../files-under.js'
import { readTestInputs } from './inputs.js'

/** Runs action-test; any thrown error fails the step with its message. */
export async function run(): Promise<void> {
  try {
    const { settings, artifactName, annotate } = readTestInputs()
    const logger = actionsLogger()
    const cancel = new AbortController()
    const onSignal = (): void => cancel.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    const result = await runTestLayers(settings, { logger, signal: cancel.signal })
    const reports = writeTestReports(result)
    core.info(reports.console)
    await core.summary.addRaw(reports.summary).write()
    if (annotate) emitAnnotations(planAnnotations(result), core)
    core.setOutput('result', result.passed ? 'success' : 'failure')
    core.setOutput('failed', String(result.failures.length))
    core.setOutput('failures', result.failures.join('\n'))
    core.setOutput('flaky', result.flaky.join('\n'))
    core.setOutput('results-path', reports.resultsPath)
    core.setOutput('junit-path', reports.junitPath)
    if (artifactName !== '') {
      await uploadArtifact(
        {
          name: artifactName,
          rootDirectory: result.outputDir,
          files: filesUnder(result.outputDir)
        },
        logger
      )
    }
    if (result.cancelled) core.setFailed('The test run was cancelled; partial results were kept.')
    else if (!result.passed) core.setFailed(`Failed: ${result.failures.join(', ')}`)
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}
