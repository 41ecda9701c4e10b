/**
 * `mode: merge`: in a job that `needs:` the shards' matrix, every shard's
 * artifact of this run is downloaded and their results documents (checked
 * against the schema) are merged into one document; a missing or failed
 * shard fails the merge, named.
 */
import { join } from 'node:path'
import { downloadRunArtifacts } from '../../core/github/run-artifacts.js'
import { InputError } from '../../core/shared/errors.js'
import type { Logger } from '../../core/shared/logger.js'
import { claimOutputDirectory } from '../../core/shared/paths.js'
import { mergeShardResults } from '../../core/layers/merge.js'
import { TEST_OUTPUT_OWNER } from '../../core/layers/preflight.js'
import { readTestResults, writeTestResults } from '../../core/layers/results-file.js'
import type { TestRunResult } from '../../core/layers/results.js'
import { isShardArtifact, shardArtifactName } from '../../core/layers/shard.js'
import type { MergeInputs } from './inputs.js'

/**
 * Downloads and merges the shards' results, and writes the merged `results.json`.
 * @throws InputError when no shard artifact is found, or a document is not a shard's.
 */
export async function mergeShardArtifacts(
  inputs: MergeInputs,
  logger: Logger
): Promise<TestRunResult> {
  claimOutputDirectory(inputs.outputDir, inputs.outputDirFrom, TEST_OUTPUT_OWNER)
  const base = inputs.artifactName
  const downloaded = await downloadRunArtifacts(
    name => isShardArtifact(base, name),
    join(inputs.outputDir, 'shards'),
    logger
  )
  if (downloaded.length === 0) {
    throw new InputError(
      `No shard results to merge: this run has no artifact named '${base}-shard-K-of-N'. Run the matrix jobs with 'shard: K/N' and the same 'artifact-name' ('${base}'), and make this job need them.`
    )
  }
  const docs = downloaded.map(d => ({
    source: `artifact '${d.name}'`,
    result: readTestResults(join(d.directory, 'results.json'))
  }))
  const merged = mergeShardResults(docs, {
    outputDir: inputs.outputDir,
    expectedSource: (index, total) => `artifact '${shardArtifactName(base, { index, total })}'`
  })
  writeTestResults(merged)
  return merged
}
