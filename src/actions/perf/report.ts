/**
 * action-perf `mode: report`: the inputs report mode reads, and its run. Nothing is built or
 * measured: the triggering run's compare is published on its pull request.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as core from '@actions/core'
import { checkArtifactName } from '../../core/github/artifact.js'
import { reportTriggeringRun } from '../../core/perf/publish/report-mode.js'
import { COMMENT_MODES, PERF_MODES, type CommentMode } from '../../core/perf/settings.js'
import { InputError } from '../../core/shared/errors.js'
import type { Logger } from '../../core/shared/logger.js'
import { settingReader } from '../../core/shared/setting-reader.js'
import { inputSource } from '../input-source.js'
import { perfIdentity, type PerfIdentity } from '../../core/perf/publish/identity.js'
import { outcomeOf } from '../../core/perf/results.js'
import { PERF_INPUTS } from './constants.js'

/** The modes the `mode` input takes: the measuring ones, track, and report. */
export const ACTION_PERF_MODES = [...PERF_MODES, 'track', 'report'] as const

/** What report mode reads. */
export interface PerfReportInputs {
  artifactName: string
  commentMode: CommentMode
  checkRun: boolean
  token: string
  /** Where check-run annotations point, relative to the repository root. */
  annotationPath: string
  /** The check-run name and comment key, from this report step's own inputs, never the artifact. */
  identity: PerfIdentity
}

/**
 * True when the `mode` input is `report`.
 * @throws InputError when it is none of the modes action-perf takes.
 */
export function isReportMode(): boolean {
  const mode = core.getInput('mode').trim()
  if (mode !== '' && !(ACTION_PERF_MODES as readonly string[]).includes(mode)) {
    throw new InputError(
      `Invalid input 'mode': '${mode}'. Expected one of: ${ACTION_PERF_MODES.join(', ')}.`
    )
  }
  return mode === 'report'
}

/** Reads and checks report mode's inputs; throws InputError naming a bad one. */
export function readPerfReportInputs(env: NodeJS.ProcessEnv = process.env): PerfReportInputs {
  const source = inputSource(PERF_INPUTS)
  const artifactName = core.getInput('artifact-name').trim()
  if (artifactName === '') {
    throw new InputError(
      "Invalid input 'artifact-name': empty. Mode report downloads the measuring run's artifact: expected the artifact-name of its action-perf step, e.g. 'mace-perf-results' (the default)."
    )
  }
  checkArtifactName(artifactName, source.describe('artifact-name'))
  const comment = core.getInput('comment').trim() || 'always'
  if (!(COMMENT_MODES as readonly string[]).includes(comment)) {
    throw new InputError(
      `Invalid input 'comment': '${comment}'. Expected one of: ${COMMENT_MODES.join(', ')}.`
    )
  }
  const checkRun = settingReader(source, {}, env).bool('check-run', true)
  const bench = core.getInput('bench').trim() || env.MACE_PERF_BENCH || 'perf'
  if (!/^[A-Za-z0-9_-]+$/.test(bench)) {
    throw new InputError(
      `Invalid input 'bench': '${bench}'. Expected a bench target name (letters, digits, _ and -), e.g. perf.`
    )
  }
  const workingDirectory = core.getInput('working-directory').trim() || '.'
  return {
    artifactName,
    commentMode: comment as CommentMode,
    checkRun,
    token: core.getInput('token'),
    annotationPath: join(workingDirectory, 'benches', `${bench}.rs`),
    identity: perfIdentity(env, {
      name: core.getInput('name'),
      matrix: core.getInput('matrix'),
      bench,
      workingDirectory,
      artifactName
    })
  }
}

/** Publishes the triggering run's compare; outputs as a compare sets them, plus pull-request. */
export async function runPerfReport(env: NodeJS.ProcessEnv, logger: Logger): Promise<void> {
  const inputs = readPerfReportInputs(env)
  const outcome = await reportTriggeringRun({
    ...inputs,
    env,
    eventPayload: readEventPayload(env),
    logger,
    annotate: core
  })
  const { result, reports } = outcome
  await core.summary.addRaw(reports.summary).write()
  core.setOutput('result', result.passed ? 'success' : 'failure')
  core.setOutput('outcome', outcomeOf(result))
  core.setOutput('regressed', String(result.counts.regressed))
  core.setOutput('compared', String(result.counts.compared))
  core.setOutput('summary-json', reports.jsonPath)
  core.setOutput('report-md', reports.markdownPath)
  core.setOutput(
    'pull-request',
    outcome.pullRequest === undefined ? '' : String(outcome.pullRequest)
  )
}

function readEventPayload(env: NodeJS.ProcessEnv): unknown {
  if (!env.GITHUB_EVENT_PATH) return {}
  return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as unknown
}
