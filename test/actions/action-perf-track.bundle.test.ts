/**
 * dist/perf/index.js in mode track, as the runner runs it on pushes to the
 * default branch: the history goes to the branch `mace-actions-data` of a local
 * bare repository standing as `origin`, and the tracking issue to the loopback
 * emulation of GitHub's API. The fixture's gungraun bench counts instructions,
 * so the shift found is exact. A pull request's run is refused before anything
 * is built.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeHistory } from '../../src/core/history/place.js'
import type { HistoryPoint } from '../../src/core/history/point.js'
import type { TrackResult } from '../../src/core/history/results.js'
import { readSeries } from '../../src/core/history/store.js'
import { updateHistory } from '../../src/core/history/update.js'
import { silentLogger } from '../../src/core/shared/logger.js'
import { startGitHubApi, type GitHubApi } from '../emulators/github-api.js'
import {
  IAI_BENCH,
  PERF_REPO,
  perfRepo,
  TRACK_SLOW_CASES,
  warmPerfRepo
} from '../harness/perf-repo.js'
import { runAction, type ActionRun } from '../harness/run-action.js'

const BRANCH = 'mace-actions-data'
const KEY = { part: 'perf', bench: IAI_BENCH, metric: 'instructions' } as const

const git = (...args: string[]): string =>
  execFileSync('git', args, {
    cwd: PERF_REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  }).trim()

describe('action-perf mode track', () => {
  let api: GitHubApi
  let origin: string

  beforeAll(async () => {
    await warmPerfRepo()
    api = await startGitHubApi()
    origin = join(mkdtempSync(join(tmpdir(), 'mace-track-origin-')), 'origin.git')
    execFileSync('git', ['init', '-q', '--bare', origin])
    perfRepo('track1')
    git('remote', 'add', 'origin', origin)
  })

  afterAll(async () => {
    git('remote', 'remove', 'origin')
    await api?.close()
  })

  async function track(tag: string, event = 'push'): Promise<ActionRun> {
    const repo = perfRepo(tag as 'track1')
    return runAction({
      action: 'action-perf',
      workspace: repo,
      inputs: {
        mode: 'track',
        metric: 'instructions',
        bench: IAI_BENCH,
        'out-dir': mkdtempSync(join(tmpdir(), 'mace-track-bundle-')),
        'artifact-name': '',
        token: api.token
      },
      env: { ...api.env, GITHUB_WORKFLOW: 'perf-history', GITHUB_JOB: 'track' },
      event: {
        name: event,
        payload: { ref: 'refs/heads/master', repository: { default_branch: 'master' } }
      }
    })
  }

  /** Two more points at the first one's counts, as if two more commits had been tracked. */
  async function seedTwoCommits(): Promise<void> {
    const tip = readSeries(checkoutOfOrigin(), KEY).points[0]!
    const fake = (day: number): HistoryPoint => ({
      ...tip,
      commit: `${day}`.repeat(40).slice(0, 40),
      commitTime: `2026-11-0${day}T12:00:00.000Z`,
      time: new Date().toISOString()
    })
    for (const p of [fake(2), fake(3)]) {
      await writeHistory(
        { kind: 'branch', branch: BRANCH, remote: 'origin', repoRoot: PERF_REPO },
        dir =>
          updateHistory(dir, KEY, p, { minPoints: 3, alpha: 0.001, shiftPct: 1, maxPoints: 1000 }),
        () => 'seed',
        silentLogger
      )
    }
  }

  function checkoutOfOrigin(): string {
    const dir = join(mkdtempSync(join(tmpdir(), 'mace-track-read-')), 'h')
    execFileSync('git', ['clone', '-q', '--branch', BRANCH, `file://${origin}`, dir])
    return dir
  }

  it('refuses a pull request before building anything', async () => {
    const run = await track('track1', 'pull_request')
    expect(run.exitCode).toBe(1)
    const error = run.commands.find(c => c.command === 'error')
    expect(error?.message).toMatch(/^Invalid input 'mode': 'track' on a pull_request event\. /)
    expect(git('ls-remote', '--heads', 'origin')).toBe('')
  })

  it('creates the history branch with its page, then finds the shift of the fourth commit and opens an issue', async () => {
    const first = await track('track1')
    expect(first.exitCode, first.stdout).toBe(0)
    expect(first.outputs).toMatchObject({ result: 'success', compared: '8', shifts: '0' })
    expect(first.summary).toContain('**History**: branch <code>mace\\-actions\\-data</code> at')
    await seedTwoCommits()
    for (const tag of ['track4', 'track5']) {
      const run = await track(tag)
      expect(run.outputs.shifts, run.stdout).toBe('0')
    }
    const last = await track('track6')
    expect(last.exitCode, last.stdout).toBe(0)
    expect(last.outputs.shifts).toBe('2')
    const result = JSON.parse(readFileSync(last.outputs['summary-json']!, 'utf8')) as TrackResult
    expect(result.shifts.map(s => s.id).sort()).toEqual([...TRACK_SLOW_CASES].sort())
    expect(new Set(result.shifts.map(s => s.firstCommit))).toEqual(
      new Set([git('rev-parse', 'track4')])
    )
    expect(result.history).toMatchObject({ kind: 'branch', location: BRANCH, attempts: 1 })
    expect(last.summary).toContain('### Lasting shifts')
    const [issue] = api.state.issues
    expect(issue).toMatchObject({
      title: 'Lasting performance shift on the default branch',
      labels: ['perf-shift']
    })
    for (const id of TRACK_SLOW_CASES) expect(issue!.body).toContain(id.replace(/([:_])/g, '\\$1'))
    expect(issue!.body).toContain(
      `https://github.com/${api.owner}/${api.repo}/compare/${'3'.repeat(40)}...${git('rev-parse', 'track4')}`
    )
    const history = checkoutOfOrigin()
    expect(readSeries(history, KEY).points).toHaveLength(6)
    expect(readFileSync(join(history, 'index.html'), 'utf8')).toContain(
      '<script src="data.js"></script>'
    )
  })
})
