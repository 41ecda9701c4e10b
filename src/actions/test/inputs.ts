/** Translates action-test's inputs (then the reference env vars) into settings. */
import * as core from '@actions/core'
import { InputError } from '../../core/shared/errors.js'
import { resolveTestSettings, type TestSettings } from '../../core/test/settings.js'
import { inputSource } from '../input-source.js'
import { TEST_INPUTS } from './constants.js'

/** Settings plus the options only the action has. */
export interface TestInputs {
  settings: TestSettings
  /** Empty: no upload. */
  artifactName: string
  annotate: boolean
}

/** Reads and validates every input; throws InputError naming the bad one. */
export function readTestInputs(env: NodeJS.ProcessEnv = process.env): TestInputs {
  const source = inputSource(TEST_INPUTS)
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
  const settings = resolveTestSettings(source, env, workspace, workspace)
  const annotations = core.getInput('annotations').trim() || 'true'
  if (annotations !== 'true' && annotations !== 'false') {
    throw new InputError(`Invalid input 'annotations': '${annotations}'. Expected true or false.`)
  }
  return {
    settings,
    artifactName: core.getInput('artifact-name').trim(),
    annotate: annotations === 'true'
  }
}
