/**
 * GitHub's bad answers, through dist/perf/index.js in `mode: report` as a `workflow_run` job runs
 * it: the pull request lookup, the artifact download, the sticky comment and the check run all go
 * to loopback emulations of the REST API and the artifact service that play the faults GitHub
 * really answers with. Transient ones are retried and the report is published; lasting ones are
 * named for what they are; a fork's zip bomb is refused with nothing written past the cap.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uploadArtifact } from '../../src/core/github/artifact.js'
import { silentLogger } from '../../src/core/shared/logger.js'
import { startArtifactService, type ArtifactService } from '../emulators/artifact-service.js'
import { startGitHubApi, type GitHubApi } from '../emulators/github-api.js'
import { twoRegressed } from '../core/perf/render/fixtures.js'
import { runAction, type ActionRun } from '../harness/run-action.js'
import { buildZip } from '../harness/zip-writer.js'

const FORK = 'forker/octo-repo'
const BRANCH = 'slow-change'
const RUN_ID = 5151
const HEAD = 'd'.repeat(40)
const MiB = 1024 * 1024

let api: GitHubApi
let service: ArtifactService

beforeAll(async () => {
  api = await startGitHubApi()
  service = await startArtifactService()
  const root = mkdtempSync(join(tmpdir(), 'mace-faults-compare-'))
  writeFileSync(join(root, 'compare.json'), JSON.stringify(twoRegressed()))
  const up = await uploadArtifact(
    { name: 'mace-perf-results', rootDirectory: root, files: [join(root, 'compare.json')] },
    silentLogger,
    service.env
  )
  expect(up.status).toBe('uploaded')
  api.addPullRequest({ headSha: HEAD, headRef: BRANCH, headRepository: FORK })
  api.addWorkflowRun({
    id: RUN_ID,
    headSha: HEAD,
    headBranch: BRANCH,
    headRepository: FORK,
    artifacts: service
  })
})

afterAll(async () => {
  await api?.close()
  await service?.close()
})

/** action-perf in mode report on the run, with the client's bounds and inputs given. */
function report(env: Record<string, string> = {}, inputs = {}): Promise<ActionRun> {
  return runAction({
    action: 'action-perf',
    workspace: mkdtempSync(join(tmpdir(), 'mace-faults-job-')),
    inputs: { mode: 'report', token: api.token, ...inputs },
    env: { ...api.env, GITHUB_WORKFLOW: 'perf-report', GITHUB_JOB: 'report', ...env },
    event: {
      name: 'workflow_run',
      payload: {
        workflow_run: {
          id: RUN_ID,
          name: 'perf',
          event: 'pull_request',
          head_sha: HEAD,
          head_branch: BRANCH,
          head_repository: { full_name: FORK },
          pull_requests: []
        }
      }
    }
  })
}

const statuses = (operationId: string, since: number): number[] =>
  api.requests
    .slice(since)
    .filter(r => r.operationId === operationId)
    .map(r => r.status)
const warnings = (run: ActionRun): string =>
  run.annotations
    .filter(a => a.command === 'warning')
    .map(a => a.message)
    .join('\n')

