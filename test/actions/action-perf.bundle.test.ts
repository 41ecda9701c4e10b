/**
 * dist/perf/index.js run as the GitHub runner runs it, on a pull_request
 * event, against a loopback GitHub REST API held to the published OpenAPI
 * description: the sticky comment, the check run and the annotations.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startGitHubApi, type GitHubApi } from '../emulators/github-api.js'
import { perfRepo, QUICK_BENCH_ARGS, SLOW_CASE, warmPerfRepo } from '../harness/perf-repo.js'
import { runAction, type ActionRun } from '../harness/run-action.js'

let api: GitHubApi | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

async function runPerf(gh: GitHubApi, prNumber: number): Promise<ActionRun> {
  const repo = perfRepo('slow4x')
  const baseSha = execFileSync('git', ['-C', repo, 'rev-parse', 'base'], {
    encoding: 'utf8'
  }).trim()
  return runAction({
    action: 'action-perf',
    workspace: repo,
    inputs: {
      // What is published is under test here, not the gate's accuracy: the head is 4× slower
      // and the filter selects that case alone, so one noisy round elsewhere cannot add a row.
      gate: 'threshold',
      'compare-filters': SLOW_CASE,
      'bench-args': QUICK_BENCH_ARGS,
      'min-base-ns': '0',
      'min-compare-cases': '1',
      'out-dir': mkdtempSync(join(tmpdir(), 'mace-perf-bundle-')),
      'artifact-name': '',
      token: gh.token
    },
    env: { ...gh.env, GITHUB_WORKFLOW: 'ci', GITHUB_JOB: 'perf' },
    event: {
      name: 'pull_request',
      payload: { number: prNumber, pull_request: { number: prNumber, base: { sha: baseSha } } }
    }
  })
}

describe('action-perf bundle', () => {
  beforeAll(warmPerfRepo)

  it('fails on a slowed case, comments once and updates that comment on the next run, with a check run', async () => {
    api = await startGitHubApi()
    const pr = api.addPullRequest({ title: 'slow change' })
    const first = await runPerf(api, pr.number)
    expect(first.exitCode, first.stdout).toBe(1)
    expect(first.outputs.result).toBe('failure')
    expect(first.outputs.regressed).toBe('1')
    expect(
      first.annotations.some(a => a.command === 'error' && a.message.includes(SLOW_CASE))
    ).toBe(true)
    const comments = api.state.comments.filter(c => c.issueNumber === pr.number)
    expect(comments).toHaveLength(1)
    // Markdown-escaped in the body: compare without the escapes.
    expect(comments[0]!.body.replace(/\\/g, '')).toContain(SLOW_CASE)
    const check = api.state.checkRuns[0]!
    expect(check.conclusion).toBe('failure')
    expect(check.annotations.map(a => a.title ?? a.message).join(' ')).toContain(SLOW_CASE)
    expect(check.annotations[0]!.path).toBe('benches/perf.rs')

    const second = await runPerf(api, pr.number)
    expect(second.exitCode).toBe(1)
    const after = api.state.comments.filter(c => c.issueNumber === pr.number)
    expect(after).toHaveLength(1)
    expect(after[0]!.id).toBe(comments[0]!.id)
    expect(api.requests.filter(r => r.operationId === 'issues/update-comment')).toHaveLength(1)
    // Every call our code made was a documented route with a documented body.
    expect(api.requests.filter(r => r.status >= 400)).toEqual([])
  })

  it('on a fork (read-only token) warns instead of commenting and still gates on the measurement', async () => {
    api = await startGitHubApi({ readOnly: true })
    const pr = api.addPullRequest()
    const run = await runPerf(api, pr.number)
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('failure')
    expect(
      run.annotations.some(
        a => a.command === 'warning' && /fork|read-only|not accessible/i.test(a.message)
      )
    ).toBe(true)
    expect(api.state.comments).toEqual([])
    expect(run.summary).toContain('perf gate')
  })
})
