/** action-test: reads inputs, runs the core (or merges a matrix's shards), publishes the renderings. */
import * as core from '@actions/core'
import { uploadArtifact } from '../../core/github/artifact.js'
import { emitAnnotations } from '../../core/shared/annotations.js'
import { errorMessage } from '../../core/shared/errors.js'
import type { Logger } from '../../core/shared/logger.js'
import { planAnnotations } from '../../core/layers/render/annotations.js'
import { writeTestReports } from '../../core/layers/reports.js'
import type { TestRunResult } from '../../core/layers/results.js'
import { runTestLayers } from '../../core/layers/run.js'
import { shardArtifactName } from '../../core/layers/shard.js'
import { actionsLogger } from '../actions-logger.js'
import { filesUnder } from '../files-under.js'
import { readTestInputs } from './inputs.js'
import { mergeShardArtifacts } from './merge.js'

/** Runs action-test; any thrown error fails the step with its message. */
export async function run(): Promise<void> {
  try {
    const inputs = readTestInputs()
    const logger = actionsLogger()
    const cancel = new AbortController()
    const onSignal = (): void => cancel.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    const result =
      inputs.kind === 'merge'
        ? await mergeShardArtifacts(inputs, logger)
        : await runTestLayers(inputs.settings, { logger, signal: cancel.signal })
    const repoRoot = inputs.kind === 'merge' ? inputs.repoRoot : inputs.settings.repoRoot
    await publish(result, repoRoot, inputs.annotate, logger)
    // A shard's artifact is named for its share, so a merge job can find every one.
    const base = inputs.artifactName
    const name =
      base !== '' && inputs.kind === 'run' && inputs.settings.shard
        ? shardArtifactName(base, inputs.settings.shard)
        : base
    if (name !== '') {
      await uploadArtifact(
        { name, rootDirectory: result.outputDir, files: filesUnder(result.outputDir) },
        logger
      )
    }
    if (result.cancelled) core.setFailed('The test run was cancelled; partial results were kept.')
    else if (!result.passed) core.setFailed(`Failed: ${result.failures.join(', ')}`)
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}

/** The renderings on GitHub: console, job summary, annotations, outputs. */
async function publish(
  result: TestRunResult,
  repoRoot: string,
  annotate: boolean,
  logger: Logger
): Promise<void> {
  const reports = writeTestReports(result)
  logger.info(reports.console)
  await core.summary.addRaw(reports.summary).write()
  if (annotate) emitAnnotations(planAnnotations(result, repoRoot), core)
  core.setOutput('result', result.passed ? 'success' : 'failure')
  core.setOutput('failed', String(result.failures.length))
  core.setOutput('failures', result.failures.join('\n'))
  core.setOutput('flaky', result.flaky.join('\n'))
  core.setOutput('results-path', reports.resultsPath)
  core.setOutput('junit-path', reports.junitPath)
}
