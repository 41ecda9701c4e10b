/**
 * The one pull request comment a job keeps up to date ("sticky"): found again by a hidden marker
 * and a bot author, edited in place on every run, never posted twice. Posting it is optional, so
 * a token that may not comment (a fork's pull request) costs a warning, never the run.
 */
import { httpStatus, MAX_BODY_CHARS, type GitHubClient } from './client.js'
import { describeRequestFailure, isPermissionFailure } from './request-failure.js'
import type { Logger } from '../shared/logger.js'

/** Where the comment goes, what it says, and which job's comment it is. */
export interface StickyCommentOptions {
  octokit: GitHubClient
  owner: string
  repo: string
  /** The pull request (or issue) number. */
  issueNumber: number
  /** Names the comment's owner, e.g. `workflow/job/action-perf`: one sticky comment per marker. */
  marker: string
  /** Markdown, already shortened to fit (the marker line is added to it). */
  body: string
  logger: Logger
  /**
   * False: only bring an existing comment up to date (e.g. `on-regression` once the
   * regression is fixed, so a stale red comment does not stay behind), never create one.
   */
  createIfMissing?: boolean
}

/** What happened: the comment and its address, or why nothing was posted. */
export type StickyCommentResult =
  | { action: 'created' | 'updated' | 'unchanged'; id: number; url: string }
  | { action: 'skipped'; reason: string }

interface Comment {
  id: number
  html_url: string
  body?: string
  created_at: string
  user: { type?: string } | null
}

/** The hidden line that marks a comment as this job's: an HTML comment GitHub does not render. */
export function stickyMarker(marker: string): string {
  // `--` or `>` would end the HTML comment early and show the rest in the PR.
  const safe = marker.replace(/-{2,}/g, '-').replace(/[<>\r\n]/g, '_')
  return `<!-- mace-actions:${safe} -->`
}

/**
 * Creates the job's comment on the pull request, or updates it in place. A comment is the job's
 * when it carries the marker and a bot wrote it, so a person quoting the marker is left alone.
 * Throws only for a body over GitHub's limit, which is a bug in the caller.
 */
export async function upsertStickyComment(
  options: StickyCommentOptions
): Promise<StickyCommentResult> {
  const marker = stickyMarker(options.marker)
  const body = `${options.body}\n\n${marker}`
  if (body.length > MAX_BODY_CHARS)
    throw new Error(
      `The PR comment is ${body.length} characters with its marker, over GitHub's limit of ` +
        `${MAX_BODY_CHARS}; it should have been shortened before posting.`
    )
  const { octokit, owner, repo, issueNumber, logger } = options
  try {
    const existing = await findMarked(options, marker, true)
    const found = existing[0]
    if (found) {
      if (found.body === body) return done(logger, 'unchanged', found)
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: found.id,
        body
      })
      return done(logger, 'updated', data)
    }
    if (options.createIfMissing === false) {
      return { action: 'skipped', reason: 'no earlier comment of this job to update' }
    }
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body
    })
    return await keepOldest(options, marker, body, data)
  } catch (error) {
    return skipped(logger, error)
  }
}

/** This job's comments on the pull request, oldest first; only the first one if `firstOnly`. */
async function findMarked(
  { octokit, owner, repo, issueNumber }: StickyCommentOptions,
  marker: string,
  firstOnly: boolean
): Promise<Comment[]> {
  const found: Comment[] = []
  // 100 per page: the default 30 means four times the requests on a busy pull request.
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100
  })
  for await (const { data } of pages) {
    found.push(...data.filter(c => c.user?.type === 'Bot' && (c.body ?? '').includes(marker)))
    if (firstOnly && found.length > 0) break
  }
  return found
}

/**
 * Two runs of the job can both find no comment and both create one. After creating, the oldest
 * marked comment is kept, given this run's body, and the others deleted, so every racer converges
 * on the same single comment.
 */
async function keepOldest(
  options: StickyCommentOptions,
  marker: string,
  body: string,
  created: Comment
): Promise<StickyCommentResult> {
  const { octokit, owner, repo, logger } = options
  const marked = await findMarked(options, marker, false)
  const oldest = marked.reduce(
    (a, b) =>
      b.created_at < a.created_at || (b.created_at === a.created_at && b.id < a.id) ? b : a,
    created
  )
  for (const comment of marked.filter(c => c.id !== oldest.id)) {
    try {
      await octokit.rest.issues.deleteComment({ owner, repo, comment_id: comment.id })
    } catch (error) {
      // The other racer may have deleted it first.
      if (httpStatus(error) !== 404) throw error
    }
  }
  if (oldest.id === created.id) return done(logger, 'created', created)
  logger.info(`Another run posted the same PR comment at the same time; keeping the older one.`)
  if (oldest.body === body) return done(logger, 'unchanged', oldest)
  const { data } = await octokit.rest.issues.updateComment({
    owner,
    repo,
    comment_id: oldest.id,
    body
  })
  return done(logger, 'updated', data)
}

function done(
  logger: Logger,
  action: 'created' | 'updated' | 'unchanged',
  comment: Comment
): StickyCommentResult {
  logger.info(`PR comment ${action}: ${comment.html_url}`)
  return { action, id: comment.id, url: comment.html_url }
}

function skipped(logger: Logger, error: unknown): StickyCommentResult {
  const failure = describeRequestFailure(error)
  if (isPermissionFailure(failure)) {
    const reason = `the token may not comment on this pull request (${failure.message})`
    logger.warning(
      `Skipped the PR comment: ${reason}. A pull request from a fork gets a read-only ` +
        'GITHUB_TOKEN. To comment on such pull requests, let the `pull_request` workflow upload ' +
        'the results as an artifact and post the comment from a second workflow triggered by ' +
        '`workflow_run`. For pull requests from this repository, give the job ' +
        '`permissions: pull-requests: write`.'
    )
    return { action: 'skipped', reason }
  }
  const reason = `GitHub did not take the PR comment: ${failure.message}`
  logger.warning(`Skipped the PR comment: ${reason}.`)
  return { action: 'skipped', reason }
}
