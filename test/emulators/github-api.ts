/**
 * A loopback emulation of the GitHub REST API for one repository, held to GitHub's published
 * OpenAPI description (github-openapi.ts checks every request and answer): issue and pull
 * request comments, issues, check runs, pull requests (from this repository or a fork), and
 * the artifacts of workflow runs, listed and downloaded through the API's redirect to the
 * artifact service's blob storage (artifact-service.ts). What it holds is plain data tests can
 * seed and inspect.
 */
import type { ArtifactService } from './artifact-service.js'
import {
  paginated,
  Refusal,
  type FaultRule,
  serveGitHubRest,
  type OperationRequest,
  type RecordedRequest,
  type Reply
} from './github-openapi.js'
import {
  artifactShape,
  nodeId,
  pullRequestSimpleShape,
  userShape,
  type PullSide
} from './github-shapes.js'

export type { FaultRule, RecordedRequest } from './github-openapi.js'

/** Who wrote something, as the REST API reports it. */
export interface User {
  login: string
  id: number
  type: 'Bot' | 'User'
}

/** The author behind `GITHUB_TOKEN`: REST says `github-actions[bot]` (GraphQL drops `[bot]`). */
export const BOT_USER: User = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
/** A person. */
export const HUMAN_USER: User = { login: 'octocat', id: 583231, type: 'User' }

/** A comment on an issue or pull request. */
export interface StoredComment {
  id: number
  issueNumber: number
  body: string
  user: User
  createdAt: string
  updatedAt: string
}

/** An issue, or the issue side of a pull request (same numbering, as on GitHub). */
export interface StoredIssue {
  number: number
  id: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  stateReason: string | null
  labels: string[]
  user: User
  pullRequest?: {
    headSha: string
    headRef: string
    /** `owner/repo` the head branch lives in: this repository, or a fork. */
    headRepository: string
  }
  createdAt: string
  updatedAt: string
  closedAt: string | null
}

/** An annotation as the Checks API takes it. */
export interface Annotation {
  path: string
  start_line: number
  end_line: number
  start_column?: number
  end_column?: number
  annotation_level: 'notice' | 'warning' | 'failure'
  message: string
  title?: string
  raw_details?: string
}

/** A check run with every annotation appended across its create and update requests. */
export interface StoredCheckRun {
  id: number
  name: string
  headSha: string
  status: string
  conclusion: string | null
  detailsUrl: string | null
  externalId: string | null
  startedAt: string
  completedAt: string | null
  output: { title: string | null; summary: string | null; text: string | null }
  annotations: Annotation[]
}

/** A workflow run of the repository and the artifact service its jobs uploaded to. */
export interface StoredWorkflowRun {
  id: number
  headSha: string
  headBranch: string
  /** `owner/repo` of the head: this repository, or a fork for a fork's pull request. */
  headRepository: string
  artifacts: ArtifactService
}

/** Everything the emulated repository holds. */
export interface GitHubApiState {
  issues: StoredIssue[]
  comments: StoredComment[]
  checkRuns: StoredCheckRun[]
  workflowRuns: StoredWorkflowRun[]
}

/** Ways to set the emulated repository up or make it misbehave. */
export interface GitHubApiOptions {
  /** The `owner/repo` the token works on; any other repository answers 404. */
  repository?: string
  /** Refuse every write with 403, as GitHub does with the read-only token of a fork's PR. */
  readOnly?: boolean
  /** Answer these operations (by operationId) with this status instead of carrying them out. */
  failures?: Record<string, number>
  /** Faults for the next requests of an operation: a status N times, or no answer at all. */
  faults?: FaultRule[]
}

