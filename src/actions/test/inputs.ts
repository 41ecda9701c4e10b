/** Translates action-test's inputs (then the reference env vars) into settings. */
import * as core from '@actions/core'
import { checkArtifactName } from '../../core/github/artifact.js'
import { settingReader } from '../../core/shared/setting-reader.js'
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
  const publishing = settingReader(source, {}, env)
  const artifactName = core.getInput('artifact-name').trim()
  checkArtifactName(artifactName, source.describe('artifact-name'))
  return { settings, artifactName, annotate: publishing.bool('annotations', true) }
}
