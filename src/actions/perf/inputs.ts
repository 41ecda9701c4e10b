/** Translates action-perf's inputs (then the reference env vars and threshold file) into settings. */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import * as core from '@actions/core'
import { checkArtifactName } from '../../core/github/artifact.js'
import { InputError } from '../../core/shared/errors.js'
import { settingReader } from '../../core/shared/setting-reader.js'
import {
  COMMENT_MODES,
  resolvePerfSettings,
  type CommentMode,
  type PerfSettings
} from '../../core/perf/settings.js'
import { inputSource } from '../input-source.js'
import { perfIdentity, type PerfIdentity } from '../../core/perf/publish/identity.js'
import { PERF_INPUTS } from './constants.js'
import { readTrackInputs, refuseTrackInputs, type TrackInputs } from './track-inputs.js'

/** Settings plus the options only the action has. */
export interface PerfInputs {
  settings: PerfSettings
  /** Set in mode track: where the history is and the tracking issue. */
  track?: TrackInputs
  commentMode: CommentMode
  /** Publish a check run (needs checks: write). */
  checkRun: boolean
  /** Empty: no upload. */
  artifactName: string
  /** The pull request of a `pull_request` event, if any. */
  pullRequestNumber: number | undefined
  /** This step's check-run name and comment key. */
  identity: PerfIdentity
}

/** Reads and validates every input; throws InputError naming the bad one. */
export async function readPerfInputs(env: NodeJS.ProcessEnv = process.env): Promise<PerfInputs> {
  const event = readEvent(env)
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
  const pr = event.pull_request as { number?: number; base?: { sha?: string } } | undefined
  const declared = inputSource(PERF_INPUTS)
  const mode = core.getInput('mode').trim()
  // Track measures as a snapshot does.
  const source =
    mode === 'track'
      ? { ...declared, get: (n: string) => (n === 'mode' ? 'snapshot' : declared.get(n)) }
      : declared
  const settings = await resolvePerfSettings(source, env, workspace, workspace, {
    ...(pr?.base?.sha ? { pullRequestBaseSha: pr.base.sha } : {})
  })
  if (mode !== 'track') refuseTrackInputs(source, settings.mode)
  const track =
    mode === 'track' ? readTrackInputs(source, env, workspace, settings.metric, event) : undefined
  const checkRun = settingReader(source, {}, env).bool('check-run', true)
  const artifactName = core.getInput('artifact-name').trim()
  checkArtifactName(artifactName, source.describe('artifact-name'))
  const comment = core.getInput('comment').trim() || 'always'
  if (!(COMMENT_MODES as readonly string[]).includes(comment)) {
    throw new InputError(
      `Invalid input 'comment': '${comment}'. Expected one of: ${COMMENT_MODES.join(', ')}.`
    )
  }
  const identity = perfIdentity(env, {
    name: core.getInput('name'),
    matrix: core.getInput('matrix'),
    bench: settings.bench,
    workingDirectory: relative(settings.repoRoot, settings.workingDirectory) || '.',
    metric: settings.metric
  })
  return {
    settings,
    ...(track ? { track } : {}),
    commentMode: comment as CommentMode,
    checkRun,
    artifactName,
    pullRequestNumber: pr?.number,
    identity
  }
}

function readEvent(env: NodeJS.ProcessEnv): Record<string, unknown> {
  if (!env.GITHUB_EVENT_PATH) return {}
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>
  } catch {
    return {}
  }
}
