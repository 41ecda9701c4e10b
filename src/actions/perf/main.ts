/** action-perf: reads inputs, runs the perf core, publishes the renderings. */
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import * as core from '@actions/core'
import { actionsLogger } from '../actions-logger.js'
import { errorMessage, InputError } from '../../core/shared/errors.js'
import { publishPerfReports } from '../../core/perf/publish.js'
import { writePerfReports } from '../../core/perf/reports.js'
import { runPerfCompare, runPerfSnapshot } from '../../core/perf/run.js'
import { resolvePerfSettings } from '../../core/perf/settings.js'
import { COMMENT_MODES, type CommentMode } from '../../core/perf/settings.js'
import { checkArtifactName } from '../../core/github/artifact.js'
import { settingReader } from '../../core/shared/setting-reader.js'
import { inputSource } from '../input-source.js'
import { PERF_INPUTS } from './constants.js'

/** Runs action-perf; any thrown error fails the step with its message. */
export async function run(): Promise<void> {
  try {
    const env = process.env
    const event = readEvent(env)
    const source = inputSource(PERF_INPUTS)
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
    const pr = event.pull_request as { number?: number; base?: { sha?: string } } | undefined
    const settings = await resolvePerfSettings(source, env, workspace, workspace, {
      ...(pr?.base?.sha ? { pullRequestBaseSha: pr.base.sha } : {})
    })
    const publishing = settingReader(source, {}, env)
    const checkRun = publishing.bool('check-run', true)
    const artifactName = core.getInput('artifact-name').trim()
    checkArtifactName(artifactName, source.describe('artifact-name'))
    const comment = core.getInput('comment').trim() || 'always'
    if (!(COMMENT_MODES as readonly string[]).includes(comment)) {
      throw new InputError(
        `Invalid input 'comment': '${comment}'. Expected one of: ${COMMENT_MODES.join(', ')}.`
      )
    }
    const logger = actionsLogger()
    const cancel = new AbortController()
    process.once('SIGINT', () => cancel.abort())
    process.once('SIGTERM', () => cancel.abort())
    const deps = { logger, signal: cancel.signal }
    const result =
      settings.mode === 'snapshot'
        ? await runPerfSnapshot(settings, deps)
        : await runPerfCompare(settings, deps)
    const reports = writePerfReports(result)
    core.info(reports.console)
    await core.summary.addRaw(reports.summary).write()
    core.setOutput('result', result.passed ? 'success' : 'failure')
    core.setOutput('regressed', result.mode === 'compare' ? String(result.counts.regressed) : '0')
    core.setOutput(
      'compared',
      result.mode === 'compare' ? String(result.counts.compared) : String(result.count)
    )
    core.setOutput('summary-json', reports.jsonPath)
    core.setOutput('report-md', reports.markdownPath)
    await publishPerfReports(result, reports, {
      logger,
      env,
      token: core.getInput('token'),
      commentMode: comment as CommentMode,
      checkRun,
      pullRequestNumber: pr?.number,
      artifactName,
      annotate: core,
      annotationPath: relative(
        settings.repoRoot,
        join(settings.workingDirectory, 'benches', `${settings.bench}.rs`)
      )
    })
    if (!result.passed) core.setFailed(`perf ${result.mode} failed: ${result.reasons.join(' ')}`)
  } catch (error) {
    core.setFailed(errorMessage(error))
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
