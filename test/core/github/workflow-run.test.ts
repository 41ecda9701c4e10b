/**
 * The run a workflow_run workflow reports on, read from the event GitHub wrote, and its pull
 * request, found by head owner and branch on the emulated REST API and matched on head SHA and
 * head repository: never a same-named branch elsewhere, never a head pushed again since.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createGitHubClient } from '../../../src/core/github/client.js'
import { findPullRequest, readTriggeringRun } from '../../../src/core/github/workflow-run.js'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { startGitHubApi, type GitHubApi } from '../../emulators/github-api.js'

const SHA = 'a1'.repeat(20)
const payload = (overrides: Record<string, unknown> = {}): unknown => ({
  workflow_run: {
    id: 77,
    name: 'perf',
    event: 'pull_request',
    head_sha: SHA,
    head_branch: 'fix',
    head_repository: { full_name: 'forker/octo-repo' },
    pull_requests: [],
    ...overrides
  }
})

describe('the triggering run, from the workflow_run event', () => {
  it('takes the run’s id, head SHA, branch and head repository', () => {
    expect(readTriggeringRun('workflow_run', payload())).toEqual({
      id: 77,
      headSha: SHA,
      headBranch: 'fix',
      headRepository: 'forker/octo-repo',
      event: 'pull_request',
      workflow: 'perf'
    })
  })

  it('refuses another event, naming the mode and the event it needs', () => {
    expect(() => readTriggeringRun('pull_request_target', payload())).toThrow(
      "Invalid input 'mode': 'report' publishes the results of the run that triggered this workflow, so it runs only on the workflow_run event, not on 'pull_request_target'."
    )
  })

  it.each([
    ['no run', {}],
    ['a SHA that is not one', payload({ head_sha: 'main' })],
    ['no head repository', payload({ head_repository: null })],
    ['an id that is text', payload({ id: '77' })]
  ])('refuses a payload with %s', (_, bad) => {
    expect(() => readTriggeringRun('workflow_run', bad)).toThrow(
      "The workflow_run event payload lacks the triggering run's id"
    )
  })
})

describe('the pull request of the run', () => {
  let api: GitHubApi | undefined
  afterEach(async () => {
    expect(api?.requests.filter(r => r.status >= 400) ?? []).toEqual([])
    await api?.close()
    api = undefined
  })

  it('is the open one whose head is the run’s commit in the run’s head repository', async () => {
    api = await startGitHubApi()
    api.addPullRequest({ headSha: SHA, headRef: 'fix' }) // same branch name, in the base repository
    const fork = api.addPullRequest({
      headSha: SHA,
      headRef: 'fix',
      headRepository: 'forker/octo-repo'
    })
    const octokit = createGitHubClient(api.token, api.env)
    const repo = { owner: api.owner, repo: api.repo }
    const run = readTriggeringRun('workflow_run', payload())
    expect(await findPullRequest(octokit, repo, run, silentLogger)).toEqual({ number: fork.number })
    expect(api.requests.map(r => r.query)).toEqual([
      { head: 'forker:fix', state: 'open', per_page: '100' }
    ])
  })

  it('is none when the head moved on since the run, or the run was no pull request’s', async () => {
    api = await startGitHubApi()
    api.addPullRequest({
      headSha: 'b2'.repeat(20),
      headRef: 'fix',
      headRepository: 'forker/octo-repo'
    })
    const octokit = createGitHubClient(api.token, api.env)
    const repo = { owner: api.owner, repo: api.repo }
    const moved = await findPullRequest(
      octokit,
      repo,
      readTriggeringRun('workflow_run', payload()),
      silentLogger
    )
    expect(moved).toEqual({
      number: undefined,
      reason: `no open pull request has forker/octo-repo:fix at ${SHA.slice(0, 12)} as its head (closed, or pushed again since)`
    })
    const push = readTriggeringRun('workflow_run', payload({ event: 'push' }))
    expect(await findPullRequest(octokit, repo, push, silentLogger)).toEqual({
      number: undefined,
      reason: "the run was triggered by 'push', no pull request"
    })
  })
})
