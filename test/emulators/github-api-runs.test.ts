/**
 * The GitHub API emulator's pull request list and workflow run artifacts, as report mode uses
 * them: each answer checked against GitHub's published response schema (a 500 if not), the
 * artifacts being those the run's jobs uploaded to the artifact service emulator, and the
 * download a redirect to that service's blob storage.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import { uploadArtifact } from '../../src/core/github/artifact.js'
import { createGitHubClient, type GitHubClient } from '../../src/core/github/client.js'
import { silentLogger } from '../../src/core/shared/logger.js'
import { startArtifactService, type ArtifactService } from './artifact-service.js'
import { startGitHubApi, type GitHubApi } from './github-api.js'

const HEAD = 'c'.repeat(40)

let running: GitHubApi | undefined
afterEach(() => {
  expect(running?.requests.filter(r => r.status === 500) ?? []).toEqual([])
  running = undefined
})

async function emulators(): Promise<[GitHubApi, ArtifactService, GitHubClient]> {
  const api = await startGitHubApi()
  const service = await startArtifactService()
  running = api
  onTestFinished(async () => {
    await api.close()
    await service.close()
  })
  return [api, service, createGitHubClient(api.token, api.env)]
}

/** Uploads files as the measuring job would, to the service its run writes to. */
async function upload(
  service: ArtifactService,
  name: string,
  files: Record<string, string>
): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'api-runs-'))
  for (const [file, text] of Object.entries(files)) writeFileSync(join(root, file), text)
  const paths = Object.keys(files).map(f => join(root, f))
  const outcome = await uploadArtifact({ name, rootDirectory: root, files: paths }, silentLogger, {
    ...service.env
  })
  expect(outcome.status).toBe('uploaded')
}

describe('pull requests by their head, as GET /repos/{owner}/{repo}/pulls lists them', () => {
  it('filters open pull requests by head owner and branch, a fork’s head repository shown', async () => {
    const [api, , octokit] = await emulators()
    const fork = api.addPullRequest({
      headSha: HEAD,
      headRef: 'fix',
      headRepository: 'forker/octo-repo'
    })
    api.addPullRequest({ headSha: 'd'.repeat(40), headRef: 'fix' }) // same branch name, in the base
    const { data } = await octokit.rest.pulls.list({
      owner: api.owner,
      repo: api.repo,
      head: 'forker:fix',
      state: 'open',
      per_page: 100
    })
    expect(
      data.map(pr => [pr.number, pr.head.sha, pr.head.repo?.full_name, pr.head.repo?.fork])
    ).toEqual([[fork.number, HEAD, 'forker/octo-repo', true]])
    const all = await octokit.rest.pulls.list({ owner: api.owner, repo: api.repo })
    expect(all.data).toHaveLength(2)
    expect(api.requests.map(r => r.operationId)).toEqual(['pulls/list', 'pulls/list'])
  })

  it('leaves closed pull requests out unless asked for them', async () => {
    const [api, , octokit] = await emulators()
    api.addPullRequest({ headRef: 'old' }).state = 'closed'
    const open = await octokit.rest.pulls.list({ owner: api.owner, repo: api.repo })
    const all = await octokit.rest.pulls.list({ owner: api.owner, repo: api.repo, state: 'all' })
    expect([open.data.length, all.data.length]).toEqual([0, 1])
  })
})

describe('a workflow run’s artifacts, listed and downloaded through the API', () => {
  it('lists what the run’s jobs uploaded, with size and digest', async () => {
    const [api, service, octokit] = await emulators()
    await upload(service, 'mace-perf-results', { 'compare.json': '{}' })
    api.addWorkflowRun({
      id: 4242,
      headSha: HEAD,
      headBranch: 'fix',
      headRepository: 'forker/octo-repo',
      artifacts: service
    })
    const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
      owner: api.owner,
      repo: api.repo,
      run_id: 4242
    })
    const [uploaded] = service.uploads
    expect(data.total_count).toBe(1)
    expect(data.artifacts[0]).toMatchObject({
      id: uploaded!.id,
      name: 'mace-perf-results',
      size_in_bytes: uploaded!.size,
      digest: `sha256:${uploaded!.sha256}`,
      workflow_run: { id: 4242, head_sha: HEAD, head_branch: 'fix' }
    })
    const missing = await octokit.rest.actions
      .listWorkflowRunArtifacts({ owner: api.owner, repo: api.repo, run_id: 1 })
      .catch((e: { status: number }) => e.status)
    expect(missing).toBe(404)
  })

  it('answers a download with a redirect to the blob, which serves the zip as uploaded', async () => {
    const [api, service, octokit] = await emulators()
    await upload(service, 'mace-test-results', { 'results.json': '{"tool":"x"}' })
    api.addWorkflowRun({
      id: 7,
      headSha: HEAD,
      headBranch: 'fix',
      headRepository: `${api.owner}/${api.repo}`,
      artifacts: service
    })
    const id = service.uploads[0]!.id
    const answer = await octokit.rest.actions.downloadArtifact({
      owner: api.owner,
      repo: api.repo,
      artifact_id: id,
      archive_format: 'zip',
      request: { redirect: 'manual' }
    })
    expect(answer.status).toBe(302)
    const blob = await fetch(answer.headers.location!)
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(service.uploads[0]!.content)
    const unknown = await octokit.rest.actions
      .downloadArtifact({
        owner: api.owner,
        repo: api.repo,
        artifact_id: id + 1,
        archive_format: 'zip',
        request: { redirect: 'manual' }
      })
      .catch((e: { status: number }) => e.status)
    expect(unknown).toBe(404)
  })
})

describe('the token of a fork’s pull request', () => {
  it('reads the repository but every write is refused with 403', async () => {
    const [api] = await emulators()
    const pr = api.addPullRequest()
    const fork = createGitHubClient(api.forkToken, api.env)
    const listed = await fork.rest.issues.listComments({
      owner: api.owner,
      repo: api.repo,
      issue_number: pr.number
    })
    expect(listed.status).toBe(200)
    const write = await fork.rest.issues
      .createComment({ owner: api.owner, repo: api.repo, issue_number: pr.number, body: 'x' })
      .catch((e: { status: number }) => e.status)
    expect(write).toBe(403)
  })
})
