import { describe, expect, it, onTestFinished } from 'vitest'
import { createGitHubClient } from '../../../src/core/github/client.js'
import { silentLogger, type Logger } from '../../../src/core/shared/logger.js'
import {
  stickyMarker,
  upsertStickyComment,
  type StickyCommentOptions,
  type StickyCommentResult
} from '../../../src/core/github/sticky-comment.js'
import {
  BOT_USER,
  HUMAN_USER,
  startGitHubApi,
  type GitHubApi,
  type GitHubApiOptions,
  type StoredComment
} from '../../emulators/github-api.js'

const MARKER = 'perf/bench/action-perf'
const HIDDEN = '<!-- mace-actions:perf/bench/action-perf -->'

interface Setup {
  api: GitHubApi
  pr: number
  warnings: string[]
  /** Runs the upsert as a job would, with `body` as the report. */
  post: (body: string, overrides?: Partial<StickyCommentOptions>) => Promise<StickyCommentResult>
}

async function pullRequest(options?: GitHubApiOptions): Promise<Setup> {
  const api = await startGitHubApi(options)
  onTestFinished(() => api.close())
  const pr = api.addPullRequest().number
  const warnings: string[] = []
  const logger: Logger = { ...silentLogger, warning: m => void warnings.push(m) }
  const octokit = createGitHubClient(api.token, api.env)
  const post: Setup['post'] = (body, overrides) =>
    upsertStickyComment({
      octokit,
      owner: api.owner,
      repo: api.repo,
      issueNumber: pr,
      marker: MARKER,
      body,
      logger,
      ...overrides
    })
  return { api, pr, warnings, post }
}

const marked = (api: GitHubApi): StoredComment[] =>
  api.state.comments.filter(c => c.body.includes(HIDDEN))
const operations = (api: GitHubApi): string[] => api.requests.map(r => r.operationId)

describe('the sticky PR comment', () => {
  it('when only refreshing (on-regression, now passing), updates an earlier comment and never creates one', async () => {
    const { api, post } = await pullRequest()
    const none = await post('## Perf: passing', { createIfMissing: false })
    expect(none.action).toBe('skipped')
    expect(marked(api)).toEqual([])
    expect(operations(api)).not.toContain('issues/create-comment')

    await post('## Perf: 1 case regressed')
    const refreshed = await post('## Perf: passing again', { createIfMissing: false })
    expect(refreshed.action).toBe('updated')
    expect(marked(api)).toHaveLength(1)
    expect(marked(api)[0]!.body).toContain('passing again')
  })

  it('is created on the first run, with the hidden marker after the report', async () => {
    const { api, post } = await pullRequest()

    const result = await post('## Perf: no regressions')

    expect(api.state.comments).toHaveLength(1)
    const [comment] = api.state.comments
    expect(comment?.body).toBe(`## Perf: no regressions\n\n${HIDDEN}`)
    expect(comment?.user).toEqual(BOT_USER)
    expect(result).toEqual({
      action: 'created',
      id: comment?.id,
      url: `https://github.com/${api.owner}/${api.repo}/pull/1#issuecomment-${comment?.id}`
    })
  })

  it('is edited in place on the next run, even on page 2 behind 150 other comments', async () => {
    const { api, pr, post } = await pullRequest()
    for (let i = 0; i < 150; i++) api.addComment(pr, `review remark ${i}`, HUMAN_USER)
    const first = await post('## Perf: 1 regression')
    for (let i = 0; i < 120; i++) api.addComment(pr, `later remark ${i}`, HUMAN_USER)
    api.requests.length = 0

    const second = await post('## Perf: no regressions')

    expect(second).toMatchObject({ action: 'updated', id: first.action === 'created' && first.id })
    expect(marked(api).map(c => c.body)).toEqual([`## Perf: no regressions\n\n${HIDDEN}`])
    // 100 per page, and no third page once the comment is found on the second.
    expect(api.requests.map(r => [r.operationId, r.query.per_page, r.query.page])).toEqual([
      ['issues/list-comments', '100', undefined],
      ['issues/list-comments', '100', '2'],
      ['issues/update-comment', undefined, undefined]
    ])
  })

  it('is left alone when the report has not changed', async () => {
    const { api, post } = await pullRequest()
    await post('## Perf: no regressions')

    const again = await post('## Perf: no regressions')

    expect(again.action).toBe('unchanged')
    expect(operations(api)).not.toContain('issues/update-comment')
  })

  it("does not take over a person's comment that contains the marker", async () => {
    const { api, pr, post } = await pullRequest()
    const quoted = api.addComment(pr, `Why does the bot write ${HIDDEN}?`, HUMAN_USER)

    const result = await post('## Perf: no regressions')

    expect(result.action).toBe('created')
    expect(quoted.body).toBe(`Why does the bot write ${HIDDEN}?`)
    expect(marked(api).map(c => c.user.type)).toEqual(['User', 'Bot'])
  })

  it("keeps to its own marker: another job's sticky comment is not touched", async () => {
    const { api, pr, post } = await pullRequest()
    const other = api.addComment(pr, `tests\n\n${stickyMarker('ci/test/action-test')}`, BOT_USER)

    await post('## Perf: no regressions')

    expect(other.body).toBe(`tests\n\n<!-- mace-actions:ci/test/action-test -->`)
    expect(api.state.comments).toHaveLength(2)
  })

  it('when two runs race to create it, ends as one comment: the older, with the new report', async () => {
    const { api, pr, post } = await pullRequest()
    let racer = 0
    // The other run posts between this run's search and its create.
    api.beforeNext('issues/create-comment', () => {
      racer = api.addComment(pr, `## Perf: stale\n\n${HIDDEN}`, BOT_USER).id
    })

    const result = await post('## Perf: fresh')

    expect(result).toMatchObject({ action: 'updated', id: racer })
    expect(marked(api).map(c => [c.id, c.body])).toEqual([[racer, `## Perf: fresh\n\n${HIDDEN}`]])
    expect(operations(api)).toContain('issues/delete-comment')
  })

  it('with the read-only token of a fork PR, warns how to fix it and skips without throwing', async () => {
    const { api, post, warnings } = await pullRequest({ readOnly: true })

    const result = await post('## Perf: no regressions')

    expect(result).toMatchObject({ action: 'skipped' })
    expect(api.state.comments).toEqual([])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('Resource not accessible by integration')
    expect(warnings[0]).toContain('fork')
    expect(warnings[0]).toContain('`workflow_run`')
  })

  it('warns and skips when GitHub fails for another reason', async () => {
    const { post, warnings } = await pullRequest({ failures: { 'issues/list-comments': 503 } })

    const result = await post('## Perf: no regressions')

    expect(result).toMatchObject({ action: 'skipped' })
    expect(warnings[0]).toMatch(/^Skipped the PR comment: GitHub did not take the PR comment/)
  })

  it('refuses, as a bug, a report that with its marker exceeds 65,536 characters', async () => {
    const { api, post } = await pullRequest()
    const room = 65_536 - `\n\n${HIDDEN}`.length

    await expect(post('x'.repeat(room + 1))).rejects.toThrow(/over GitHub's limit of 65536/)
    expect(api.requests).toEqual([])
    expect((await post('x'.repeat(room))).action).toBe('created')
  })

  it('keeps the marker a well-formed hidden comment whatever the job is called', () => {
    expect(stickyMarker('nightly --> soak/<job>')).toBe(
      '<!-- mace-actions:nightly -_ soak/_job_ -->'
    )
  })
})
