/**
 * The issue that tracks a recurring failure (a nightly soak): opened on the first failure, added
 * to on each further one, closed when the job passes again. One open issue per label and title,
 * so a failure that lasts a week is one issue with seven comments, not seven issues.
 */
import { InputError } from '../shared/errors.js'
import { MAX_BODY_CHARS, type GitHubClient } from './client.js'
import { describeRequestFailure, isPermissionFailure } from './request-failure.js'
import type { Logger } from '../shared/logger.js'

/** GitHub refuses a longer issue title: 422 "title is too long (maximum is 256 characters)". */
export const MAX_ISSUE_TITLE_CHARS = 256
/** GitHub refuses a new label with a longer name: 422 "name is too long (maximum is 50 characters)". */
export const MAX_LABEL_NAME_CHARS = 50

/**
 * Checks a tracking issue's title and label against GitHub's limits (counted in characters, as
 * GitHub counts them), so a name GitHub would refuse fails before the job runs, not after it.
 * @throws InputError naming the input, its length and the limit.
 */
export function checkTrackingIssueNames(
  title: { value: string; from: string },
  label: { value: string; from: string }
): void {
  for (const [{ value, from }, limit, what] of [
    [title, MAX_ISSUE_TITLE_CHARS, 'an issue title'],
    [label, MAX_LABEL_NAME_CHARS, 'a label name']
  ] as const) {
    const chars = [...value]
    if (chars.length > limit) {
      const shown = chars.length > 80 ? `${chars.slice(0, 60).join('')}…` : value
      throw new InputError(
        `Invalid ${from}: '${shown}' is ${chars.length} characters; GitHub takes at most ${limit} in ${what}. Expected a shorter one, e.g. 'Nightly soak is failing' and 'soak-failure'.`
      )
    }
  }
}

/** The tracked job's outcome and how to name and find its issue. */
export interface TrackingIssueOptions {
  octokit: GitHubClient
  owner: string
  repo: string
  /** The issue's title; with `label`, how the open issue is found again. */
  title: string
  /** One label name (GitHub's issue filter reads commas as a list). */
  label: string
  failed: boolean
  /** Markdown describing the failure, already shortened to fit (a link to the run is added). */
  body: string
  runUrl: string
  logger: Logger
}

/** What was done to the issue, or why nothing could be. */
export type TrackingIssueResult =
  | { action: 'opened' | 'commented' | 'closed'; number: number; url: string }
  | { action: 'none' }
  | { action: 'skipped'; reason: string }

/**
 * Opens, comments on or closes the tracking issue to match the job's outcome. Only issues a bot
 * opened count, so a person's issue with the same title and label is never closed by a pass.
 * Never throws for GitHub's answers: the job's result stands without its issue.
 */
export async function syncTrackingIssue(
  options: TrackingIssueOptions
): Promise<TrackingIssueResult> {
  const { octokit, owner, repo, logger } = options
  const report = `${options.body}\n\nRun: ${options.runUrl}`
  if (options.failed && report.length > MAX_BODY_CHARS)
    throw new Error(
      `The tracking issue report is ${report.length} characters, over GitHub's limit of ` +
        `${MAX_BODY_CHARS}; it should have been shortened before posting.`
    )
  try {
    const open = await findOpenIssue(options)
    if (options.failed && open) {
      await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: open.number,
        body: report
      })
      return done(logger, 'commented', open)
    }
    if (options.failed) {
      const { data } = await octokit.rest.issues.create({
        owner,
        repo,
        title: options.title,
        body: report,
        labels: [options.label]
      })
      return done(logger, 'opened', data)
    }
    if (!open) return { action: 'none' }
    const issue_number = open.number
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number,
      body: `Passing again: ${options.runUrl}`
    })
    await octokit.rest.issues.update({
      owner,
      repo,
      issue_number,
      state: 'closed',
      state_reason: 'completed'
    })
    return done(logger, 'closed', open)
  } catch (error) {
    const failure = describeRequestFailure(error)
    const reason = `GitHub did not take the tracking issue update: ${failure.message}`
    const fix = isPermissionFailure(failure) ? ' The job needs `permissions: issues: write`.' : ''
    logger.warning(`Skipped the tracking issue: ${reason}.${fix}`)
    return { action: 'skipped', reason }
  }
}

interface Issue {
  number: number
  html_url: string
  title: string
  user: { type?: string } | null
  pull_request?: unknown
}

/** The oldest open issue with the label and title that a bot opened. */
async function findOpenIssue(options: TrackingIssueOptions): Promise<Issue | undefined> {
  const { octokit, owner, repo, label, title } = options
  const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    state: 'open',
    labels: label,
    sort: 'created',
    direction: 'asc',
    per_page: 100
  })
  for await (const { data } of pages) {
    // The issues list includes pull requests.
    const found = data.find(
      (i: Issue) => !i.pull_request && i.user?.type === 'Bot' && i.title === title
    )
    if (found) return found
  }
  return undefined
}

function done(
  logger: Logger,
  action: 'opened' | 'commented' | 'closed',
  issue: Issue
): TrackingIssueResult {
  logger.info(`Tracking issue ${action}: ${issue.html_url}`)
  return { action, number: issue.number, url: issue.html_url }
}
