/**
 * Publishes a perf run on GitHub: annotations, the sticky PR comment, a
 * check run and the artifact. Each is optional and degrades to a warning
 * (a fork's read-only token, no artifact service): the verdict stands on
 * the measurement alone.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { uploadArtifact } from '../../github/artifact.js'
import { publishCheckRun, type CheckConclusion } from '../../github/check-run.js'
import { perfIdentity, type PerfIdentity } from './identity.js'
import { createGitHubClient, repoFromEnv } from '../../github/client.js'
import type { Logger } from '../../shared/logger.js'
import type { PerfReports } from '../reports.js'
import { outcomeOf, type PerfCompareResult, type PerfRunResult } from '../results.js'
import type { CommentMode } from '../settings.js'
import { emitAnnotations, type AnnotationSink } from '../../shared/annotations.js'
import { checkRunAnnotations, planPerfAnnotations } from '../render/annotations.js'
import { renderCheckRunOutput } from '../render/check.js'
import { upsertStickyComment } from '../../github/sticky-comment.js'

/** What publishing needs besides the result. */
export interface PublishOptions {
  logger: Logger
  env: NodeJS.ProcessEnv
  token: string
  commentMode: CommentMode
  checkRun: boolean
  pullRequestNumber: number | undefined
  artifactName: string
  annotate: AnnotationSink
  /** Repository path check-run annotations point at (perf cases have no line: the bench source). */
  annotationPath: string
  /** This step's check-run name and sticky-comment key (identity.ts), one per step and leg. */
  identity?: PerfIdentity
}

/** Annotations, comment, check run and artifact, each best-effort. */
export async function publishPerfReports(
  result: PerfRunResult,
  reports: PerfReports,
  o: PublishOptions
): Promise<void> {
  if (result.mode === 'compare') {
    const identity = o.identity ?? perfIdentity(o.env, {})
    emitAnnotations(planPerfAnnotations(result), o.annotate)
    const repo = repoFromEnv(o.env)
    const octokit = o.token && repo ? createGitHubClient(o.token, o.env) : undefined
    // on-regression: post when the gate fails; when it passes, only refresh an earlier comment.
    const createComment =
      o.commentMode === 'always' || (o.commentMode === 'on-regression' && !result.passed)
    const refreshComment = o.commentMode === 'on-regression' && result.passed
    if (
      octokit &&
      repo &&
      (createComment || refreshComment) &&
      o.pullRequestNumber !== undefined &&
      reports.comment
    ) {
      await upsertStickyComment({
        octokit,
        ...repo,
        issueNumber: o.pullRequestNumber,
        marker: identity.commentKey,
        body: reports.comment,
        logger: o.logger,
        createIfMissing: createComment
      })
    }
    if (octokit && repo && o.checkRun) {
      const output = renderCheckRunOutput(result)
      await publishCheckRun({
        octokit,
        ...repo,
        headSha: o.env.GITHUB_SHA ?? result.headSha,
        name: identity.checkName,
        conclusion: checkConclusion(result),
        ...output,
        annotations: checkRunAnnotations(result, o.annotationPath),
        logger: o.logger
      })
    }
  }
  if (o.artifactName !== '') {
    await uploadArtifact(
      {
        name: o.artifactName,
        rootDirectory: result.outputDir,
        files: reportFiles(result.outputDir)
      },
      o.logger
    )
  }
}

/**
 * The check run's conclusion: `neutral` when the compare passed without judging every case (an
 * inconclusive case, or a bench the base does not have), never `success` over such a compare.
 */
export function checkConclusion(result: PerfCompareResult): CheckConclusion {
  if (result.cancelled === true) return 'cancelled'
  if (!result.passed) return 'failure'
  if (outcomeOf(result) === 'not-judged') return 'neutral'
  if (result.baseHasNoBench === true && result.counts.compared === 0) return 'neutral'
  return 'success'
}

/** Summaries, reports and logs; not Criterion's raw per-run directories nor the binaries. */
function reportFiles(dir: string): string[] {
  const skip = [join(dir, 'runs'), join(dir, 'bin')]
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map(e => join(e.parentPath, e.name))
    .filter(p => !skip.some(s => p.startsWith(s)))
    .filter(p => statSync(p).isFile())
}
