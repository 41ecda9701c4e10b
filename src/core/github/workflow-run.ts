/**
 * The run a `workflow_run` workflow reports on, and its pull request. A fork's pull request runs
 * with a read-only token, so a second workflow, triggered by `workflow_run` in the base
 * repository's trusted context, publishes for it. Everything here comes from the event GitHub
 * wrote (the run's id, head SHA and head repository), never from the run's artifacts, which the
 * pull request's code could have written.
 */
import { InputError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import type { GitHubClient, RepoRef } from './client.js'
import { describeRequestFailure } from './request-failure.js'

/** The triggering run, as the `workflow_run` event payload describes it. */
export interface TriggeringRun {
  /** The run's id (`workflow_run.id`): whose artifacts to download. */
  id: number
  /** The measured commit (`workflow_run.head_sha`, 40 hex digits). */
  headSha: string
  /** The branch it ran on (`workflow_run.head_branch`): in the fork, for a fork's pull request. */
  headBranch: string
  /** `owner/repo` of the head (`workflow_run.head_repository.full_name`). */
  headRepository: string
  /** What triggered it (`workflow_run.event`), e.g. `pull_request`. */
  event: string
  /** The triggering workflow's name, for messages. */
  workflow: string
}

interface Payload {
  workflow_run?: {
    id?: unknown
    head_sha?: unknown
    head_branch?: unknown
    event?: unknown
    name?: unknown
    head_repository?: { full_name?: unknown } | null
  }
}

/**
 * Reads the triggering run from a `workflow_run` event (`eventName` is GITHUB_EVENT_NAME).
 * @throws InputError when the workflow was not triggered by `workflow_run`, or the payload lacks
 * the run's id, head SHA, branch or head repository.
 */
export function readTriggeringRun(eventName: string | undefined, payload: unknown): TriggeringRun {
  if (eventName !== 'workflow_run') {
    throw new InputError(
      `Invalid input 'mode': 'report' publishes the results of the run that triggered this workflow, so it runs only on the workflow_run event, not on '${eventName ?? '(none)'}'. Expected a workflow with 'on: workflow_run: { workflows: [<the measuring workflow>], types: [completed] }', or mode compare in the measuring workflow itself.`
    )
  }
  const run = (payload as Payload | undefined)?.workflow_run
  const id = run?.id
  const headSha = run?.head_sha
  const headBranch = run?.head_branch
  const headRepository = run?.head_repository?.full_name
  if (
    typeof id !== 'number' ||
    !Number.isSafeInteger(id) ||
    typeof headSha !== 'string' ||
    !/^[0-9a-f]{40}$/.test(headSha) ||
    typeof headBranch !== 'string' ||
    typeof headRepository !== 'string' ||
    !/^[^/\s]+\/[^/\s]+$/.test(headRepository)
  ) {
    throw new InputError(
      "The workflow_run event payload lacks the triggering run's id, head_sha, head_branch or head_repository.full_name; expected the payload GitHub writes to GITHUB_EVENT_PATH."
    )
  }
  return {
    id,
    headSha,
    headBranch,
    headRepository,
    event: typeof run?.event === 'string' ? run.event : '',
    workflow: typeof run?.name === 'string' ? run.name : 'the triggering workflow'
  }
}

/**
 * What a pull request search found: its number, or why there is none to comment on (`failed`
 * when the reason is that GitHub did not answer the search, after the client's retries).
 */
export type PullRequestMatch =
  { number: number } | { number: undefined; reason: string; failed?: boolean }

/**
 * The open pull request whose head is the run's commit in the run's head repository: listed by
 * head owner and branch (`GET /repos/{owner}/{repo}/pulls?head=owner:branch`), then matched on
 * the head SHA and repository, so a branch pushed again since, or a same-named branch elsewhere,
 * is not taken for it. Never throws for a missing pull request, nor for a lookup GitHub did not
 * answer after the client's retries: either is a reason.
 */
export async function findPullRequest(
  octokit: GitHubClient,
  repo: RepoRef,
  run: TriggeringRun,
  logger: Logger
): Promise<PullRequestMatch> {
  if (run.event !== 'pull_request') {
    return { number: undefined, reason: `the run was triggered by '${run.event}', no pull request` }
  }
  const headOwner = run.headRepository.split('/')[0]!
  let pulls
  try {
    pulls = await octokit.paginate(octokit.rest.pulls.list, {
      ...repo,
      head: `${headOwner}:${run.headBranch}`,
      state: 'open',
      per_page: 100
    })
  } catch (error) {
    const reason = `the pull request lookup failed: ${describeRequestFailure(error).message}`
    return { number: undefined, reason, failed: true }
  }
  const same = (a: string | undefined, b: string): boolean => a?.toLowerCase() === b.toLowerCase()
  const match = pulls.find(
    pr => pr.head.sha === run.headSha && same(pr.head.repo?.full_name, run.headRepository)
  )
  if (match) {
    logger.info(
      `Run ${run.id} measured ${run.headSha.slice(0, 12)}, the head of pull request #${match.number}`
    )
    return { number: match.number }
  }
  return {
    number: undefined,
    reason: `no open pull request has ${run.headRepository}:${run.headBranch} at ${run.headSha.slice(0, 12)} as its head (closed, or pushed again since)`
  }
}
