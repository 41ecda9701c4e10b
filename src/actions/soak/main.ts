/**
 * action-soak: reads inputs, runs the soak loop, publishes the renderings.
 * Cancellation (SIGINT, then SIGTERM 7.5 s later, then a kill 2.5 s after
 * that) stops the running cargo with its process tree; the partial results,
 * the summary, the outputs and the artifact follow inside that window.
 */
import { readdirSync } from 'node:fs'
import { join, sep } from 'node:path'
import * as core from '@actions/core'
import { actionsLogger } from '../actions-logger.js'
import { uploadArtifact } from '../../core/github/artifact.js'
import { errorMessage, InputError } from '../../core/shared/errors.js'
import {
  createGitHubClient,
  MAX_BODY_CHARS,
  repoFromEnv,
  runUrlFromEnv
} from '../../core/github/client.js'
import { renderSoakSummary, soakVerdict } from '../../core/soak/render/summary.js'
import { writeSoakReports } from '../../core/soak/reports.js'
import { runSoak } from '../../core/soak/run.js'
import { resolveSoakSettings } from '../../core/soak/settings.js'
import { settingReader } from '../../core/shared/setting-reader.js'
import { syncTrackingIssue } from '../../core/github/tracking-issue.js'
import { inputSource } from '../input-source.js'
import { SOAK_INPUTS } from './constants.js'

/** Runs action-soak; any thrown error fails the step with its message. */
export async function run(): Promise<void> {
  try {
    const env = process.env
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
    const source = inputSource(SOAK_INPUTS)
    const settings = await resolveSoakSettings(source, env, workspace, workspace)
    const publishing = settingReader(source, {}, env)
    const tracking = publishing.bool('tracking-issue', false)
    const title = publishing.string('issue-title', '').trim()
    const label = publishing.string('issue-label', '').trim()
    if (tracking && (title === '' || label === '' || label.includes(','))) {
      throw new InputError(
        `Invalid input 'issue-title' / 'issue-label': with tracking-issue true both must be set, and the label must be one label name without commas (e.g. 'soak-failure').`
      )
    }
    const logger = actionsLogger()
    const cancel = new AbortController()
    // Every signal, not just the first: the runner sends SIGINT, then SIGTERM; both must be caught
    // or Node's default handler would end the process before the partial results are out.
    const onSignal = (name: string) => (): void => {
      if (!cancel.signal.aborted)
        logger.warning(`${name}: stopping the soak, keeping what it measured.`)
      cancel.abort()
    }
    process.on('SIGINT', onSignal('SIGINT'))
    process.on('SIGTERM', onSignal('SIGTERM'))
    const result = await runSoak(settings, {
      logger,
      signal: cancel.signal,
      onSave: r => void writeSoakReports(r)
    })
    const reports = writeSoakReports(result)
    core.info(reports.console)
    await core.summary.addRaw(reports.summary).write()
    core.setOutput('result', result.passed ? 'success' : 'failure')
    core.setOutput('cycles', String(result.cycles.length))
    core.setOutput(
      'failures',
      result.failures
        .map(f => `${f.cycle === 0 ? 'post-check' : `cycle ${f.cycle}`}: ${f.id}`)
        .join('\n')
    )
    core.setOutput('drift', result.drift.verdict)
    core.setOutput('csv-path', result.csvPath)
    core.setOutput('results-path', reports.jsonPath)
    core.setOutput('summary-path', reports.markdownPath)
    if (result.drift.verdict === 'drifted' && settings.driftAction === 'warn') {
      core.warning(`soak drift: ${result.drift.message}`)
    }
    const artifactName = core.getInput('artifact-name').trim()
    if (artifactName !== '') {
      await uploadArtifact(
        {
          name: artifactName,
          rootDirectory: result.metricsDir,
          // The perf snapshots' copied bench binaries and raw Criterion trees stay behind.
          files: filesUnder(result.metricsDir).filter(
            f =>
              !f.startsWith(join(settings.perf.outDir, 'bin') + sep) &&
              !f.startsWith(join(settings.perf.outDir, 'runs') + sep)
          )
        },
        logger
      )
    }
    // A cancelled soak says nothing about the code: its issue is neither opened nor closed.
    if (tracking && !result.cancelled) {
      const repo = repoFromEnv(env)
      const token = core.getInput('token')
      if (!repo || !token) {
        logger.warning('Skipped the tracking issue: no GITHUB_REPOSITORY or no token.')
      } else {
        const runUrl = runUrlFromEnv(env) ?? '(run link unavailable)'
        let body = renderSoakSummary(result, { cyclesTable: false })
        // Leave room for the run link the issue adds.
        if (body.length > MAX_BODY_CHARS - 1000) {
          body = `## ❌ soak: ${soakVerdict(result)}\n\nThe full report did not fit an issue; it is in the run's summary and artifact.`
        }
        await syncTrackingIssue({
          octokit: createGitHubClient(token, env),
          ...repo,
          title,
          label,
          failed: !result.passed,
          body,
          runUrl,
          logger
        })
      }
    }
    if (result.cancelled) core.setFailed('The soak was cancelled; its partial results were kept.')
    else if (!result.passed) core.setFailed(`soak: ${soakVerdict(result)}`)
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile() && !e.name.endsWith('.tmp'))
    .map(e => join(e.parentPath, e.name))
}
