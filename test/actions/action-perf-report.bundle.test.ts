/**
 * Fork-safe reporting as users run it: dist/perf/index.js measures a fork's pull request with
 * the fork's read-only token (its comment refused, its artifact uploaded), then runs again in
 * `mode: report`, as a `workflow_run` job of the base repository would, and posts the comment
 * and check run from that trusted context. Against loopback emulations of the GitHub REST API
 * (held to its published description) and of the artifact service.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PerfCompareResult } from '../../src/core/perf/results.js'
import { startArtifactService, type ArtifactService } from '../emulators/artifact-service.js'
import { startGitHubApi, type GitHubApi } from '../emulators/github-api.js'
import { perfRepo, QUICK_BENCH_ARGS, SLOW_CASE, warmPerfRepo } from '../harness/perf-repo.js'
import { runAction, type ActionRun } from '../harness/run-action.js'
import { uploadArtifact } from '../../src/core/github/artifact.js'
import { silentLogger } from '../../src/core/shared/logger.js'

const FORK = 'forker/octo-repo'
const BRANCH = 'slow-change'
const RUN_ID = 4242

let api: GitHubApi
let service: ArtifactService
let headSha: string
let measured: ActionRun
let outDir: string

/** The workflow_run event of the measuring run, as GitHub writes it for a fork's pull request. */
function workflowRunEvent(id: number, sha: string): { name: string; payload: unknown } {
  return {
    name: 'workflow_run',
    payload: {
      action: 'completed',
      workflow_run: {
        id,
        name: 'perf',
        event: 'pull_request',
        head_sha: sha,
        head_branch: BRANCH,
        head_repository: { full_name: FORK },
        // GitHub lists no pull request for a fork's run: the report must not rely on it.
        pull_requests: []
      }
    }
  }
}

/** action-perf in mode report, in a job with no checkout, on the base repository's token. */
function report(event: { name: string; payload: unknown }, inputs = {}): Promise<ActionRun> {
  return runAction({
    action: 'action-perf',
    workspace: mkdtempSync(join(tmpdir(), 'mace-report-job-')),
    inputs: { mode: 'report', token: api.token, ...inputs },
    env: { ...api.env, GITHUB_WORKFLOW: 'perf-report', GITHUB_JOB: 'report' },
    event
  })
}

beforeAll(async () => {
  await warmPerfRepo()
  api = await startGitHubApi()
  service = await startArtifactService()
  const repo = perfRepo('slow4x')
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim()
  headSha = git('rev-parse', 'HEAD')
  outDir = mkdtempSync(join(tmpdir(), 'mace-perf-fork-'))
  // The measuring workflow on the fork's pull request: the fork's token may read, never write.
  const pr = api.addPullRequest({ headSha, headRef: BRANCH, headRepository: FORK })
  measured = await runAction({
    action: 'action-perf',
    workspace: repo,
    inputs: {
      gate: 'threshold',
      'compare-filters': SLOW_CASE,
      'bench-args': QUICK_BENCH_ARGS,
      'min-base-ns': '0',
      'min-compare-cases': '1',
      'out-dir': outDir,
      token: api.forkToken
    },
    env: { ...api.env, ...service.env, GITHUB_WORKFLOW: 'perf', GITHUB_JOB: 'perf' },
    event: {
      name: 'pull_request',
      payload: {
        number: pr.number,
        pull_request: { number: pr.number, base: { sha: git('rev-parse', 'base') } }
      }
    }
  })
  api.addWorkflowRun({
    id: RUN_ID,
    headSha,
    headBranch: BRANCH,
    headRepository: FORK,
    artifacts: service
  })
}, 300_000)

afterAll(async () => {
  await api?.close()
  await service?.close()
})

