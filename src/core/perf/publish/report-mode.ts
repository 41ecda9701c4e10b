/**
 * action-perf's `report` mode: in a workflow triggered by `workflow_run`, publish the compare
 * that the triggering run measured (its artifact) on the pull request, from the base
 * repository's trusted context, where a fork's pull request has only a read-only token. The
 * pull request and the commit come from the event; the artifact, which the pull request's code
 * could have written, is size-capped, checked against the results schema and only rendered
 * (every renderer escapes what it shows).
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { createGitHubClient, repoFromEnv } from '../../github/client.js'
import { fetchRunArtifact } from '../../github/workflow-run-artifact.js'
import {
  findPullRequest,
  readTriggeringRun,
  type TriggeringRun
} from '../../github/workflow-run.js'
import type { AnnotationSink } from '../../shared/annotations.js'
import { InputError } from '../../shared/errors.js'
import type { Logger } from '../../shared/logger.js'
import { publishPerfReports } from './publish.js'
import type { PerfIdentity } from './identity.js'
import { writePerfReports, type PerfReports } from '../reports.js'
import { readPerfResults } from '../results-file.js'
import type { PerfCompareResult } from '../results.js'
import type { CommentMode } from '../settings.js'

/** The artifact (zip) is refused above this: a compare's reports and logs are a few MB. */
export const MAX_REPORT_ARTIFACT_BYTES = 100 * 1024 * 1024
/** compare.json is refused above this: tens of thousands of cases fit in a few MB. */
export const MAX_REPORT_DOCUMENT_BYTES = 16 * 1024 * 1024
/**
 * The artifact may list at most this many files: a compare's logs are one per round and side, a
 * few hundred at most. Only compare.json is unpacked, at most MAX_REPORT_DOCUMENT_BYTES of it,
 * counted while it streams.
 */
export const MAX_REPORT_ARTIFACT_ENTRIES = 10_000

/** What report mode needs: the event, the token, and what to publish. */
export interface PerfReportRequest {
  /** GITHUB_EVENT_NAME, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_SERVER_URL, RUNNER_TEMP… */
  env: NodeJS.ProcessEnv
  /** The event payload (GITHUB_EVENT_PATH, parsed). */
  eventPayload: unknown
  /** Needs actions: read, and pull-requests: write and checks: write to publish. */
  token: string
  artifactName: string
  commentMode: CommentMode
  checkRun: boolean
  /** Repository path check-run annotations point at (the bench source). */
  annotationPath: string
  /** The check-run name and comment key: the report step's own, never the artifact's. */
  identity?: PerfIdentity
  logger: Logger
  annotate: AnnotationSink
}

/** What was reported, and where. */
export interface PerfReportOutcome {
  run: TriggeringRun
  result: PerfCompareResult
  reports: PerfReports
  /** The pull request commented on; undefined when none matched the run's head. */
  pullRequest: number | undefined
}

/**
 * Downloads the triggering run's artifact, renders its compare and publishes the comment, check
 * run and annotations on the run's pull request and commit.
 * @throws InputError for an event other than workflow_run, no token, or an artifact that is
 * missing or holds no compare; Error for an artifact over the size caps or a failed download.
 */
export async function reportTriggeringRun(req: PerfReportRequest): Promise<PerfReportOutcome> {
  const run = readTriggeringRun(req.env.GITHUB_EVENT_NAME, req.eventPayload)
  const repo = repoFromEnv(req.env)
  if (!repo) throw new Error('GITHUB_REPOSITORY is not set: report mode runs in a GitHub workflow.')
  if (req.token === '') {
    throw new InputError(
      "Invalid input 'token': empty. Expected a token with actions: read (the artifact), pull-requests: write and checks: write, e.g. the default ${{ github.token }}."
    )
  }
  req.logger.info(
    `perf report: run ${run.id} of '${run.workflow}' (${run.event}), head ${run.headRepository}@${run.headSha.slice(0, 12)}`
  )
  const octokit = createGitHubClient(req.token, req.env)
  const artifact = await fetchRunArtifact({
    octokit,
    repo,
    runId: run.id,
    name: req.artifactName,
    nameFrom: "input 'artifact-name'",
    parentDir: req.env.RUNNER_TEMP || process.cwd(),
    maxBytes: MAX_REPORT_ARTIFACT_BYTES,
    wanted: ['compare.json'],
    unzip: { maxEntries: MAX_REPORT_ARTIFACT_ENTRIES, maxBytes: MAX_REPORT_DOCUMENT_BYTES },
    logger: req.logger,
    env: req.env
  })
  const result = readReportedCompare(artifact.directory, req.artifactName)
  const match = await findPullRequest(octokit, repo, run, req.logger)
  if (match.number === undefined) {
    if (match.failed) req.logger.warning(`No comment: ${match.reason}.`)
    else req.logger.info(`No comment: ${match.reason}.`)
  }
  const server = (req.env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const reports = writePerfReports(
    result,
    `${server}/${repo.owner}/${repo.repo}/actions/runs/${run.id}`
  )
  await publishPerfReports(result, reports, {
    logger: req.logger,
    // The check run goes on the measured commit, which GITHUB_SHA names in the measuring run.
    env: { ...req.env, GITHUB_SHA: run.headSha },
    token: req.token,
    commentMode: req.commentMode,
    checkRun: req.checkRun,
    pullRequestNumber: match.number,
    artifactName: '',
    annotate: req.annotate,
    annotationPath: req.annotationPath,
    ...(req.identity ? { identity: req.identity } : {})
  })
  return { run, result, reports, pullRequest: match.number }
}

/**
 * The compare in a downloaded artifact (`compare.json` at its root), size-capped and checked
 * against the schema; its renderings are written beside it.
 */
function readReportedCompare(directory: string, artifactName: string): PerfCompareResult {
  const path = join(directory, 'compare.json')
  const size = statSync(path, { throwIfNoEntry: false })?.size
  if (size === undefined) {
    throw new InputError(
      `The artifact '${artifactName}' (input 'artifact-name') holds no compare.json. Expected the artifact of an action-perf step in mode compare: a snapshot is not reported on a pull request.`
    )
  }
  if (size > MAX_REPORT_DOCUMENT_BYTES) {
    throw new Error(
      `compare.json of the artifact '${artifactName}' is ${size} bytes, over the ${MAX_REPORT_DOCUMENT_BYTES} this step reads: not reported.`
    )
  }
  const result = readPerfResults(path)
  if (result.mode !== 'compare') {
    throw new InputError(
      `compare.json of the artifact '${artifactName}' (input 'artifact-name') is a ${result.mode} document; expected a compare.`
    )
  }
  // Its outputDir is a path on the measuring runner: the renderings go here.
  return { ...result, outputDir: directory }
}
