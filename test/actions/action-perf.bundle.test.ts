/**
 * dist/perf/index.js run as the GitHub runner runs it, on a pull_request
 * event, against a loopback GitHub REST API held to the published OpenAPI
 * description: the sticky comment, the check run and the annotations; a
 * compare cancelled mid-round as the runner cancels a step; and
 * dist/cli/index.js (`npx mace-actions`) comparing instruction counts.
 */
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync, readdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { PerfCompareResult } from '../../src/core/perf/results.js'
import { startArtifactService } from '../emulators/artifact-service.js'
import { startGitHubApi, type GitHubApi } from '../emulators/github-api.js'
import { KNOB_CASES, knobRepo, warmKnobRepo } from '../harness/knob-repo.js'
import {
  IAI_BENCH,
  perfRepo,
  QUICK_BENCH_ARGS,
  SLOW1_CASE,
  SLOW_CASE,
  warmPerfRepo,
  type PerfRepoTag
} from '../harness/perf-repo.js'
import { NODE24, runAction, type ActionRun } from '../harness/run-action.js'

const CLI = join(import.meta.dirname, '../../dist/cli/index.js')

let api: GitHubApi | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

async function runPerf(
  gh: GitHubApi,
  prNumber: number,
  more: Record<string, string> = {},
  tag: PerfRepoTag = 'slow4x'
): Promise<ActionRun> {
  const repo = perfRepo(tag)
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
      token: gh.token,
      ...more
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

  it('keeps one comment and one check run per matrix leg, and makes a compare it could not judge neutral, never ✅', async () => {
    api = await startGitHubApi()
    const pr = api.addPullRequest({ title: 'two legs' })
    // One paired round gives no interval: the A/A case cannot be judged. Each process measures
    // 1.1 s, past the 1 s time budget, so the budget drops every other round.
    const notJudged = {
      gate: 'noise-aware',
      'bench-args': '--noplot --warm-up-time 0.5 --measurement-time 0.6 --sample-size 10',
      'split-budget': 'false',
      'time-budget': '1s'
    }
    const legs = ['{"os":"ubuntu-latest"}', '{"os":"ubuntu-24.04-arm"}']
    for (const matrix of legs) {
      const run = await runPerf(api, pr.number, { ...notJudged, matrix }, 'aa')
      expect(run.exitCode, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('success')
      expect(run.outputs.outcome).toBe('not-judged')
      expect(run.summary.split('\n')[0]).toMatch(
        /^### ⚠️ perf gate not judged: 1 of 1 compared case could not be judged/
      )
    }
    const comments = api.state.comments.filter(c => c.issueNumber === pr.number)
    expect(comments).toHaveLength(2)
    expect(api.state.checkRuns.map(c => [c.name, c.conclusion])).toEqual([
      ['perf gate (perf, ubuntu-latest)', 'neutral'],
      ['perf gate (perf, ubuntu-24.04-arm)', 'neutral']
    ])
    // The next run of the first leg updates its own comment, not the other leg's.
    await runPerf(api, pr.number, { ...notJudged, matrix: legs[0]! }, 'aa')
    expect(api.state.comments.filter(c => c.issueNumber === pr.number)).toHaveLength(2)
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

/** The runner kills the step 7.5 s + 2.5 s after its SIGINT. */
const RUNNER_WINDOW_MS = 10_000

describe('action-perf bundle, cancelled', () => {
  beforeAll(warmKnobRepo)

  it('on SIGINT then SIGTERM mid-compare writes the summary, the outputs and the artifact of what was measured', async () => {
    const service = await startArtifactService()
    const repo = knobRepo('aa')
    const outDir = mkdtempSync(join(tmpdir(), 'mace-perf-cancel-'))
    let signalledAt = 0
    try {
      const run = await runAction({
        action: 'action-perf',
        workspace: repo,
        inputs: {
          'base-ref': 'base',
          'min-base-ns': '0',
          // Room for every round, so that the cancel comes in the middle of the second.
          'time-budget': '10m',
          'out-dir': outDir,
          'check-run': 'false',
          'artifact-name': 'perf-cancelled'
        },
        // Longer runs than the threshold file's 0.2 s (the environment wins), to cancel one.
        env: { ...service.env, MACE_BENCH_MEASURE_SECS: '0.5' },
        onStart: child => {
          // Round 2 starts with the head: round 1 measured both sides.
          const poll = setInterval(() => {
            const runs = join(outDir, 'runs')
            // Round 2 has begun (a duet round runs one directory per case: head.r2.f1, …).
            if (existsSync(runs) && readdirSync(runs).some(d => d.startsWith('head.r2'))) {
              clearInterval(poll)
              signalledAt = Date.now()
              child.kill('SIGINT')
              // The runner's SIGTERM follows (7.5 s later there; sooner here): it must not end
              // the step before the results are out.
              setTimeout(() => child.kill('SIGTERM'), 300)
            }
          }, 50)
        }
      })
      const stopMs = Date.now() - signalledAt
      console.log(`action-perf: SIGINT to exit ${stopMs} ms`)
      expect(signalledAt).toBeGreaterThan(0)
      expect(stopMs).toBeLessThan(RUNNER_WINDOW_MS)
      expect(run.exitCode, run.stdout).toBe(1)
      expect(run.outputs).toMatchObject({
        result: 'failure',
        regressed: '0',
        compared: '3',
        'summary-json': join(outDir, 'compare.json'),
        'report-md': join(outDir, 'report.md')
      })
      expect(run.summary.split('\n')[0]).toBe(
        '### ⏹️ perf gate cancelled: 3 cases measured in 2 rounds before the cancel, no verdict'
      )
      // What was running when it stopped: round 2, a side, for some seconds.
      expect(run.summary).toMatch(
        /\*\*Running when it stopped:\*\* round 2, (the (head|base) side|base and head at once \(duet\))(, filter .*)?, for [\d.]+m?s/
      )
      expect(
        run.annotations.some(a => a.command === 'error' && a.message.includes('was cancelled'))
      ).toBe(true)
      const result = JSON.parse(
        readFileSync(join(outDir, 'compare.json'), 'utf8')
      ) as PerfCompareResult
      expect(result.cancelled).toBe(true)
      expect(result.cases.map(c => c.id).sort()).toEqual(KNOB_CASES)
      for (const c of result.cases) expect(c.headRounds.length).toBeGreaterThanOrEqual(1)
      const upload = service.uploads.find(u => u.name === 'perf-cancelled')
      expect([...(upload?.files.keys() ?? [])]).toEqual(
        expect.arrayContaining([
          'compare.json',
          'report.md',
          'base_summary.json',
          'head_summary.json',
          'base.bench.log',
          'head.bench.log'
        ])
      )
      const trees = execFileSync('git', ['-C', repo, 'worktree', 'list'], { encoding: 'utf8' })
      expect(trees.trim().split('\n')).toHaveLength(1)
    } finally {
      await service.close()
    }
  })
})

describe('action-perf bundle on instruction counts', () => {
  beforeAll(warmPerfRepo)

  it('fails a head doing 1 % more work, and every rendering says instructions', async () => {
    api = await startGitHubApi()
    const pr = api.addPullRequest({ title: 'one put more in a hundred' })
    const repo = perfRepo('slow1')
    const baseSha = execFileSync('git', ['-C', repo, 'rev-parse', 'base'], {
      encoding: 'utf8'
    }).trim()
    const run = await runAction({
      action: 'action-perf',
      workspace: repo,
      inputs: {
        metric: 'instructions',
        bench: IAI_BENCH,
        'out-dir': mkdtempSync(join(tmpdir(), 'mace-perf-bundle-')),
        'artifact-name': '',
        token: api.token
      },
      env: { ...api.env, GITHUB_WORKFLOW: 'ci', GITHUB_JOB: 'perf' },
      event: {
        name: 'pull_request',
        payload: { number: pr.number, pull_request: { number: pr.number, base: { sha: baseSha } } }
      }
    })
    expect(run.exitCode, run.stdout).toBe(1)
    expect(run.outputs).toMatchObject({ result: 'failure', regressed: '1', compared: '8' })
    expect(run.stdout).toContain('perf compare (instructions): FAIL')
    const error = run.annotations.find(a => a.command === 'error' && a.message.includes(SLOW1_CASE))
    expect(error?.message).toMatch(
      /runs more instructions: [\d,]+ → [\d,]+ instructions, Δ \+1\.\d\d %/
    )
    expect(run.summary).toContain('**Metric** instructions')
    expect(run.summary).toContain('Other callgrind metrics')
    const [comment] = api.state.comments.filter(c => c.issueNumber === pr.number)
    expect(comment!.body).toContain('| Base (instructions) | Head (instructions) |')
    const check = api.state.checkRuns[0]!
    expect(check.conclusion).toBe('failure')
    expect(check.annotations.map(a => a.title).join(' ')).toContain(SLOW1_CASE)
    expect(api.requests.filter(r => r.status >= 400)).toEqual([])
  })

  /** `mace-actions perf compare --metric instructions`, as `npx` runs the bundle. */
  async function cli(tag: PerfRepoTag): Promise<{ code: number; stdout: string }> {
    const repo = perfRepo(tag)
    const args = [
      CLI,
      'perf',
      'compare',
      '--metric',
      'instructions',
      '--bench',
      IAI_BENCH,
      '--base-ref',
      'base',
      '--out-dir',
      mkdtempSync(join(tmpdir(), 'mace-perf-cli-')),
      '--quiet'
    ]
    try {
      const { stdout } = await promisify(execFile)(NODE24, args, { cwd: repo })
      return { code: 0, stdout }
    } catch (error) {
      const e = error as { code: number; stdout: string }
      return { code: e.code, stdout: e.stdout }
    }
  }

  it('the CLI bundle passes an A/A compare, printing every case with its counts', async () => {
    const { code, stdout } = await cli('aa')
    expect(code, stdout).toBe(0)
    expect(stdout).toContain('base instructions  head instructions')
    const rows = stdout.split('\n').filter(l => /^UNCHANGED +iai::store::/.test(l))
    expect(rows).toHaveLength(8)
    for (const row of rows) expect(row).toMatch(/ [\d,]{7,} +[\d,]{7,} +[-+]?0\.\d\d % /)
    expect(stdout).toContain('result: PASS')
  })

  it('the CLI bundle fails a 1 % slowdown, naming the case', async () => {
    const { code, stdout } = await cli('slow1')
    expect(code, stdout).toBe(1)
    expect(stdout).toMatch(
      new RegExp(`REGRESSED  ${SLOW1_CASE} +[\\d,]+ +[\\d,]+ +\\+1\\.\\d\\d %`)
    )
    expect(stdout).toContain(`result: FAIL (1 case regressed beyond 1 %: ${SLOW1_CASE})`)
  })
})
