/**
 * The GitHub client against the faults GitHub's API really answers with, played by the loopback
 * emulator: a 5xx once or for good, a secondary rate limit (403 or 429 with `retry-after`) once
 * or past the bounded wait, the hourly limit used up, and a request accepted and never answered.
 * Each is survived by a retry or named for what it was: never blamed on the token's permissions.
 */
import { describe, expect, it, onTestFinished } from 'vitest'
import { publishCheckRun, type CheckRunResult } from '../../../src/core/github/check-run.js'
import { createGitHubClient, type GitHubClient } from '../../../src/core/github/client.js'
import {
  upsertStickyComment,
  type StickyCommentResult
} from '../../../src/core/github/sticky-comment.js'
import { syncTrackingIssue } from '../../../src/core/github/tracking-issue.js'
import { findPullRequest, readTriggeringRun } from '../../../src/core/github/workflow-run.js'
import { silentLogger, type Logger } from '../../../src/core/shared/logger.js'
import { startGitHubApi, type GitHubApi } from '../../emulators/github-api.js'

const SHA = 'c0ffee'.padEnd(40, '0')

interface Setup {
  api: GitHubApi
  octokit: GitHubClient
  logger: Logger
  warnings: string[]
  pr: number
  comment: () => Promise<StickyCommentResult>
}

/** An emulated repository with a pull request, and a client with short bounds for tests. */
async function repository(bounds: Record<string, string> = {}): Promise<Setup> {
  const api = await startGitHubApi()
  onTestFinished(() => api.close())
  const pr = api.addPullRequest({ headSha: SHA, headRef: 'fix' }).number
  // The emulator compiles a response schema when first needed, which can take a second: a
  // timeout below that would cut (and retry) a request it was carrying out.
  const octokit = createGitHubClient(api.token, {
    ...api.env,
    MACE_GITHUB_TIMEOUT_MS: '5000',
    MACE_GITHUB_MAX_WAIT_SECS: '3',
    ...bounds
  })
  const warnings: string[] = []
  const logger: Logger = { ...silentLogger, warning: m => void warnings.push(m) }
  const comment = (): Promise<StickyCommentResult> =>
    upsertStickyComment({
      octokit,
      owner: api.owner,
      repo: api.repo,
      issueNumber: pr,
      marker: 'perf/bench/action-perf',
      body: '## Perf: 2 regressions',
      logger
    })
  return { api, octokit, logger, warnings, pr, comment }
}

/** The perf gate's check run on the pull request's head. */
function checkRun({
  api,
  octokit,
  logger
}: Pick<Setup, 'api' | 'octokit' | 'logger'>): Promise<CheckRunResult> {
  return publishCheckRun({
    octokit,
    owner: api.owner,
    repo: api.repo,
    headSha: SHA,
    name: 'perf gate (bench)',
    conclusion: 'failure',
    title: '2 regressions',
    summary: 'two cases slower',
    logger
  })
}

const statuses = (api: GitHubApi, operationId: string): number[] =>
  api.requests.filter(r => r.operationId === operationId).map(r => r.status)

