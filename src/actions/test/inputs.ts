/** Translates action-test's inputs (then the reference env vars) into settings. */
import { isAbsolute, resolve } from 'node:path'
import * as core from '@actions/core'
import { checkArtifactName } from '../../core/github/artifact.js'
import { InputError } from '../../core/shared/errors.js'
import { settingReader } from '../../core/shared/setting-reader.js'
import { resolveTestSettings, type TestSettings } from '../../core/layers/settings.js'
import { inputSource } from '../input-source.js'
import { TEST_INPUTS } from './constants.js'

/** Settings plus the options only the action has. */
export interface TestInputs {
  kind: 'run'
  settings: TestSettings
  /** Empty: no upload. */
  artifactName: string
  annotate: boolean
}

/** `mode: merge`: one verdict over the shards of a matrix, from their artifacts. */
export interface MergeInputs {
  kind: 'merge'
  /** The shards' artifact name (`artifact-name`), each uploaded as `<name>-shard-K-of-N-attempt-A`. */
  artifactName: string
  outputDir: string
  /** How the user named `output-dir`, for errors found on disk. */
  outputDirFrom: string
  repoRoot: string
  annotate: boolean
}

/** Reads and validates every input; throws InputError naming the bad one. */
export function readTestInputs(env: NodeJS.ProcessEnv = process.env): TestInputs | MergeInputs {
  const source = inputSource(TEST_INPUTS)
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
  const publishing = settingReader(source, {}, env)
  const artifactName = core.getInput('artifact-name').trim()
  checkArtifactName(artifactName, source.describe('artifact-name'))
  const annotate = publishing.bool('annotations', true)
  if (core.getInput('mode').trim() === 'merge') {
    if (artifactName === '') {
      throw new InputError(
        "Invalid input 'artifact-name': '' with mode 'merge'. Expected the artifact name the shards were given (each uploads <name>-shard-K-of-N-attempt-A), e.g. 'mace-test-results'."
      )
    }
    refuseRunOnlyInputs()
    const out = publishing.string('output-dir', 'target/mace-actions/test-merged')
    return {
      kind: 'merge',
      artifactName,
      outputDir: isAbsolute(out) ? out : resolve(workspace, out),
      outputDirFrom: source.describe('output-dir'),
      repoRoot: workspace,
      annotate
    }
  }
  const settings = resolveTestSettings(source, env, workspace, workspace)
  return { kind: 'run', settings, artifactName, annotate }
}

/**
 * A merge runs nothing, so an input that only shapes a run (most often a
 * `shard` copied from the matrix job) is a mistake, not something to ignore.
 * @throws InputError naming the first such input set.
 */
function refuseRunOnlyInputs(): void {
  for (const name of ['shard', 'archive-file']) {
    const value = core.getInput(name).trim()
    if (value !== '') {
      throw new InputError(
        `Invalid input '${name}': '${value}' with mode 'merge'. A merge runs no test: it reads every shard's artifact. Expected '${name}' empty in the merge job (set it in the matrix jobs).`
      )
    }
  }
}
