import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import type { CheckAnnotation } from '../../src/core/github/check-run.js'
import {
  createGitHubClient,
  pullRequestNumber,
  repoFromEnv,
  type GitHubClient
} from '../../src/core/github/client.js'
import { HUMAN_USER, startGitHubApi, type GitHubApi, type GitHubApiOptions } from './github-api.js'

const COMMENTS = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments'

/** A request octokit's types would not let through: what a careless caller could still send. */
const send = (
  octokit: GitHubClient,
  route: string,
  params: Record<string, unknown>
): Promise<unknown> => octokit.request(route, params)

let running: GitHubApi | undefined

async function emulator(options?: GitHubApiOptions): Promise<[GitHubApi, GitHubClient]> {
  const api = await startGitHubApi(options)
  running = api
  onTestFinished(() => api.close())
  return [api, createGitHubClient(api.token, api.env)]
}

// A 500 is the emulator's own answer failing GitHub's response schema: never acceptable.
afterEach(() => {
  expect(running?.requests.filter(r => r.status === 500) ?? []).toEqual([])
  running = undefined
})

/** The status and JSON body of a refused request. */
async function refusal(request: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  const error = (await request.then(
    () => expect.fail('the request should have been refused'),
    (e: unknown) => e
  )) as { status: number; response: { data: unknown } }
  return { status: error.status, data: error.response.data }
}

const repo = (api: GitHubApi): { owner: string; repo: string } => ({
  owner: api.owner,
  repo: api.repo
})

const annotation = (line: number): CheckAnnotation => ({
  path: 'src/lib.rs',
  start_line: line,
  end_line: line,
  annotation_level: 'warning',
  message: `case ${line} regressed`
})