/** A running emulator: its address and token, what it holds, what it was asked. */
export interface GitHubApi {
  url: string
  token: string
  /**
   * A token of the same repository that may read but not write: what a workflow started by a
   * fork's pull request gets as GITHUB_TOKEN, whatever its `permissions:` say.
   */
  forkToken: string
  owner: string
  repo: string
  /**
   * The variables a process needs to take this emulator for api.github.com, and the client's
   * bounds shortened for tests (writes not spaced, retries 20 ms × n² apart).
   */
  env: {
    GITHUB_API_URL: string
    GITHUB_REPOSITORY: string
    MACE_GITHUB_WRITE_GAP_MS: string
    MACE_GITHUB_RETRY_BASE_MS: string
  }
  requests: RecordedRequest[]
  state: GitHubApiState
  /**
   * Seeds an open pull request (by a person unless told otherwise), from branch `headRef`
   * (`feature`) of `headRepository` (this repository, or a fork's `owner/repo`).
   */
  addPullRequest(init?: {
    title?: string
    headSha?: string
    headRef?: string
    headRepository?: string
    user?: User
  }): StoredIssue
  /** Seeds a workflow run whose artifacts are what its jobs uploaded to `artifacts`. */
  addWorkflowRun(run: StoredWorkflowRun): StoredWorkflowRun
  /** Seeds an open issue (by the bot unless told otherwise). */
  addIssue(init: { title: string; body?: string; labels?: string[]; user?: User }): StoredIssue
  /** Seeds a comment (by the bot unless told otherwise), newer than everything before it. */
  addComment(issueNumber: number, body: string, user?: User): StoredComment
  /** Adds a fault for the next requests of an operation (after those already waiting). */
  fault: (rule: FaultRule) => void
  /** Runs `action` just before the next `operationId` request is carried out (to stage races). */
  beforeNext: (operationId: string, action: () => void) => void
  close: () => Promise<void>
}

// GitHub's documented limits that the schemas leave to prose.
const BODY_MAX_CHARS = 65536
const ISSUE_TITLE_MAX_CHARS = 256
const LABEL_NAME_MAX_CHARS = 50
const ANNOTATION_TITLE_MAX_CHARS = 255
const ANNOTATION_TEXT_MAX_BYTES = 64 * 1024
// Ids past 2^31, like GitHub's today, catch code that assumes 32-bit ids.
const FIRST_ID = 2_400_000_001

type Handler = (request: OperationRequest) => Reply

// The query parameters each list applies; any other documented one answers 501.
const QUERY_IMPLEMENTED: Record<string, string[]> = {
  'issues/list-comments': ['since', 'per_page', 'page'],
  'issues/list-for-repo': ['state', 'labels', 'creator', 'sort', 'direction', 'per_page', 'page'],
  'pulls/list': ['state', 'head', 'per_page', 'page'],
  'actions/list-workflow-run-artifacts': ['name', 'per_page', 'page']
}

// The repository's own id; a fork's is derived from its name.
const REPOSITORY_ID = 1_296_269

