/**
 * dist/soak/index.js run as the GitHub runner runs it (Node 24, INPUT_*,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), against loopback emulations of the
 * artifact service and of the GitHub REST API held to its OpenAPI description:
 * cancellation mid-cycle, the tracking issue of a failing nightly soak, and
 * the threshold file's bench knobs in the perf snapshots of a mace-shaped crate.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CSV_HEADER } from '../../src/core/soak/csv.js'
import type { SoakResult } from '../../src/core/soak/results.js'
import type { TestRunResult } from '../../src/core/layers/results.js'
import { startArtifactService, type ArtifactService } from '../emulators/artifact-service.js'
import { startGitHubApi, type GitHubApi } from '../emulators/github-api.js'
import { markerLine, pidsIn, processAlive } from '../harness/fixture.js'
import { KNOB_CASES, knobRepo, warmKnobRepo } from '../harness/knob-repo.js'
import { runAction, type ActionRun } from '../harness/run-action.js'
import { quickSoakEnv, quickSoakFlags, warmSoakRepo } from '../harness/soak-repo.js'

/** The runner kills the step 7.5 s + 2.5 s after its SIGINT; SIGTERM is the later of the two. */
const RUNNER_WINDOW_MS = 10_000

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)
  )
}

describe('action-soak bundle', () => {
  let repo = ''
  let service: ArtifactService
  let api: GitHubApi | undefined
  beforeAll(async () => {
    repo = await warmSoakRepo()
    service = await startArtifactService()
  })
  afterAll(async () => {
    await service.close()
  })
  afterEach(async () => {
    await api?.close()
    api = undefined
  })

  it('on SIGTERM mid-cycle stops cargo with its tree and leaves CSV, results, summary and artifact', async () => {
    const pidDir = mkdtempSync(join(tmpdir(), 'mace-soak-pids-'))
    const flags = quickSoakFlags()
    let signalledAt = 0
    const run = await runAction({
      action: 'action-soak',
      workspace: repo,
      inputs: {
        ...flags,
        'stress-cases': 'stress:stress_bucket_rounds,stress:stress_evictor',
        'chaos-every': '0',
        'artifact-name': 'soak-cancelled'
      },
      env: {
        ...stringEnv(quickSoakEnv({ FIXTURE_HANG_CYCLE: '2', FIXTURE_PID_DIR: pidDir })),
        ...service.env
      },
      onStart: child => {
        // Cycle 2's stress_evictor hangs and writes its pid: the soak is mid-cycle.
        const poll = setInterval(() => {
          if (readdirSync(pidDir).length > 0) {
            clearInterval(poll)
            signalledAt = Date.now()
            child.kill('SIGTERM')
          }
        }, 50)
      }
    })
    const stopMs = Date.now() - signalledAt
    console.log(`action-soak: SIGTERM to exit ${stopMs} ms`)
    expect(signalledAt).toBeGreaterThan(0)
    expect(stopMs).toBeLessThan(RUNNER_WINDOW_MS)
    expect(run.exitCode, run.stdout).toBe(1)
    expect(pidsIn(pidDir).filter(processAlive)).toEqual([])

    const metrics = flags['metrics-dir']!
    const csv = readFileSync(join(metrics, 'perf_cycles.csv'), 'utf8').trimEnd().split('\n')
    expect(csv[0]).toBe(CSV_HEADER)
    expect(csv.slice(1)).toHaveLength(1)
    expect(csv[1]).toMatch(/^1,\d+,3,\d+\.\d{2},\d+\.\d{2}$/)
    const result = JSON.parse(readFileSync(join(metrics, 'soak.json'), 'utf8')) as SoakResult
    expect(result.cancelled).toBe(true)
    expect(result.stopReason).toBe('cancelled')
    expect(result.cycles.map(c => c.interrupted ?? 'done')).toEqual(['done', 'cancelled'])
    expect(result.failures).toEqual([])
    expect(result.postCheck).toBeUndefined()
    // The cycle's own results say cancelled too, never failed.
    const nested = JSON.parse(
      readFileSync(join(metrics, result.cycles[1]!.steps[0]!.results), 'utf8')
    ) as TestRunResult
    expect(nested.failures).toEqual([])
    expect(nested.layers[0]!.cases.map(c => c.status)).toContain('cancelled')

    expect(run.outputs).toMatchObject({
      result: 'failure',
      cycles: '2',
      drift: 'insufficient',
      'csv-path': join(metrics, 'perf_cycles.csv'),
      'results-path': join(metrics, 'soak.json')
    })
    expect(run.summary).toContain('xychart-beta')
    expect(run.summary).toMatch(/cancelled/)
    // Which cycle, step and case the cancel cut short, with its command.
    expect(result.running).toMatchObject({ cycle: 2, step: 'stress' })
    expect(run.summary).toMatch(
      /\*\*Running when it stopped:\*\* cycle 2, step stress, case <code>stress\\:stress\\_evictor<\/code>, for [\d.]+s: <code>cargo test /
    )
    expect(run.annotations.some(a => a.command === 'error' && /cancelled/.test(a.message))).toBe(
      true
    )
    const upload = service.uploads.find(u => u.name === 'soak-cancelled')!
    expect(upload).toBeDefined()
    const files = [...upload.files.keys()]
    expect(files).toEqual(
      expect.arrayContaining([
        'perf_cycles.csv',
        'perf_cycle_1.json',
        'soak.json',
        'soak-summary.md'
      ])
    )
    expect(files.some(f => f.startsWith('perf/bin/'))).toBe(false)
  })

  it('annotates the failed test of every cycle at its file:line, and each flaky case, as action-test does', async () => {
    const flakyDir = mkdtempSync(join(tmpdir(), 'mace-soak-flaky-'))
    const run = await runAction({
      action: 'action-soak',
      workspace: repo,
      inputs: {
        ...quickSoakFlags(),
        'max-cycles': '2',
        'chaos-every': '1',
        'chaos-cases': 'chaos:chaos_flaky_recovery',
        'perf-every': '0',
        'post-check': 'false',
        'artifact-name': ''
      },
      env: stringEnv(quickSoakEnv({ FIXTURE_STRESS_FAIL: '1', FIXTURE_FLAKY_DIR: flakyDir }))
    })
    expect(run.exitCode, run.stdout).toBe(1)
    const line = String(markerLine('tests/stress.rs', 'stress-fail-line'))
    const errors = run.annotations.filter(a => a.command === 'error' && a.properties.file)
    expect(errors.map(a => [a.properties.title, a.properties.file, a.properties.line])).toEqual([
      [
        'cycle 1: stress:stress_bucket_rounds: stress_bucket_rounds failed',
        'tests/stress.rs',
        line
      ],
      ['cycle 2: stress:stress_bucket_rounds: stress_bucket_rounds failed', 'tests/stress.rs', line]
    ])
    expect(errors[0]!.message).toContain('FIXTURE_STRESS_FAIL: injected failure')
    // The chaos case failed once in cycle 1, then passed its retry: flaky, counted, never failed.
    const warnings = run.annotations.filter(a => a.command === 'warning')
    expect(warnings.map(a => a.properties.title)).toContain(
      'cycle 1: chaos:chaos_flaky_recovery is flaky'
    )
    expect(run.outputs.flaky).toBe('cycle 1: chaos:chaos_flaky_recovery')
    expect(run.outputs.failures).toBe(
      'cycle 1: stress:stress_bucket_rounds\ncycle 2: stress:stress_bucket_rounds'
    )
    expect(run.summary).toContain('1 flaky case \\(passed on a retry\\) in cycle 1')
  })

  it('opens one tracking issue on failure, comments on the next failure and closes it on a pass', async () => {
    api = await startGitHubApi()
    const soakOnce = async (switches: Record<string, string>): Promise<ActionRun> =>
      runAction({
        action: 'action-soak',
        workspace: repo,
        inputs: {
          ...quickSoakFlags(),
          'max-cycles': '1',
          'chaos-every': '0',
          'perf-every': '0',
          'post-check': 'false',
          'tracking-issue': 'true',
          'artifact-name': '',
          token: api!.token
        },
        env: {
          ...stringEnv(quickSoakEnv(switches)),
          ...api!.env,
          GITHUB_SERVER_URL: 'https://github.example'
        }
      })

    const first = await soakOnce({ FIXTURE_STRESS_FAIL_CYCLE: '1' })
    expect(first.exitCode, first.stdout).toBe(1)
    expect(first.outputs.failures).toBe('cycle 1: stress:stress_bucket_rounds')
    expect(api.state.issues).toHaveLength(1)
    const issue = api.state.issues[0]!
    expect(issue.state).toBe('open')
    expect(issue.labels).toEqual(['soak-failure'])
    expect(issue.body).toContain('Failures by cycle')
    expect(issue.body).toContain('https://github.example/octo-org/octo-repo/actions/runs/1001')

    const second = await soakOnce({ FIXTURE_STRESS_FAIL_CYCLE: '1' })
    expect(second.exitCode).toBe(1)
    expect(api.state.issues).toHaveLength(1)
    expect(api.state.comments.filter(c => c.issueNumber === issue.number)).toHaveLength(1)

    const third = await soakOnce({})
    expect(third.exitCode, third.stdout).toBe(0)
    expect(third.outputs.result).toBe('success')
    expect(api.state.issues[0]!.state).toBe('closed')
    expect(api.requests.filter(r => r.status >= 400)).toEqual([])
  })
})