describe('the GitHub API emulator holds requests to the published OpenAPI description', () => {
  it('answers a route GitHub does not document with 404 in its JSON error shape', async () => {
    const [api, octokit] = await emulator()
    const answer = await refusal(
      send(octokit, 'GET /repos/{owner}/{repo}/sticky-comments', {
        owner: api.owner,
        repo: api.repo
      })
    )

    expect(answer).toEqual({
      status: 404,
      data: {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404'
      }
    })
  })

  it('answers 501 for a documented route or filter it does not emulate, never a quiet guess', async () => {
    const [api, octokit] = await emulator()

    const route = await refusal(octokit.rest.repos.get(repo(api)))
    const filter = await refusal(octokit.rest.issues.listForRepo({ ...repo(api), assignee: 'me' }))

    expect(route).toMatchObject({
      status: 501,
      data: { message: 'The emulator does not implement repos/get.' }
    })
    expect(filter.status).toBe(501)
  })

  it('wants the token in the Authorization header, as `token` or `Bearer`', async () => {
    const [api] = await emulator()
    const pr = api.addPullRequest()
    const url = `${api.url}/repos/${api.owner}/${api.repo}/issues/${pr.number}/comments`
    const asking = (authorization?: string): Promise<Response> =>
      fetch(url, { headers: authorization ? { authorization } : {} })

    const missing = await asking()
    const wrong = await asking('token ghs_wrong')

    expect([missing.status, wrong.status]).toEqual([401, 401])
    expect(await wrong.json()).toMatchObject({ message: 'Bad credentials' })
    expect((await asking(`token ${api.token}`)).status).toBe(200)
    expect((await asking(`Bearer ${api.token}`)).status).toBe(200)
  })

  it('refuses a body key the schema does not list, though GitHub leaves the object open', async () => {
    const [api, octokit] = await emulator()
    const pr = api.addPullRequest()
    const params = { owner: api.owner, repo: api.repo, issue_number: pr.number }

    const answer = await refusal(send(octokit, COMMENTS, { ...params, body: 'hi', sticky: true }))

    expect(answer.status).toBe(422)
    expect(answer.data).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'invalid', field: 'sticky' }]
    })
    expect(api.state.comments).toEqual([])
  })

  it('refuses a value of the wrong type, and a missing required one', async () => {
    const [api, octokit] = await emulator()
    const pr = api.addPullRequest()
    const params = { owner: api.owner, repo: api.repo, issue_number: pr.number }

    const wrongType = await refusal(send(octokit, COMMENTS, { ...params, body: 42 }))
    const missing = await refusal(
      send(octokit, 'POST /repos/{owner}/{repo}/issues', { ...repo(api), body: 'untitled' })
    )

    expect(wrongType.data).toMatchObject({ errors: [{ code: 'invalid', field: 'body' }] })
    expect(missing.data).toMatchObject({ errors: [{ code: 'missing_field', field: 'title' }] })
  })

  it('refuses a comment over 65,536 characters with "Body is too long"', async () => {
    const [api, octokit] = await emulator()
    const pr = api.addPullRequest()
    const params = { owner: api.owner, repo: api.repo, issue_number: pr.number }

    const fits = await octokit.rest.issues.createComment({ ...params, body: 'x'.repeat(65_536) })
    const answer = await refusal(
      octokit.rest.issues.updateComment({
        ...repo(api),
        comment_id: fits.data.id,
        body: 'x'.repeat(65_537)
      })
    )

    expect(fits.status).toBe(201)
    expect(answer).toMatchObject({
      status: 422,
      data: { errors: [{ message: 'Body is too long (maximum is 65536 characters)' }] }
    })
  })

  it('refuses an issue title over 256 characters and a new label over 50, as GitHub does', async () => {
    const [api, octokit] = await emulator()
    const fits = await octokit.rest.issues.create({
      ...repo(api),
      title: 't'.repeat(256),
      labels: ['l'.repeat(50)]
    })
    const title = await refusal(
      octokit.rest.issues.create({ ...repo(api), title: 't'.repeat(257) })
    )
    const label = await refusal(
      octokit.rest.issues.create({ ...repo(api), title: 'ok', labels: ['l'.repeat(51)] })
    )

    expect(fits.status).toBe(201)
    expect(title).toMatchObject({
      status: 422,
      data: {
        errors: [{ field: 'title', message: 'title is too long (maximum is 256 characters)' }]
      }
    })
    expect(label).toMatchObject({
      status: 422,
      data: { errors: [{ message: 'name is too long (maximum is 50 characters)' }] }
    })
  })

  it('plays a fault for the next requests of an operation only, in GitHub’s words', async () => {
    const [api] = await emulator()
    api.addPullRequest()
    api.fault({ operationId: 'issues/list-comments', answer: 403, retryAfter: 2, times: 1 })
    const url = `${api.url}/repos/${api.owner}/${api.repo}/issues/1/comments`
    const get = (): Promise<Response> =>
      fetch(url, { headers: { authorization: `token ${api.token}` } })

    const limited = await get()
    const served = await get()

    expect(limited.status).toBe(403)
    expect(limited.headers.get('retry-after')).toBe('2')
    expect(((await limited.json()) as { message: string }).message).toMatch(
      /^You have exceeded a secondary rate limit\./
    )
    expect(served.status).toBe(200)
  })

  it('refuses more than 50 annotations in one request, and appends them across updates', async () => {
    const [api, octokit] = await emulator()
    const run = {
      owner: api.owner,
      repo: api.repo,
      name: 'perf gate',
      head_sha: 'a'.repeat(40),
      conclusion: 'failure' as const
    }
    const lines = (from: number, count: number): CheckAnnotation[] =>
      Array.from({ length: count }, (_, i) => annotation(from + i))

    const tooMany = await refusal(
      octokit.rest.checks.create({
        ...run,
        output: { title: 't', summary: 's', annotations: lines(1, 51) }
      })
    )
    const created = await octokit.rest.checks.create({
      ...run,
      output: { title: 't', summary: 's', annotations: lines(1, 50) }
    })
    await octokit.rest.checks.update({
      owner: api.owner,
      repo: api.repo,
      check_run_id: created.data.id,
      output: { summary: 's', annotations: lines(51, 20) }
    })

    expect(tooMany).toMatchObject({
      status: 422,
      data: { errors: [{ field: 'output.annotations' }] }
    })
    expect(api.state.checkRuns).toHaveLength(1)
    expect(api.state.checkRuns[0]?.annotations.map(a => a.start_line)).toEqual(
      lines(1, 70).map(a => a.start_line)
    )
  })

  it('holds annotations to the limits GitHub documents in prose', async () => {
    const [api, octokit] = await emulator()
    const create = (overrides: object): Promise<{ status: number; data: unknown }> =>
      refusal(
        octokit.rest.checks.create({
          owner: api.owner,
          repo: api.repo,
          name: 'perf gate',
          head_sha: 'a'.repeat(40),
          conclusion: 'failure',
          output: { title: 't', summary: 's', annotations: [{ ...annotation(3), ...overrides }] }
        })
      )

    const fields = async (overrides: object): Promise<string[]> =>
      ((await create(overrides)).data as { errors: { field: string }[] }).errors.map(e => e.field)

    expect(await fields({ title: 't'.repeat(256) })).toEqual(['output.annotations.0.title'])
    expect(await fields({ message: 'm'.repeat(64 * 1024 + 1) })).toEqual([
      'output.annotations.0.message'
    ])
    expect(await fields({ start_line: 0, end_line: 0 })).toEqual([
      'output.annotations.0.start_line'
    ])
    expect(await fields({ end_line: 4, start_column: 1 })).toEqual([
      'output.annotations.0.start_column'
    ])
    expect(await fields({ annotation_level: 'error' })).toEqual([
      'output.annotations.0.annotation_level'
    ])
    expect(await fields({ start_line: null })).toEqual(['output.annotations.0.start_line'])
  })

  it('paginates lists with GitHub Link headers, honouring per_page and page', async () => {
    const [api, octokit] = await emulator()
    const pr = api.addPullRequest()
    for (let i = 1; i <= 250; i++) api.addComment(pr.number, `comment ${i}`, HUMAN_USER)
    const params = { owner: api.owner, repo: api.repo, issue_number: pr.number }

    const second = await octokit.rest.issues.listComments({ ...params, per_page: 100, page: 2 })
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      ...params,
      per_page: 100
    })
    const firstPage = await octokit.rest.issues.listComments(params)

    const url = (page: number): string =>
      `${api.url}/repos/${api.owner}/${api.repo}/issues/${pr.number}/comments?per_page=100&page=${page}`
    expect(second.headers.link).toBe(
      `<${url(1)}>; rel="prev", <${url(3)}>; rel="next", <${url(3)}>; rel="last", <${url(1)}>; rel="first"`
    )
    expect(second.data.map(c => c.body)).toEqual(
      Array.from({ length: 100 }, (_, i) => `comment ${i + 101}`)
    )
    expect(all).toHaveLength(250)
    expect(api.requests.filter(r => r.query.per_page === '100').map(r => r.query.page)).toEqual([
      '2',
      undefined,
      '2',
      '3'
    ])
    // GitHub's default page is 30, which is why callers must ask for 100.
    expect(firstPage.data).toHaveLength(30)
  })

  it('refuses per_page over 100 and query parameters the operation does not take', async () => {
    const [api, octokit] = await emulator()
    const pr = api.addPullRequest()
    const params = { owner: api.owner, repo: api.repo, issue_number: pr.number }

    const tooBig = await refusal(octokit.rest.issues.listComments({ ...params, per_page: 101 }))
    const unknown = await refusal(
      send(octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...params,
        perPage: 100
      })
    )

    expect(tooBig).toMatchObject({ status: 422, data: { errors: [{ field: 'per_page' }] } })
    expect(unknown).toMatchObject({ status: 422, data: { errors: [{ field: 'perPage' }] } })
  })

  it('with a read-only token, as on a fork PR, refuses writes with 403 but still reads', async () => {
    const [api, octokit] = await emulator({ readOnly: true })
    const pr = api.addPullRequest()
    const params = { owner: api.owner, repo: api.repo, issue_number: pr.number }

    const write = await refusal(octokit.rest.issues.createComment({ ...params, body: 'hi' }))
    const read = await octokit.rest.issues.listComments(params)

    expect(write).toMatchObject({
      status: 403,
      data: { message: 'Resource not accessible by integration' }
    })
    expect(read.status).toBe(200)
  })

  it('answers only for its own repository', async () => {
    const [api, octokit] = await emulator({ repository: 'mace-org/mace' })
    const pr = api.addPullRequest()

    const elsewhere = await refusal(
      octokit.rest.issues.listComments({ owner: 'someone', repo: 'else', issue_number: pr.number })
    )
    const missing = await refusal(
      octokit.rest.issues.listComments({ owner: 'mace-org', repo: 'mace', issue_number: 99 })
    )

    expect([elsewhere.status, missing.status]).toEqual([404, 404])
  })

  it('records each request with its route template, operationId and body', async () => {
    const [api, octokit] = await emulator()
    const pr = api.addPullRequest()

    await octokit.rest.issues.createComment({
      owner: api.owner,
      repo: api.repo,
      issue_number: pr.number,
      body: 'hello'
    })

    expect(api.requests).toEqual([
      {
        method: 'POST',
        path: `/repos/${api.owner}/${api.repo}/issues/${pr.number}/comments`,
        route: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
        operationId: 'issues/create-comment',
        query: {},
        body: { body: 'hello' },
        status: 201
      }
    ])
  })

  it('lists issues filtered by labels, state and creator, newest first', async () => {
    const [api, octokit] = await emulator()
    api.addIssue({ title: 'soak failing', labels: ['soak', 'ci'] })
    api.addIssue({ title: 'by a person', labels: ['soak'], user: HUMAN_USER })
    const closed = api.addIssue({ title: 'old soak', labels: ['soak'] })
    await octokit.rest.issues.update({
      owner: api.owner,
      repo: api.repo,
      issue_number: closed.number,
      state: 'closed'
    })
    const list = async (query: object): Promise<string[]> =>
      (
        await octokit.rest.issues.listForRepo({ owner: api.owner, repo: api.repo, ...query })
      ).data.map(i => i.title)

    expect(await list({ labels: 'soak' })).toEqual(['by a person', 'soak failing'])
    expect(await list({ labels: 'soak,ci' })).toEqual(['soak failing'])
    expect(await list({ labels: 'soak', creator: 'github-actions[bot]' })).toEqual(['soak failing'])
    expect(await list({ state: 'closed' })).toEqual(['old soak'])
    expect(await list({ state: 'all', direction: 'asc' })).toHaveLength(3)
  })
})

