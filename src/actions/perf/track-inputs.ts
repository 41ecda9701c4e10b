/**
 * action-perf `mode: track`: the history inputs and the tracking issue's. Track
 * writes the default branch's history, so a pull request's run is refused: its
 * numbers are not the default branch's (SPEC §3), and its token cannot push.
 */
import * as core from '@actions/core'
import type { PerfMetric } from '../../core/perf/results.js'
import {
  DEFAULT_HISTORY_BRANCH,
  resolveHistorySettings,
  type HistorySettings
} from '../../core/history/settings.js'
import { InputError } from '../../core/shared/errors.js'
import { settingReader, type SettingSource } from '../../core/shared/setting-reader.js'

/** Inputs only track mode reads. */
export const TRACK_ONLY_INPUTS = [
  'history-branch',
  'history-dir',
  'shift-pct',
  'history-max-points'
]

/** What track mode reads beyond the snapshot's settings. */
export interface TrackInputs {
  history: HistorySettings
  tracking: { enabled: boolean; title: string; label: string; token: string }
}

/** Events whose runs must not write the default branch's history. */
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target']

/**
 * Reads track mode's inputs; warns when a push is not to the default branch.
 * @throws InputError on a pull request's event, or a bad history or issue input.
 */
export function readTrackInputs(
  source: SettingSource,
  env: NodeJS.ProcessEnv,
  workspace: string,
  metric: PerfMetric,
  event: { ref?: string; repository?: { default_branch?: string } }
): TrackInputs {
  const name = env.GITHUB_EVENT_NAME ?? ''
  if (PULL_REQUEST_EVENTS.includes(name)) {
    throw new InputError(
      `Invalid input 'mode': 'track' on a ${name} event. Track adds the commit to the default branch's history, which a pull request's numbers must not enter (and its token cannot push): run it on push to the default branch or on a schedule, and use mode compare on pull requests.`
    )
  }
  const defaultBranch = event.repository?.default_branch
  if (
    name === 'push' &&
    defaultBranch &&
    event.ref &&
    event.ref !== `refs/heads/${defaultBranch}`
  ) {
    core.warning(
      `mode track on a push to ${event.ref}, not to the default branch ${defaultBranch}: its point goes into the same history. Limit the workflow to 'branches: [${defaultBranch}]', or give this branch its own history-branch.`
    )
  }
  const history = resolveHistorySettings(source, workspace, {
    branch: DEFAULT_HISTORY_BRANCH,
    repoRoot: workspace,
    metric,
    env
  })
  const r = settingReader(source, {}, env)
  const enabled = r.bool('tracking-issue', true)
  const title = r.string('issue-title', '').trim()
  const label = r.string('issue-label', '').trim()
  if (enabled && (title === '' || label === '' || label.includes(','))) {
    throw new InputError(
      `Invalid input 'issue-title' / 'issue-label': with tracking-issue true both must be set, and the label must be one label name without commas (e.g. 'perf-shift').`
    )
  }
  return { history, tracking: { enabled, title, label, token: core.getInput('token') } }
}

/**
 * @throws InputError when an input only track reads is set in another mode (it would do nothing).
 */
export function refuseTrackInputs(source: SettingSource, mode: string): void {
  const set = TRACK_ONLY_INPUTS.find(name => (source.get(name) ?? '').trim() !== '')
  if (set !== undefined) {
    throw new InputError(
      `Invalid ${source.describe(set)}: it applies to mode track only, not to mode ${mode}.`
    )
  }
}