/** Starts the emulator on 127.0.0.1 at a free port (the first start in a process reads the spec). */
export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApi> {
  const [owner = '', repo = ''] = (options.repository ?? 'octo-org/octo-repo').split('/')
  const token = `ghs_emulated${Math.random().toString(36).slice(2)}`
  const forkToken = `ghs_fork${Math.random().toString(36).slice(2)}`
  const state: GitHubApiState = { issues: [], comments: [], checkRuns: [], workflowRuns: [] }
  let ticks = 0
  // A clock that moves one second per write keeps "oldest" unambiguous.
  const now = (): string =>
    new Date(Date.UTC(2025, 0, 1) + ticks++ * 1000).toISOString().replace('.000Z', 'Z')
  let nextId = FIRST_ID
  const html = `https://github.com/${owner}/${repo}`

  const addIssue: GitHubApi['addIssue'] = init => {
    const created = now()
    const issue: StoredIssue = {
      number: state.issues.length + 1,
      id: nextId++,
      title: init.title,
      body: init.body ?? null,
      state: 'open',
      stateReason: null,
      labels: init.labels ?? [],
      user: init.user ?? BOT_USER,
      createdAt: created,
      updatedAt: created,
      closedAt: null
    }
    state.issues.push(issue)
    return issue
  }
  const addComment: GitHubApi['addComment'] = (issueNumber, body, user = BOT_USER) => {
    const created = now()
    const comment = {
      id: nextId++,
      issueNumber,
      body,
      user,
      createdAt: created,
      updatedAt: created
    }
    state.comments.push(comment)
    return comment
  }
  const issueAt = (number: string | undefined): StoredIssue => {
    const issue = state.issues.find(i => i.number === Number(number))
    if (!issue) throw new Refusal(404, 'Not Found')
    return issue
  }
  const commentAt = (id: string | undefined): StoredComment => {
    const comment = state.comments.find(c => c.id === Number(id))
    if (!comment) throw new Refusal(404, 'Not Found')
    return comment
  }
  const checkRunAt = (id: string | undefined): StoredCheckRun => {
    const run = state.checkRuns.find(r => r.id === Number(id))
    if (!run) throw new Refusal(404, 'Not Found')
    return run
  }

  const runAt = (id: string | undefined): StoredWorkflowRun => {
    const run = state.workflowRuns.find(r => r.id === Number(id))
    if (!run) throw new Refusal(404, 'Not Found')
    return run
  }
  const json = new Shapes(html, owner, repo, state)
  const handlers: Record<string, Handler> = {
    'issues/list-comments': request => {
      const { number } = issueAt(request.params.issue_number)
      const since = request.query.since
      const listed = state.comments
        .filter(c => c.issueNumber === number && (!since || c.updatedAt >= since))
        .map(c => json.comment(c, request.url))
      return paginated(listed, request)
    },
    'issues/create-comment': request => {
      const { number } = issueAt(request.params.issue_number)
      const { body } = request.body as { body: string }
      refuseLongBody(body)
      const shown = json.comment(addComment(number, body), request.url)
      return { status: 201, body: shown, headers: { Location: shown.url } }
    },
    'issues/get-comment': request => ({
      status: 200,
      body: json.comment(commentAt(request.params.comment_id), request.url)
    }),
    'issues/update-comment': request => {
      const comment = commentAt(request.params.comment_id)
      const { body } = request.body as { body: string }
      refuseLongBody(body)
      Object.assign(comment, { body, updatedAt: now() })
      return { status: 200, body: json.comment(comment, request.url) }
    },
    'issues/delete-comment': request => {
      state.comments.splice(state.comments.indexOf(commentAt(request.params.comment_id)), 1)
      return { status: 204 }
    },
    'issues/list-for-repo': request => {
      const { query } = request
      const wanted = (query.labels ?? '').split(',').map(label => label.trim().toLowerCase())
      const listed = state.issues.filter(
        issue =>
          ((query.state ?? 'open') === 'all' || issue.state === (query.state ?? 'open')) &&
          wanted.every(w => !w || issue.labels.some(l => l.toLowerCase() === w)) &&
          (!query.creator || issue.user.login === query.creator)
      )
      const key = query.sort === 'updated' ? 'updatedAt' : 'createdAt'
      listed.sort((a, b) => a[key].localeCompare(b[key]) || a.number - b.number)
      if (query.direction !== 'asc') listed.reverse()
      return paginated(
        listed.map(i => json.issue(i, request.url)),
        request
      )
    },
    'issues/create': request => {
      const body = request.body as IssueFields & { title: string | number }
      refuseLongBody(body.body ?? '')
      refuseLongTitleOrLabel(String(body.title), body.labels)
      const issue = addIssue({ title: String(body.title), body: body.body ?? undefined })
      update(issue, body)
      const shown = json.issue(issue, request.url)
      return { status: 201, body: shown, headers: { Location: shown.url } }
    },
    'issues/get': request => ({
      status: 200,
      body: json.issue(issueAt(request.params.issue_number), request.url)
    }),
    'issues/update': request => {
      const issue = issueAt(request.params.issue_number)
      const body = request.body as IssueFields & { title?: string | number | null }
      refuseLongBody(body.body ?? '')
      refuseLongTitleOrLabel(String(body.title ?? ''), body.labels)
      if (body.title !== undefined && body.title !== null) issue.title = String(body.title)
      if (body.body !== undefined) issue.body = body.body
      update(issue, body)
      return { status: 200, body: json.issue(issue, request.url) }
    },
    'pulls/list': request => {
      const wanted = request.query.state ?? 'open'
      const [headOwner, ...headRef] = (request.query.head ?? '').split(':')
      const listed = state.issues.filter(issue => {
        const pr = issue.pullRequest
        if (!pr || (wanted !== 'all' && issue.state !== wanted)) return false
        if (request.query.head === undefined) return true
        // GitHub matches the head's owner, and the branch when one is given after the colon.
        const owner = pr.headRepository.split('/')[0] ?? ''
        return (
          owner.toLowerCase() === (headOwner ?? '').toLowerCase() &&
          (headRef.length === 0 || pr.headRef === headRef.join(':'))
        )
      })
      // Newest first, GitHub's default order.
      listed.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.number - a.number)
      return paginated(
        listed.map(issue => json.pullRequestSimple(issue, request.url)),
        request
      )
    },
    'actions/list-workflow-run-artifacts': request => {
      const run = runAt(request.params.run_id)
      const all = run.artifacts.uploads.filter(
        u => request.query.name === undefined || u.name === request.query.name
      )
      const page = paginated(
        all.map(u => json.artifact(u, run, request.url)),
        request
      )
      return { ...page, body: { total_count: all.length, artifacts: page.body } }
    },
    'actions/download-artifact': request => {
      const id = Number(request.params.artifact_id)
      const run = state.workflowRuns.find(r => r.artifacts.uploads.some(u => u.id === id))
      const location = run?.artifacts.readUrl(id)
      if (!location || request.params.archive_format !== 'zip') throw new Refusal(404, 'Not Found')
      // As GitHub: a redirect to a short-lived signed URL of the blob store, no body.
      return { status: 302, headers: { Location: location } }
    },
    'pulls/get': request => {
      const issue = issueAt(request.params.pull_number)
      if (!issue.pullRequest) throw new Refusal(404, 'Not Found')
      return { status: 200, body: json.pullRequest(issue, request.url) }
    },
    'checks/create': request => {
      const body = request.body as CheckRunFields & { name: string; head_sha: string }
      const status = body.conclusion ? 'completed' : (body.status ?? 'queued')
      if (status === 'completed' && !body.conclusion) throw conclusionMissing()
      refuseBadAnnotations(body.output?.annotations ?? [])
      const started = body.started_at ?? now()
      const run: StoredCheckRun = {
        id: nextId++,
        name: body.name,
        headSha: body.head_sha,
        status,
        conclusion: body.conclusion ?? null,
        detailsUrl: body.details_url ?? null,
        externalId: body.external_id ?? null,
        startedAt: started,
        completedAt: status === 'completed' ? (body.completed_at ?? now()) : null,
        output: { title: null, summary: null, text: null },
        annotations: []
      }
      applyOutput(run, body.output)
      state.checkRuns.push(run)
      return { status: 201, body: json.checkRun(run, request.url) }
    },
    'checks/update': request => {
      const run = checkRunAt(request.params.check_run_id)
      const body = request.body as CheckRunFields
      refuseBadAnnotations(body.output?.annotations ?? [])
      if (body.name !== undefined) run.name = body.name
      if (body.details_url !== undefined) run.detailsUrl = body.details_url
      if (body.conclusion !== undefined) {
        Object.assign(run, { status: 'completed', conclusion: body.conclusion })
        run.completedAt = body.completed_at ?? run.completedAt ?? now()
      } else if (body.status !== undefined) run.status = body.status
      applyOutput(run, body.output)
      return { status: 200, body: json.checkRun(run, request.url) }
    },
    'checks/get': request => ({
      status: 200,
      body: json.checkRun(checkRunAt(request.params.check_run_id), request.url)
    })
  }

  function update(issue: StoredIssue, body: IssueFields): void {
    if (body.labels)
      issue.labels = body.labels.map(l => (typeof l === 'string' ? l : (l.name ?? '')))
    if (body.state !== undefined && body.state !== issue.state) {
      issue.state = body.state
      issue.closedAt = body.state === 'closed' ? now() : null
      issue.stateReason = body.state === 'closed' ? (body.state_reason ?? 'completed') : 'reopened'
    }
    issue.updatedAt = now()
  }

  const faults: FaultRule[] = [...(options.faults ?? [])]
  const front = await serveGitHubRest({
    emulated: Object.keys(handlers),
    uncheckedResponses: new Set(['pulls/get']),
    owner,
    repo,
    token,
    readOnlyToken: forkToken,
    readOnly: options.readOnly ?? false,
    failures: options.failures ?? {},
    faults,
    carryOut: request => {
      // A documented filter applied nowhere would quietly answer with too much.
      const implemented = QUERY_IMPLEMENTED[request.operationId] ?? []
      const ignored = Object.keys(request.query).filter(name => !implemented.includes(name))
      if (ignored.length > 0 || request.query.sort === 'comments')
        throw new Refusal(
          501,
          `The emulator does not implement that query of ${request.operationId}.`
        )
      return (handlers[request.operationId] as Handler)(request)
    }
  })
  return {
    url: front.url,
    token,
    forkToken,
    owner,
    repo,
    env: {
      GITHUB_API_URL: front.url,
      GITHUB_REPOSITORY: `${owner}/${repo}`,
      MACE_GITHUB_WRITE_GAP_MS: '0',
      MACE_GITHUB_RETRY_BASE_MS: '20'
    },
    requests: front.requests,
    state,
    addPullRequest: (init = {}) => {
      const title = init.title ?? 'Speed up the parser'
      const issue = addIssue({ title, user: init.user ?? HUMAN_USER })
      issue.pullRequest = {
        headSha: init.headSha ?? 'a'.repeat(40),
        headRef: init.headRef ?? 'feature',
        headRepository: init.headRepository ?? `${owner}/${repo}`
      }
      return issue
    },
    addWorkflowRun: run => {
      state.workflowRuns.push(run)
      return run
    },
    addIssue,
    addComment,
    fault: rule => void faults.push({ ...rule }),
    beforeNext: front.beforeNext,
    close: front.close
  }
}

