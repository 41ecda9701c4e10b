import { describe, expect, it, onTestFinished } from 'vitest'
import { createGitHubClient } from '../../../src/core/github/client.js'
import { silentLogger, type Logger } from '../../../src/core/shared/logger.js'
import {
  syncTrackingIssue,
  type TrackingIssueOptions,
  type TrackingIssueResult
} from '../../../src/core/github/tracking-issue.js'
import {
  BOT_USER,
  HUMAN_USER,
  startGitHubApi,
  type GitHubApi,
  type GitHubApiOptions
} from '../../emulators/github-api.js'

const TITLE = 'Nightly soak is failing'
const LABEL = 'soak-failure'
const run = (id: number): string => `https://github.com/octo-org/octo-repo/actions/runs/${id}`

interface Setup {
  api: GitHubApi
  warnings: string[]
  /** The soak job finishing as run `id`: failed or passed. */
  finish: (
    id: number,
    failed: boolean,
    overrides?: Partial<TrackingIssueOptions>
  ) => Promise<TrackingIssueResult>
}

async function repository(options?: GitHubApiOptions): Promise<Setup> {
  const api = await startGitHubApi(options)
  onTestFinished(() => api.close())
  const warnings: string[] = []
  const logger: Logger = { ...silentLogger, warning: m => void warnings.push(m) }
  const finish: Setup['finish'] = (id, failed, overrides) =>
    syncTrackingIssue({
      octokit: createGitHubClient(api.token, api.env),
      owner: api.owner,
      repo: api.repo,
      title: TITLE,
      label: LABEL,
      failed,
      body: `cycle ${id}: 3 cases failed`,
      runUrl: run(id),
      logger,
      ...overrides
    })
  return { api, warnings, finish }
}

const writes = (api: GitHubApi): string[] =>
  api.requests.filter(r => r.method !== 'GET').map(r => r.operationId)
const commentsOn = (api: GitHubApi, issue: number): string[] =>
  api.state.comments.filter(c => c.issueNumber === issue).map(c => c.body)

describe('the tracking issue of a recurring failure', () => {
  it('is opened on the first failure, labelled, with the report and a link to the run', async () => {
    const { api, finish } = await repository()

    const result = await finish(1, true)

    expect(api.state.issues).toHaveLength(1)
    const [issue] = api.state.issues
    expect(issue).toMatchObject({
      title: TITLE,
      labels: [LABEL],
      state: 'open',
      user: BOT_USER,
      body: `cycle 1: 3 cases failed\n\nRun: ${run(1)}`
    })
    expect(result).toEqual({
      action: 'opened',
      number: issue?.number,
      url: `https://github.com/${api.owner}/${api.repo}/issues/${issue?.number}`
    })
  })

  it('gets a comment on each further failure instead of a second issue', async () => {
    const { api, finish } = await repository()
    const opened = await finish(1, true)

    const second = await finish(2, true)
    const third = await finish(3, true)

    expect(api.state.issues).toHaveLength(1)
    expect([second.action, third.action]).toEqual(['commented', 'commented'])
    expect(second).toMatchObject({ number: opened.action === 'opened' && opened.number })
    expect(commentsOn(api, 1)).toEqual([
      `cycle 2: 3 cases failed\n\nRun: ${run(2)}`,
      `cycle 3: 3 cases failed\n\nRun: ${run(3)}`
    ])
  })

  it('is closed with "passing again" when the job passes, and a later failure opens a new one', async () => {
    const { api, finish } = await repository()
    await finish(1, true)
    await finish(2, true)

    const passed = await finish(3, false)

    expect(passed).toMatchObject({ action: 'closed', number: 1 })
    expect(api.state.issues[0]).toMatchObject({ state: 'closed', stateReason: 'completed' })
    expect(commentsOn(api, 1).at(-1)).toBe(`Passing again: ${run(3)}`)

    const again = await finish(4, true)
    expect(again).toMatchObject({ action: 'opened', number: 2 })
  })

  it('is left alone while the job keeps passing', async () => {
    const { api, finish } = await repository()

    const result = await finish(1, false)

    expect(result).toEqual({ action: 'none' })
    expect(writes(api)).toEqual([])
  })

  it("never adopts or closes a person's issue with the same title and label", async () => {
    const { api, finish } = await repository()
    const theirs = api.addIssue({ title: TITLE, labels: [LABEL], user: HUMAN_USER })

    await finish(1, false)
    const failed = await finish(2, true)

    expect(theirs.state).toBe('open')
    expect(commentsOn(api, theirs.number)).toEqual([])
    expect(failed).toMatchObject({ action: 'opened', number: theirs.number + 1 })
  })

  it('looks for the issue with the label filter and 100 per page', async () => {
    const { api, finish } = await repository()

    await finish(1, true)

    expect(api.requests[0]).toMatchObject({
      operationId: 'issues/list-for-repo',
      query: { state: 'open', labels: LABEL, per_page: '100' }
    })
  })

  it('warns and skips when the token may not write issues', async () => {
    const { api, finish, warnings } = await repository({ readOnly: true })

    const result = await finish(1, true)

    expect(result).toMatchObject({ action: 'skipped' })
    expect(api.state.issues).toEqual([])
    expect(warnings).toEqual([expect.stringMatching(/not accessible.*issues: write/)])
  })
})
