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
import { shardLabel } from '../../core/layers/shard.js'
import { actionsLogger } from '../actions-logger.js'
import { filesUnder } from '../files-under.js'
import { readTestInputs, type MergeInputs, type TestInputs } from './inputs.js'
import { mergeShardArtifacts } from './merge.js'
import { runAttempt, shardArtifactName } from './shard-artifacts.js'

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
    const stored = await storeResults(inputs, result, logger)
    if (result.cancelled) core.setFailed('The test run was cancelled; partial results were kept.')
    else if (!result.passed) core.setFailed(`Failed: ${result.failures.join(', ')}`)
    if (stored) core.setFailed(stored)
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}

/**
 * Uploads the results artifact. A shard's is named for its share and run attempt, so a merge job
 * finds every one and a re-run stores beside the first attempt; and for a shard the upload is
 * the result: a failed one is returned as the reason the step fails.
 */
async function storeResults(
  inputs: TestInputs | MergeInputs,
  result: TestRunResult,
  logger: Logger
): Promise<string | undefined> {
  const base = inputs.artifactName
  const shard = inputs.kind === 'run' ? inputs.settings.shard : undefined
  const name = base !== '' && shard ? shardArtifactName(base, shard, runAttempt()) : base
  if (name === '') return undefined
  const files = filesUnder(result.outputDir)
  const upload = await uploadArtifact(
    { name, rootDirectory: result.outputDir, files, required: shard !== undefined },
    logger
  )
  if (!shard || upload.status !== 'failed') return undefined
  return `Shard ${shardLabel(shard)} could not store its results as artifact '${name}': ${upload.reason}. The merge job reads them from there, so it cannot judge this shard; they stay in ${result.outputDir}. Re-run this job.`
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