describe('the GitHub client on a flaky GitHub', () => {
  it('retries one 502 on the comment and one 500 on the check run, and both are published', async () => {
    const { api, octokit, logger, comment } = await repository()
    api.fault({ operationId: 'issues/create-comment', answer: 502, times: 1 })
    api.fault({ operationId: 'checks/create', answer: 500, times: 1 })
    expect((await comment()).action).toBe('created')
    expect((await checkRun({ api, octokit, logger })).action).toBe('created')
    expect(statuses(api, 'issues/create-comment')).toEqual([502, 201])
    expect(statuses(api, 'checks/create')).toEqual([500, 201])
    expect(api.state.comments).toHaveLength(1)
    expect(api.state.checkRuns).toHaveLength(1)
  })

  it('says what GitHub answered and how often when every retry gets a 502, not that the token may not comment', async () => {
    const { api, warnings, comment } = await repository()
    api.fault({ operationId: 'issues/create-comment', answer: 502, times: Infinity })
    const result = await comment()
    expect(result).toEqual({
      action: 'skipped',
      reason: `GitHub did not take the PR comment: GitHub answered 502 four times to POST /repos/${api.owner}/${api.repo}/issues/1/comments`
    })
    expect(statuses(api, 'issues/create-comment')).toEqual([502, 502, 502, 502])
    expect(warnings.join('\n')).not.toMatch(/may not comment|permissions/)
  })

  it('waits out a secondary rate limit as retry-after asks, then posts', async () => {
    const { api, comment } = await repository()
    api.fault({ operationId: 'issues/create-comment', answer: 403, retryAfter: 1, times: 1 })
    const started = performance.now()
    expect((await comment()).action).toBe('created')
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000)
    expect(statuses(api, 'issues/create-comment')).toEqual([403, 201])
  })

  it('reports a secondary rate limit that outlasts the bounded wait as rate limited', async () => {
    const { api, warnings, comment } = await repository()
    api.fault({ operationId: 'issues/create-comment', answer: 403, retryAfter: 2, times: Infinity })
    const result = await comment()
    expect(result.action).toBe('skipped')
    expect(result).toHaveProperty(
      'reason',
      `GitHub did not take the PR comment: rate limited by GitHub (403 to POST /repos/${api.owner}/${api.repo}/issues/1/comments: You have exceeded a secondary rate limit.); it asked to wait 2 s more, after waiting 2 s, past the 3 s one request may wait`
    )
    // Waited once (2 s), then refused the second wait, which would pass the bound.
    expect(statuses(api, 'issues/create-comment')).toEqual([403, 403])
    expect(warnings.join('\n')).not.toMatch(/may not comment|permissions/)
  })

  it('waits out a 429 with retry-after on the check run', async () => {
    const { api, octokit, logger } = await repository()
    api.fault({ operationId: 'checks/create', answer: 429, retryAfter: 1, times: 1 })
    expect((await checkRun({ api, octokit, logger })).action).toBe('created')
    expect(statuses(api, 'checks/create')).toEqual([429, 201])
  })

  it('does not wait an hour for the token’s used-up limit, and says when it resets', async () => {
    const { api, comment } = await repository()
    const reset = Math.floor(Date.now() / 1000) + 3600
    api.fault({
      operationId: 'issues/list-comments',
      answer: 403,
      times: Infinity,
      message: 'API rate limit exceeded for installation ID 4242.',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }
    })
    const started = performance.now()
    const result = await comment()
    expect(performance.now() - started).toBeLessThan(2000)
    expect(result).toHaveProperty(
      'reason',
      expect.stringMatching(
        new RegExp(
          `rate limited by GitHub \\(403 to GET /repos/${api.owner}/${api.repo}/issues/1/comments: API rate limit exceeded for installation ID 4242\\.\\); it asked to wait 36\\d\\d s more, past the 3 s one request may wait; the token's limit resets at ${new Date(reset * 1000).toISOString()}$`
        )
      )
    )
    expect(statuses(api, 'issues/list-comments')).toEqual([403])
  })

  it('cuts a request GitHub accepted and never answered at the timeout, and retries it', async () => {
    const { api, comment } = await repository({ MACE_GITHUB_TIMEOUT_MS: '2000' })
    api.fault({ operationId: 'issues/list-comments', answer: 'hang', times: 1 })
    const started = performance.now()
    expect((await comment()).action).toBe('created')
    // Cut at 2 s, where Node's own default would have waited 300 s.
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(statuses(api, 'issues/list-comments')[0]).toBe(0) // never answered
    expect(api.state.comments).toHaveLength(1)
  })

  it('names a request that is never answered, attempt after attempt', async () => {
    const { api, comment } = await repository({ MACE_GITHUB_TIMEOUT_MS: '300' })
    api.fault({ operationId: 'issues/list-comments', answer: 'hang', times: Infinity })
    const result = await comment()
    expect(result).toEqual({
      action: 'skipped',
      reason: `GitHub did not take the PR comment: GitHub did not answer GET /repos/${api.owner}/${api.repo}/issues/1/comments within 0.3 s, four times`
    })
  })

  it('keeps the soak’s tracking issue through a 502 on opening it: one issue, not two', async () => {
    const { api, octokit, logger } = await repository()
    api.fault({ operationId: 'issues/create', answer: 502, times: 1 })
    const result = await syncTrackingIssue({
      octokit,
      owner: api.owner,
      repo: api.repo,
      title: 'Nightly soak is failing',
      label: 'soak-failure',
      failed: true,
      body: 'cycle 3: stress:stress_bucket_rounds failed',
      runUrl: 'https://github.com/octo-org/octo-repo/actions/runs/1',
      logger
    })
    expect(result.action).toBe('opened')
    expect(statuses(api, 'issues/create')).toEqual([502, 201])
    expect(api.state.issues.filter(i => !i.pullRequest)).toHaveLength(1)
  })

  it('retries a 503 on the pull request lookup, and gives the lookup’s failure as the reason when it lasts', async () => {
    const { api, octokit, pr } = await repository()
    const repo = { owner: api.owner, repo: api.repo }
    const run = readTriggeringRun('workflow_run', {
      workflow_run: {
        id: 7,
        name: 'perf',
        event: 'pull_request',
        head_sha: SHA,
        head_branch: 'fix',
        head_repository: { full_name: `${api.owner}/${api.repo}` }
      }
    })
    api.fault({ operationId: 'pulls/list', answer: 503, times: 1 })
    expect(await findPullRequest(octokit, repo, run, silentLogger)).toEqual({ number: pr })
    api.fault({ operationId: 'pulls/list', answer: 503, times: Infinity })
    expect(await findPullRequest(octokit, repo, run, silentLogger)).toEqual({
      number: undefined,
      failed: true,
      reason: `the pull request lookup failed: GitHub answered 503 four times to GET /repos/${api.owner}/${api.repo}/pulls`
    })
  })
})