describe('a fork’s pull request, reported by a workflow_run job', () => {
  it('the measuring run cannot comment with the fork’s token, and uploads its results', () => {
    expect(measured.exitCode, measured.stdout).toBe(1)
    expect(measured.outputs.result).toBe('failure')
    expect(api.state.comments).toEqual([])
    expect(service.uploads.map(u => u.name)).toEqual(['mace-perf-results'])
    expect(service.uploads[0]!.files.has('compare.json')).toBe(true)
  })

  it('posts the comment on the pull request and the check run on the measured commit', async () => {
    const pr = api.state.issues.find(i => i.pullRequest?.headRepository === FORK)!
    const seen = api.requests.length
    const run = await report(workflowRunEvent(RUN_ID, headSha))
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(run.outputs['pull-request']).toBe(String(pr.number))
    expect(run.outputs.result).toBe('failure')
    expect(run.outputs.regressed).toBe('1')
    const comments = api.state.comments.filter(c => c.issueNumber === pr.number)
    expect(comments).toHaveLength(1)
    expect(comments[0]!.body.replace(/\\/g, '')).toContain(SLOW_CASE)
    // The comment links the measuring run, where the logs are.
    expect(comments[0]!.body).toContain(`/actions/runs/${RUN_ID}`)
    const check = api.state.checkRuns.at(-1)!
    expect([check.headSha, check.conclusion]).toEqual([headSha, 'failure'])
    expect(check.annotations.map(a => a.title ?? a.message).join(' ')).toContain(SLOW_CASE)
    expect(run.summary).toContain('perf gate')
    const requests = api.requests.slice(seen)
    const operations = requests.map(r => r.operationId)
    expect(operations).toEqual(
      expect.arrayContaining([
        'actions/list-workflow-run-artifacts',
        'actions/download-artifact',
        'pulls/list',
        'issues/create-comment',
        'checks/create'
      ])
    )
    // Every call was a documented route with a documented body, and none was refused.
    expect(requests.filter(r => r.status >= 400)).toEqual([])
  })

  it('renders what the artifact says as text: a hostile case id is escaped everywhere', async () => {
    const hostile = 'Put|<img src=x onerror=alert(1)>`x`</details>\n@octocat ::error::x'
    const doc = JSON.parse(readFileSync(join(outDir, 'compare.json'), 'utf8')) as PerfCompareResult
    for (const c of doc.cases) c.id = `${hostile}/${c.id}`
    const root = mkdtempSync(join(tmpdir(), 'mace-hostile-'))
    writeFileSync(join(root, 'compare.json'), JSON.stringify(doc))
    // Uploaded by the same run, under another name: what a pull request's code could upload.
    const up = await uploadArtifact(
      { name: 'hostile', rootDirectory: root, files: [join(root, 'compare.json')] },
      silentLogger,
      service.env
    )
    expect(up.status).toBe('uploaded')
    const run = await report(workflowRunEvent(RUN_ID, headSha), { 'artifact-name': 'hostile' })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    const body = api.state.comments.at(-1)!.body
    // Every < of the id is escaped (shown, not parsed as HTML), and its line break is gone.
    expect(body).toContain('\\<img src')
    expect(body).not.toMatch(/(?<!\\)<(img|\/details)/)
    expect(body).not.toContain('\n@octocat')
    expect(run.summary).not.toMatch(/(?<!\\)<(img|\/details)/)
    // No workflow command smuggled into the log by a case id.
    expect(run.stdout.split('\n').some(l => l.startsWith('::error::x'))).toBe(false)
  })

  it('comments nowhere when no open pull request has the run’s head, and says why', async () => {
    const before = api.state.comments.length
    const pushedAgain = 'f'.repeat(40)
    api.addWorkflowRun({
      id: RUN_ID + 2,
      headSha: pushedAgain,
      headBranch: BRANCH,
      headRepository: FORK,
      artifacts: service
    })
    const run = await report(workflowRunEvent(RUN_ID + 2, pushedAgain))
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.outputs['pull-request']).toBe('')
    expect(run.stdout).toContain(`No comment: no open pull request has ${FORK}:${BRANCH}`)
    expect(api.state.comments).toHaveLength(before)
    expect(api.state.checkRuns.at(-1)!.headSha).toBe(pushedAgain)
  })

  it('refuses to run on another event, or without an artifact name, naming the input', async () => {
    const push = await report({ name: 'pull_request', payload: {} })
    expect(push.exitCode).toBe(1)
    expect(push.stdout).toContain(
      "::error::Invalid input 'mode': 'report' publishes the results of the run that triggered this workflow, so it runs only on the workflow_run event, not on 'pull_request'."
    )
    const unnamed = await report(workflowRunEvent(RUN_ID, headSha), { 'artifact-name': '' })
    expect(unnamed.exitCode).toBe(1)
    expect(unnamed.stdout).toContain("::error::Invalid input 'artifact-name': empty.")
    const missing = await report(workflowRunEvent(RUN_ID, headSha), { 'artifact-name': 'other' })
    expect(missing.exitCode).toBe(1)
    expect(missing.stdout).toContain(`Run ${RUN_ID} has no artifact named 'other'`)
  })
})
