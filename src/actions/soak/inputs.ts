/** Translates action-soak's inputs (then the reference env vars) into settings. */
import * as core from '@actions/core'
import { checkArtifactName } from '../../core/github/artifact.js'
import { checkTrackingIssueNames } from '../../core/github/tracking-issue.js'
import { InputError } from '../../core/shared/errors.js'
import { settingReader } from '../../core/shared/setting-reader.js'
import { resolveSoakSettings, type SoakSettings } from '../../core/soak/settings.js'
import { DEFAULT_HISTORY_BRANCH } from '../../core/history/settings.js'
import { inputSource } from '../input-source.js'
import { SOAK_INPUTS } from './constants.js'

/** The tracking issue's inputs; `enabled` false means no issue is touched. */
export interface TrackingInputs {
  enabled: boolean
  title: string
  label: string
  token: string
}

/** Settings plus the options only the action has. */
export interface SoakInputs {
  settings: SoakSettings
  tracking: TrackingInputs
  /** Empty: no upload. */
  artifactName: string
}

/** Reads and validates every input; throws InputError naming the bad one. */
export async function readSoakInputs(env: NodeJS.ProcessEnv = process.env): Promise<SoakInputs> {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
  const source = inputSource(SOAK_INPUTS)
  const settings = await resolveSoakSettings(source, env, workspace, workspace, {
    historyBranch: DEFAULT_HISTORY_BRANCH
  })
  const event = env.GITHUB_EVENT_NAME ?? ''
  if (settings.history && ['pull_request', 'pull_request_target'].includes(event)) {
    throw new InputError(
      `Invalid input 'history': true on a ${event} event. The history holds the default branch's nights, which a pull request's soak must not enter: run the soak with history on a schedule, or set history false here.`
    )
  }
  const publishing = settingReader(source, {}, env)
  const enabled = publishing.bool('tracking-issue', false)
  const title = publishing.string('issue-title', '').trim()
  const label = publishing.string('issue-label', '').trim()
  if (enabled && (title === '' || label === '' || label.includes(','))) {
    throw new InputError(
      `Invalid input 'issue-title' / 'issue-label': with tracking-issue true both must be set, and the label must be one label name without commas (e.g. 'soak-failure').`
    )
  }
  if (enabled) {
    checkTrackingIssueNames(
      { value: title, from: source.describe('issue-title') },
      { value: label, from: source.describe('issue-label') }
    )
  }
  const artifactName = core.getInput('artifact-name').trim()
  checkArtifactName(artifactName, source.describe('artifact-name'))
  return {
    settings,
    tracking: { enabled, title, label, token: core.getInput('token') },
    artifactName
  }
}