interface IssueFields {
  body?: string | null
  state?: 'open' | 'closed'
  state_reason?: string | null
  labels?: (string | { name?: string })[]
}

interface CheckRunFields {
  name?: string
  details_url?: string
  external_id?: string
  status?: string
  conclusion?: string
  started_at?: string
  completed_at?: string
  output?: { title?: string; summary: string; text?: string; annotations?: Annotation[] }
}

function applyOutput(run: StoredCheckRun, output: CheckRunFields['output']): void {
  if (!output) return
  run.output = {
    title: output.title ?? run.output.title,
    summary: output.summary,
    text: output.text ?? run.output.text
  }
  // Like GitHub: annotations from every request accumulate on the run.
  run.annotations.push(...(output.annotations ?? []))
}

function refuseLongBody(body: string): void {
  // GitHub counts characters (code points), not UTF-16 units or bytes.
  if ([...body].length <= BODY_MAX_CHARS) return
  const message = `Body is too long (maximum is ${BODY_MAX_CHARS} characters)`
  throw new Refusal(422, 'Validation Failed', [{ code: 'unprocessable', field: 'data', message }])
}

/** GitHub's 422s for an issue title over 256 characters and a new label over 50. */
function refuseLongTitleOrLabel(title: string, labels: IssueFields['labels']): void {
  if ([...title].length > ISSUE_TITLE_MAX_CHARS) {
    const message = `title is too long (maximum is ${ISSUE_TITLE_MAX_CHARS} characters)`
    throw new Refusal(422, 'Validation Failed', [{ code: 'custom', field: 'title', message }])
  }
  const long = (labels ?? [])
    .map(l => (typeof l === 'string' ? l : (l.name ?? '')))
    .find(name => [...name].length > LABEL_NAME_MAX_CHARS)
  if (long !== undefined) {
    const message = `name is too long (maximum is ${LABEL_NAME_MAX_CHARS} characters)`
    throw new Refusal(422, 'Validation Failed', [{ code: 'invalid', field: 'labels', message }])
  }
}