describe('report mode on a flaky GitHub', () => {
  it('retries one 503 on the pull request lookup, one 502 on the comment and one 500 on the check run, and publishes all', async () => {
    const seen = api.requests.length
    api.fault({ operationId: 'pulls/list', answer: 503, times: 1 })
    api.fault({ operationId: 'issues/create-comment', answer: 502, times: 1 })
    api.fault({ operationId: 'checks/create', answer: 500, times: 1 })
    const run = await report()
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(run.outputs['pull-request']).toBe('1')
    expect(statuses('pulls/list', seen)).toEqual([503, 200])
    expect(statuses('issues/create-comment', seen)).toEqual([502, 201])
    expect(statuses('checks/create', seen)).toEqual([500, 201])
    expect(api.state.comments).toHaveLength(1)
    expect(api.state.checkRuns.map(c => [c.headSha, c.conclusion])).toEqual([[HEAD, 'failure']])
    expect(warnings(run)).toBe('')
  })

  it('waits out a secondary rate limit (403, retry-after: 2) and brings the comment up to date', async () => {
    const seen = api.requests.length
    api.fault({ operationId: 'issues/list-comments', answer: 403, retryAfter: 2, times: 1 })
    const started = performance.now()
    const run = await report()
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(performance.now() - started).toBeGreaterThan(2000)
    expect(statuses('issues/list-comments', seen)).toEqual([403, 200])
    // The same report as before: the one comment found again, already saying it.
    expect(run.stdout).toContain('PR comment unchanged')
    expect(api.state.comments).toHaveLength(1)
    expect(warnings(run)).toBe('')
  })

  it('reports a secondary rate limit that outlasts the bounded wait as rate limited, not as permissions', async () => {
    const seen = api.requests.length
    api.fault({ operationId: 'issues/list-comments', answer: 403, retryAfter: 2, times: 2 })
    const run = await report({ MACE_GITHUB_MAX_WAIT_SECS: '3' })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(statuses('issues/list-comments', seen)).toEqual([403, 403])
    expect(warnings(run)).toContain(
      `Skipped the PR comment: GitHub did not take the PR comment: rate limited by GitHub (403 to GET /repos/${api.owner}/${api.repo}/issues/1/comments: You have exceeded a secondary rate limit.); it asked to wait 2 s more, after waiting 2 s, past the 3 s one request may wait.`
    )
    expect(warnings(run)).not.toMatch(/may not comment|permissions/)
    // The check run does not depend on the comment: it is still published.
    expect(statuses('checks/create', seen)).toEqual([201])
  })

  it('cuts a check run GitHub accepted and never answered at the timeout, and names it', async () => {
    const seen = api.requests.length
    // Every attempt: the first and the client's three retries.
    api.fault({ operationId: 'checks/create', answer: 'hang', times: 4 })
    const started = performance.now()
    const run = await report({ MACE_GITHUB_TIMEOUT_MS: '1000' })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    // Four attempts of a second each and the pauses between them: not Node's 300 s.
    expect(performance.now() - started).toBeLessThan(30_000)
    expect(statuses('checks/create', seen)).toEqual([0, 0, 0, 0])
    expect(warnings(run)).toContain(
      `Skipped the check run: GitHub did not take the check run: GitHub did not answer POST /repos/${api.owner}/${api.repo}/check-runs within 1 s, four times.`
    )
  })
})

/** Bytes under `dir`, every file at any depth. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .reduce((sum, e) => {
      try {
        return sum + statSync(join(e.parentPath, e.name)).size
      } catch {
        return sum // removed between the listing and the stat
      }
    }, 0)
}

/** Runs report mode on artifact `name` while sampling what its RUNNER_TEMP holds; the most seen. */
async function reportWatched(name: string): Promise<{ run: ActionRun; peak: number }> {
  const temp = mkdtempSync(join(tmpdir(), 'mace-faults-temp-'))
  let peak = 0
  const timer = setInterval(() => (peak = Math.max(peak, bytesUnder(temp))), 5)
  try {
    const run = await report({ RUNNER_TEMP: temp }, { 'artifact-name': name })
    return { run, peak: Math.max(peak, bytesUnder(temp)) }
  } finally {
    clearInterval(timer)
  }
}

describe('report mode on a fork’s zip bomb', () => {
  it('refuses 1 GiB of zeros in a 1 MB zip before unpacking a byte of it', async () => {
    const zip = await buildZip([{ name: 'compare.json', zeros: 1024 * MiB }])
    expect(zip.length).toBeLessThan(2 * MiB)
    service.seed('bomb', zip)
    const { run, peak } = await reportWatched('bomb')
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(
      `::error::The artifact 'bomb' of run ${RUN_ID} is refused: compare.json would unpack to ${1024 * MiB} bytes, over the ${16 * MiB} this step writes.`
    )
    // The zip itself (downloaded, then removed) and the step's own files; no unpacked byte.
    expect(peak).toBeLessThan(zip.length + MiB)
  })

  it('stops a bomb whose header understates its size at the cap, while it streams', async () => {
    const zip = await buildZip([{ name: 'compare.json', zeros: 1024 * MiB, declaredSize: 8 * MiB }])
    service.seed('liar', zip)
    const { run, peak } = await reportWatched('liar')
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(
      `::error::The artifact 'liar' of run ${RUN_ID} is refused: compare.json unpacked past the ${8 * MiB} bytes its header declares: stopped there.`
    )
    expect(peak).toBeLessThanOrEqual(16 * MiB + zip.length + MiB)
  })
})
