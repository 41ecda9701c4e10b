/**
 * `mode: merge`: in a job that `needs:` the shards' matrix, the newest
 * attempt of every shard's artifact of this run is downloaded (a re-run
 * shard's results replace its first attempt's, and the merge says so) and
 * their results documents (checked against the schema) are merged into one
 * document; a missing or failed shard fails the merge, named.
 */
import { join } from 'node:path'
import { downloadRunArtifacts, listRunArtifacts } from '../../core/github/run-artifacts.js'
import { InputError } from '../../core/shared/errors.js'
import type { Logger } from '../../core/shared/logger.js'
import { claimOutputDirectory } from '../../core/shared/paths.js'
import { mergeShardResults } from '../../core/layers/merge.js'
import { TEST_OUTPUT_OWNER } from '../../core/layers/preflight.js'
import { readTestResults, writeTestResults } from '../../core/layers/results-file.js'
import type { TestRunResult } from '../../core/layers/results.js'
import type { MergeInputs } from './inputs.js'
import {
  describeAttempts,
  newestAttempts,
  parseShardArtifact,
  runAttempt,
  shardArtifactName,
  shardArtifactPattern
} from './shard-artifacts.js'

/**
 * Downloads and merges the shards' results, and writes the merged `results.json`.
 * @throws InputError when no shard artifact is found, or a document is not a shard's.
 */
export async function mergeShardArtifacts(
  inputs: MergeInputs,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env
): Promise<TestRunResult> {
  claimOutputDirectory(inputs.outputDir, inputs.outputDirFrom, TEST_OUTPUT_OWNER)
  const base = inputs.artifactName
  const listed = await listRunArtifacts(env)
  const shards = listed.flatMap(a => {
    const shard = parseShardArtifact(base, a.name)
    return shard ? [{ ...shard, id: a.id, size: a.size }] : []
  })
  if (shards.length === 0) {
    throw new InputError(
      `No shard results to merge: this run has no artifact named '${shardArtifactPattern(base)}'. Run the matrix jobs with 'shard: K/N' and the same 'artifact-name' ('${base}'), and make this job need them.`
    )
  }
  const mergeAttempt = runAttempt(env)
  const picked = newestAttempts(shards)
  const attempts = describeAttempts(picked, mergeAttempt)
  if (attempts) logger.info(attempts)
  const taken = picked.taken
  const downloaded = await downloadRunArtifacts(taken, join(inputs.outputDir, 'shards'), logger)
  const docs = downloaded.map((d, i) => ({
    source: `artifact '${d.name}'`,
    attempt: taken[i]!.attempt,
    result: readTestResults(join(d.directory, 'results.json'))
  }))
  const merged = mergeShardResults(docs, {
    outputDir: inputs.outputDir,
    // A shard that stored nothing in any attempt: name what its job would have stored.
    expectedSource: (index, total) =>
      mergeAttempt === 1
        ? `artifact '${shardArtifactName(base, { index, total }, 1)}'`
        : `artifact '${base}-shard-${index}-of-${total}-attempt-A' of any attempt A`
  })
  if (attempts) merged.notes.push({ level: 'notice', message: attempts })
  writeTestResults(merged)
  return merged
}