function conclusionMissing(): Refusal {
  const message = 'conclusion is required when status is completed'
  return new Refusal(422, 'Validation Failed', [
    { code: 'missing_field', field: 'conclusion', message }
  ])
}

/** The limits the Checks API documents in prose, beyond what its schema says. */
function refuseBadAnnotations(annotations: Annotation[]): void {
  const errors = annotations.flatMap((a, i) => {
    const at = `output.annotations.${i}`
    const problems: [string, string][] = []
    if ([...(a.title ?? '')].length > ANNOTATION_TITLE_MAX_CHARS)
      problems.push(['title', `is longer than ${ANNOTATION_TITLE_MAX_CHARS} characters`])
    for (const key of ['message', 'raw_details'] as const)
      if (Buffer.byteLength(a[key] ?? '') > ANNOTATION_TEXT_MAX_BYTES)
        problems.push([key, 'is larger than 64 KB'])
    if (a.start_line < 1) problems.push(['start_line', 'must be at least 1 (lines start at 1)'])
    // Stricter than documented: a range that ends before it starts is always a bug.
    if (a.end_line < a.start_line) problems.push(['end_line', 'is before start_line'])
    const columns = a.start_column !== undefined || a.end_column !== undefined
    if (columns && a.start_line !== a.end_line)
      problems.push(['start_column', 'is only allowed when start_line equals end_line'])
    return problems.map(([key, message]) => ({
      code: 'invalid' as const,
      field: `${at}.${key}`,
      message: `${key} ${message}`
    }))
  })
  if (errors.length > 0) throw new Refusal(422, 'Validation Failed', errors)
}

