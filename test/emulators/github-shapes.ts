/**
 * The larger JSON shapes of GitHub's REST API, complete enough to pass the published response
 * schemas (`repository`, `pull-request-simple`, `artifact`): a pull request as `GET /pulls`
 * lists it, the repositories its head and base live in, and a workflow run's artifact. API URLs
 * point back at the emulator (`origin`), page URLs at github.com.
 */

/** Who owns or wrote something, as github-api.ts keeps it. */
export interface ShapeUser {
  login: string
  id: number
  type: 'Bot' | 'User' | 'Organization'
}

/** A user as every REST answer embeds one (`simple-user`). */
export function userShape(who: ShapeUser, origin: string): Record<string, unknown> {
  const url = `${origin}/users/${encodeURIComponent(who.login)}`
  const page = who.type === 'Bot' ? `apps/${who.login.replace(/\[bot\]$/, '')}` : who.login
  return {
    login: who.login,
    id: who.id,
    node_id: nodeId(who.type === 'Bot' ? 'BOT_' : 'U_', who.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${who.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `https://github.com/${page}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: who.type,
    site_admin: false
  }
}

/** A repository (`repository`), e.g. the base of a pull request or the fork its head is in. */
export function repositoryShape(
  fullName: string,
  id: number,
  fork: boolean,
  origin: string
): Record<string, unknown> {
  const [owner = '', name = ''] = fullName.split('/')
  const api = `${origin}/repos/${fullName}`
  const html = `https://github.com/${fullName}`
  const ownerUser: ShapeUser = { login: owner, id: id + 1, type: 'User' }
  const at = '2025-01-01T00:00:00Z'
  const templated = (what: string, suffix: string): string => `${api}/${what}${suffix}`
  return {
    id,
    node_id: nodeId('R_', id),
    name,
    full_name: fullName,
    owner: userShape(ownerUser, origin),
    private: false,
    html_url: html,
    description: null,
    fork,
    url: api,
    archive_url: templated('{archive_format}', '{/ref}'),
    assignees_url: templated('assignees', '{/user}'),
    blobs_url: templated('git/blobs', '{/sha}'),
    branches_url: templated('branches', '{/branch}'),
    collaborators_url: templated('collaborators', '{/collaborator}'),
    comments_url: templated('comments', '{/number}'),
    commits_url: templated('commits', '{/sha}'),
    compare_url: templated('compare/{base}...{head}', ''),
    contents_url: templated('contents/{+path}', ''),
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: templated('git/commits', '{/sha}'),
    git_refs_url: templated('git/refs', '{/sha}'),
    git_tags_url: templated('git/tags', '{/sha}'),
    git_url: `git://github.com/${fullName}.git`,
    issue_comment_url: templated('issues/comments', '{/number}'),
    issue_events_url: templated('issues/events', '{/number}'),
    issues_url: templated('issues', '{/number}'),
    keys_url: templated('keys', '{/key_id}'),
    labels_url: templated('labels', '{/name}'),
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: templated('milestones', '{/number}'),
    notifications_url: templated('notifications', '{?since,all,participating}'),
    pulls_url: templated('pulls', '{/number}'),
    releases_url: templated('releases', '{/id}'),
    ssh_url: `git@github.com:${fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: templated('statuses/{sha}', ''),
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: templated('git/trees', '{/sha}'),
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: 'Rust',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 100,
    default_branch: 'main',
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: at,
    created_at: at,
    updated_at: at
  }
}

/** A pull request's side: its branch in a repository, at a commit. */
export interface PullSide {
  repository: string
  repositoryId: number
  fork: boolean
  ref: string
  sha: string
}

/** What `pullRequestSimpleShape` needs of a stored pull request. */
export interface PullFacts {
  number: number
  id: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  user: ShapeUser
  createdAt: string
  updatedAt: string
  closedAt: string | null
  head: PullSide
  base: PullSide
}

/** A pull request as `GET /repos/{owner}/{repo}/pulls` lists it (`pull-request-simple`). */
export function pullRequestSimpleShape(pr: PullFacts, origin: string): Record<string, unknown> {
  const api = `${origin}/repos/${pr.base.repository}`
  const url = `${api}/pulls/${pr.number}`
  const html = `https://github.com/${pr.base.repository}/pull/${pr.number}`
  const issue = `${api}/issues/${pr.number}`
  const side = (s: PullSide): Record<string, unknown> => {
    const owner = s.repository.split('/')[0] ?? ''
    return {
      label: `${owner}:${s.ref}`,
      ref: s.ref,
      sha: s.sha,
      user: userShape({ login: owner, id: s.repositoryId + 1, type: 'User' }, origin),
      repo: repositoryShape(s.repository, s.repositoryId, s.fork, origin)
    }
  }
  const link = (href: string): { href: string } => ({ href })
  return {
    url,
    id: pr.id,
    node_id: nodeId('PR_', pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${api}/statuses/${pr.head.sha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userShape(pr.user, origin),
    body: pr.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pr.head),
    base: side(pr.base),
    _links: {
      self: link(url),
      html: link(html),
      issue: link(issue),
      comments: link(`${issue}/comments`),
      review_comments: link(`${url}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${url}/commits`),
      statuses: link(`${api}/statuses/${pr.head.sha}`)
    },
    author_association: pr.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: false
  }
}

/** An artifact a workflow run uploaded, as the service recorded it. */
export interface ArtifactFacts {
  id: number
  name: string
  size: number
  sha256: string
  createdAt: string
  expiresAt: string | undefined
}

/** The run an artifact belongs to. */
export interface RunFacts {
  id: number
  repositoryId: number
  headRepositoryId: number
  headBranch: string
  headSha: string
}

/** An artifact as `GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts` lists it. */
export function artifactShape(
  artifact: ArtifactFacts,
  run: RunFacts,
  repository: string,
  origin: string
): Record<string, unknown> {
  const url = `${origin}/repos/${repository}/actions/artifacts/${artifact.id}`
  return {
    id: artifact.id,
    node_id: nodeId('MDg6QXJ0aWZhY3Q', artifact.id),
    name: artifact.name,
    size_in_bytes: artifact.size,
    url,
    archive_download_url: `${url}/zip`,
    expired: false,
    created_at: artifact.createdAt,
    expires_at: artifact.expiresAt ?? null,
    updated_at: artifact.createdAt,
    digest: `sha256:${artifact.sha256}`,
    workflow_run: {
      id: run.id,
      repository_id: run.repositoryId,
      head_repository_id: run.headRepositoryId,
      head_branch: run.headBranch,
      head_sha: run.headSha
    }
  }
}

/** A node id in GitHub's base64 form. */
export const nodeId = (prefix: string, id: number): string =>
  prefix + Buffer.from(`0:${id}`).toString('base64url')