describe('action-soak bundle on a bench shaped like mace-kv', () => {
  beforeAll(warmKnobRepo)

  it("hands the threshold file's bench knobs to every perf snapshot, as the reference's sourced file does", async () => {
    const metrics = mkdtempSync(join(tmpdir(), 'mace-soak-knobs-'))
    const run = await runAction({
      action: 'action-soak',
      workspace: knobRepo('base'),
      inputs: {
        'metrics-dir': metrics,
        duration: '1h',
        'max-cycles': '1',
        'cycle-pause': '0',
        'chaos-every': '0',
        'post-check': 'false',
        'stress-cases': 'stress:stress_fill',
        'artifact-name': ''
      }
    })
    expect(run.exitCode, run.stdout).toBe(0)
    // scripts/perf_thresholds.env: MACE_BENCH_ITEMS=2000 names the cases, MACE_BENCH_QUICK=1
    // and MACE_BENCH_MEASURE_SECS=0.2 keep each to 10 samples (not 100 000 items over 15 s).
    const snapshot = JSON.parse(readFileSync(join(metrics, 'perf', 'snapshot.json'), 'utf8')) as {
      cases: { id: string; sampleCount: number }[]
    }
    expect(snapshot.cases.map(c => c.id)).toEqual(KNOB_CASES)
    expect(snapshot.cases.map(c => c.sampleCount)).toEqual([10, 10, 10])
    const cycle = JSON.parse(readFileSync(join(metrics, 'perf_cycle_1.json'), 'utf8')) as {
      cases: Record<string, unknown>
    }
    expect(Object.keys(cycle.cases)).toEqual(KNOB_CASES)
  })
})