/** The JSON GitHub answers with; API URLs point back at the emulator, page URLs at github.com. */
class Shapes {
  constructor(
    private readonly html: string,
    private readonly owner: string,
    private readonly repo: string,
    private readonly state: GitHubApiState
  ) {}

  comment(comment: StoredComment, at: URL): { url: string } & Record<string, unknown> {
    const issue = this.state.issues.find(i => i.number === comment.issueNumber)
    const kind = issue?.pullRequest ? 'pull' : 'issues'
    return {
      id: comment.id,
      node_id: nodeId('IC_', comment.id),
      url: `${this.api(at)}/issues/comments/${comment.id}`,
      html_url: `${this.html}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${this.api(at)}/issues/${comment.issueNumber}`,
      body: comment.body,
      user: user(comment.user, at),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: comment.user.type === 'Bot' ? 'NONE' : 'MEMBER'
    }
  }

  issue(issue: StoredIssue, at: URL): { url: string } & Record<string, unknown> {
    const url = `${this.api(at)}/issues/${issue.number}`
    const kind = issue.pullRequest ? 'pull' : 'issues'
    return {
      id: issue.id,
      node_id: nodeId('I_', issue.id),
      url,
      repository_url: this.api(at),
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${this.html}/${kind}/${issue.number}`,
      number: issue.number,
      state: issue.state,
      state_reason: issue.stateReason,
      title: issue.title,
      body: issue.body,
      user: user(issue.user, at),
      labels: issue.labels.map(name => ({
        id: labelId(name),
        node_id: nodeId('LA_', labelId(name)),
        url: `${this.api(at)}/labels/${encodeURIComponent(name)}`,
        name,
        color: 'ededed',
        default: false,
        description: null
      })),
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: this.state.comments.filter(c => c.issueNumber === issue.number).length,
      ...(issue.pullRequest && {
        pull_request: {
          url: `${this.api(at)}/pulls/${issue.number}`,
          html_url: `${this.html}/pull/${issue.number}`,
          diff_url: `${this.html}/pull/${issue.number}.diff`,
          patch_url: `${this.html}/pull/${issue.number}.patch`,
          merged_at: null
        }
      }),
      closed_at: issue.closedAt,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      author_association: issue.user.type === 'Bot' ? 'NONE' : 'MEMBER'
    }
  }

  /** Only what our code reads of a pull request (the response check is skipped for it). */
  pullRequest(issue: StoredIssue, at: URL): Record<string, unknown> {
    const { headSha = '', headRef = '', headRepository = '' } = issue.pullRequest ?? {}
    return {
      ...this.issue(issue, at),
      url: `${this.api(at)}/pulls/${issue.number}`,
      head: { sha: headSha, ref: headRef, label: `${headRepository.split('/')[0]}:${headRef}` },
      base: { sha: 'b'.repeat(40), ref: 'main', label: `${this.owner}:main` },
      merged: false,
      draft: false
    }
  }

  /** A pull request as the list of pull requests shows it, complete (the response is checked). */
  pullRequestSimple(issue: StoredIssue, at: URL): Record<string, unknown> {
    const { headSha = '', headRef = '', headRepository = '' } = issue.pullRequest ?? {}
    const full = `${this.owner}/${this.repo}`
    const fork = headRepository.toLowerCase() !== full.toLowerCase()
    const head: PullSide = {
      repository: headRepository,
      repositoryId: this.repositoryId(headRepository),
      fork,
      ref: headRef,
      sha: headSha
    }
    const base: PullSide = {
      repository: full,
      repositoryId: REPOSITORY_ID,
      fork: false,
      ref: 'main',
      sha: 'b'.repeat(40)
    }
    const { number, id, title, body, state, user, createdAt, updatedAt, closedAt } = issue
    const facts = { number, id, title, body, state, user, createdAt, updatedAt, closedAt }
    return pullRequestSimpleShape({ ...facts, head, base }, at.origin)
  }

  /** An artifact of a workflow run, as its list shows it. */
  artifact(
    upload: StoredWorkflowRun['artifacts']['uploads'][number],
    run: StoredWorkflowRun,
    at: URL
  ): Record<string, unknown> {
    const facts = {
      id: run.id,
      repositoryId: REPOSITORY_ID,
      headRepositoryId: this.repositoryId(run.headRepository),
      headBranch: run.headBranch,
      headSha: run.headSha
    }
    return artifactShape(upload, facts, `${this.owner}/${this.repo}`, at.origin)
  }

  checkRun(run: StoredCheckRun, at: URL): Record<string, unknown> {
    const url = `${this.api(at)}/check-runs/${run.id}`
    return {
      id: run.id,
      node_id: nodeId('CR_', run.id),
      head_sha: run.headSha,
      external_id: run.externalId,
      url,
      html_url: `${this.html}/runs/${run.id}`,
      details_url: run.detailsUrl,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: {
        ...run.output,
        annotations_count: run.annotations.length,
        annotations_url: `${url}/annotations`
      },
      name: run.name,
      check_suite: { id: run.id + 1 },
      app: null,
      pull_requests: []
    }
  }

  /** This repository's id, or a fork's, stable for its name. */
  private repositoryId(fullName: string): number {
    const own = `${this.owner}/${this.repo}`.toLowerCase()
    const name = fullName.toLowerCase()
    return name === own ? REPOSITORY_ID : 2_000_000 + labelId(name)
  }

  private api(at: URL): string {
    return `${at.origin}/repos/${this.owner}/${this.repo}`
  }
}

function user(who: User, at: URL): Record<string, unknown> {
  return userShape(who, at.origin)
}

const labelId = (name: string): number =>
  [...name].reduce((hash, c) => (hash * 31 + (c.codePointAt(0) ?? 0)) % 2 ** 31, 7)