describe('the GitHub client and where a run comes from', () => {
  it('talks to GITHUB_API_URL from the env it is given, else to api.github.com', () => {
    const baseUrl = (octokit: GitHubClient): unknown => octokit.request.endpoint.DEFAULTS.baseUrl

    expect(
      baseUrl(createGitHubClient('t', { GITHUB_API_URL: 'https://ghe.example/api/v3/' }))
    ).toBe('https://ghe.example/api/v3')
    expect(baseUrl(createGitHubClient('t', {}))).toBe('https://api.github.com')
  })

  it('reads the repository from GITHUB_REPOSITORY, and nothing from a malformed one', () => {
    expect(repoFromEnv({ GITHUB_REPOSITORY: 'mace-org/mace' })).toEqual({
      owner: 'mace-org',
      repo: 'mace'
    })
    expect(repoFromEnv({ GITHUB_REPOSITORY: 'mace' })).toBeUndefined()
    expect(repoFromEnv({})).toBeUndefined()
  })

  it('finds the pull request of pull_request, PR comment and workflow_run events', () => {
    expect(pullRequestNumber({ pull_request: { number: 12 } })).toBe(12)
    expect(pullRequestNumber({ issue: { number: 13, pull_request: { url: 'u' } } })).toBe(13)
    expect(pullRequestNumber({ issue: { number: 14 } })).toBeUndefined()
    expect(pullRequestNumber({ workflow_run: { pull_requests: [{ number: 15 }] } })).toBe(15)
    // A fork's workflow_run lists no pull requests.
    expect(pullRequestNumber({ workflow_run: { pull_requests: [] } })).toBeUndefined()
    expect(pullRequestNumber({ ref: 'refs/heads/main' })).toBeUndefined()
  })
})
