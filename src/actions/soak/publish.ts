/**
 * What action-soak publishes once the loop has stopped: its outputs, the
 * artifact of the metrics directory and the tracking issue.
 */
import { join, sep } from 'node:path'
import * as core from '@actions/core'
import { uploadArtifact } from '../../core/github/artifact.js'
import {
  createGitHubClient,
  MAX_BODY_CHARS,
  repoFromEnv,
  runUrlFromEnv
} from '../../core/github/client.js'
import { syncTrackingIssue } from '../../core/github/tracking-issue.js'
import type { Logger } from '../../core/shared/logger.js'
import { renderSoakSummary, soakVerdict } from '../../core/soak/render/summary.js'
import type { SoakReports } from '../../core/soak/reports.js'
import type { SoakResult, SoakStep } from '../../core/soak/results.js'
import { planAnnotations } from '../../core/layers/render/annotations.js'
import { readTestResults } from '../../core/layers/results-file.js'
import { mergeAnnotationPlans, type AnnotationPlan } from '../../core/shared/annotations.js'
import type { SoakSettings } from '../../core/soak/settings.js'
import { filesUnder } from '../files-under.js'
import type { TrackingInputs } from './inputs.js'

/**
 * Annotations of a soak: each failed test of every cycle at its `file:line`,
 * and each flaky case as a warning, as action-test annotates them (titles
 * start with the cycle), read from the cycles' own results documents; a
 * failed perf snapshot as an error of its own. Within GitHub's caps, with a
 * notice for the rest.
 */
export function planSoakAnnotations(result: SoakResult, repoRoot: string): AnnotationPlan {
  const labelled =
    result.failures.length === 0 && result.flaky.length === 0 ? [] : notableSteps(result)
  return mergeAnnotationPlans(
    labelled.map(({ cycle, step }) => ({
      label: cycle === 0 ? 'post-check' : `cycle ${cycle}`,
      plan: stepPlan(result, step, repoRoot)
    })),
    "the soak's job summary"
  )
}

/** Steps with a failure (those cut short after one too) or a flaky case. */
function notableSteps(result: SoakResult): { cycle: number; step: SoakStep }[] {
  const steps = [
    ...result.cycles.flatMap(c => c.steps.map(step => ({ cycle: c.cycle, step }))),
    ...(result.postCheck ? [{ cycle: 0, step: result.postCheck }] : [])
  ]
  return steps.filter(
    ({ step }) =>
      (!step.passed && (!step.interrupted || step.failures.length > 0)) ||
      (step.flaky?.length ?? 0) > 0
  )
}

/** A step's own annotations: its test run's, or one error for a failed snapshot. */
function stepPlan(result: SoakResult, step: SoakStep, repoRoot: string): AnnotationPlan {
  if (step.kind !== 'perf') {
    try {
      return planAnnotations(readTestResults(join(result.metricsDir, step.results)), repoRoot)
    } catch {
      // A step whose document cannot be read still gets its failure said, below.
    }
  }
  const message = step.message ?? `failed: ${step.failures.join(', ')}; see ${step.results}`
  return {
    annotations: [{ level: 'error', title: `${step.kind} failed`, message }],
    notAnnotated: 0
  }
}

/** Sets the outputs declared in action.yml from the results and their reports. */
export function setSoakOutputs(result: SoakResult, reports: SoakReports): void {
  core.setOutput('result', result.passed ? 'success' : 'failure')
  core.setOutput('cycles', String(result.cycles.length))
  core.setOutput(
    'failures',
    result.failures
      .map(f => `${f.cycle === 0 ? 'post-check' : `cycle ${f.cycle}`}: ${f.id}`)
      .join('\n')
  )
  core.setOutput(
    'flaky',
    result.flaky
      .map(f => `${f.cycle === 0 ? 'post-check' : `cycle ${f.cycle}`}: ${f.id}`)
      .join('\n')
  )
  core.setOutput('drift', result.drift.verdict)
  core.setOutput('csv-path', result.csvPath)
  core.setOutput('results-path', reports.jsonPath)
  core.setOutput('summary-path', reports.markdownPath)
}

/** Uploads the metrics directory, without the snapshots' bench binaries and raw Criterion trees. */
export async function uploadSoakArtifact(
  name: string,
  result: SoakResult,
  settings: SoakSettings,
  logger: Logger
): Promise<void> {
  const left = [join(settings.perf.outDir, 'bin') + sep, join(settings.perf.outDir, 'runs') + sep]
  await uploadArtifact(
    {
      name,
      rootDirectory: result.metricsDir,
      files: filesUnder(result.metricsDir).filter(f => !left.some(dir => f.startsWith(dir)))
    },
    logger
  )
}

/**
 * Opens, comments on or closes the tracking issue for this soak's verdict.
 * A cancelled soak says nothing about the code: its issue is left as it is.
 */
export async function updateTrackingIssue(
  result: SoakResult,
  tracking: TrackingInputs,
  env: NodeJS.ProcessEnv,
  logger: Logger
): Promise<void> {
  if (!tracking.enabled || result.cancelled) return
  const repo = repoFromEnv(env)
  if (!repo || !tracking.token) {
    logger.warning('Skipped the tracking issue: no GITHUB_REPOSITORY or no token.')
    return
  }
  const runUrl = runUrlFromEnv(env) ?? '(run link unavailable)'
  let body = renderSoakSummary(result, { cyclesTable: false })
  // Leave room for the run link the issue adds.
  if (body.length > MAX_BODY_CHARS - 1000) {
    body = `## ❌ soak: ${soakVerdict(result)}\n\nThe full report did not fit an issue; it is in the run's summary and artifact.`
  }
  await syncTrackingIssue({
    octokit: createGitHubClient(tracking.token, env),
    ...repo,
    title: tracking.title,
    label: tracking.label,
    failed: !result.passed,
    body,
    runUrl,
    logger
  })
}
