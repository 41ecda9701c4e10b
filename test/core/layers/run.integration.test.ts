/**
 * The test layers on the real fixture crate with real cargo: what a user of
 * action-test or `mace-actions test` sees for each way a test run can go.
 */
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/shared/errors.js'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { planAnnotations } from '../../../src/core/layers/render/annotations.js'
import { readTestResults, resultsPath } from '../../../src/core/layers/results-file.js'
import { runTestLayers } from '../../../src/core/layers/run.js'
import {
  fixtureEnv,
  fixtureSettings,
  markerLine,
  pidsIn,
  processAlive as alive
} from '../../harness/fixture.js'

describe('test layers on the fixture crate', () => {
  it('passes every layer of mode all, with stress and chaos cases discovered from #[ignore] names', async () => {
    const settings = fixtureSettings({ mode: 'all', threads: '2' })
    const result = await runTestLayers(settings, { logger: silentLogger, env: fixtureEnv() })
    expect(result.failures).toEqual([])
    expect(result.passed).toBe(true)
    expect(result.planSource).toBe('discovered')
    expect(result.layers.map(l => [l.name, l.status])).toEqual([
      ['fast', 'passed'],
      ['stress', 'passed'],
      ['chaos', 'passed']
    ])
    const ids = result.layers.flatMap(l => l.cases.map(c => c.id))
    expect(ids).toEqual(
      expect.arrayContaining([
        'fast',
        'stress:stress_bucket_rounds',
        'stress:stress_bucket_churn',
        'stress:stress_evictor',
        'chaos:chaos_crash_mid_put',
        'chaos:chaos_flaky_recovery'
      ])
    )
    const fast = result.layers[0]!.cases[0]!
    expect(fast.targets).toEqual(expect.arrayContaining(['lib', 'basic', 'recovery']))
    expect(fast.attempts[0]!.tests.filter(t => t.outcome === 'passed').length).toBeGreaterThan(5)
    // The document on disk is the one returned.
    expect(readTestResults(resultsPath(settings.outputDir)).failures).toEqual([])
  })

  it('reports a failing fast test at its file:line and annotates it there', async () => {
    const settings = fixtureSettings({ mode: 'fast', threads: '2' })
    const result = await runTestLayers(settings, {
      logger: silentLogger,
      env: fixtureEnv({ FIXTURE_FAIL: '1' })
    })
    expect(result.passed).toBe(false)
    expect(result.failures).toEqual(['fast'])
    const tests = result.layers[0]!.cases[0]!.attempts[0]!.tests
    const failed = tests.filter(t => t.outcome === 'failed')
    expect(failed.map(t => t.name)).toEqual(['put_get_roundtrip'])
    const line = markerLine('tests/basic.rs', 'fail-line')
    expect(failed[0]!.location).toMatchObject({ file: 'tests/basic.rs', line })
    // Other targets still ran (cargo --no-fail-fast): recovery's tests have results.
    expect(tests.some(t => t.target === 'recovery' && t.outcome === 'passed')).toBe(true)
    const { annotations } = planAnnotations(result)
    expect(annotations[0]).toMatchObject({
      level: 'error',
      file: 'tests/basic.rs',
      startLine: line
    })
  })

  it('retries a chaos case that fails once, and reports it green and flaky', async () => {
    const flakyDir = mkdtempSync(join(tmpdir(), 'mace-flaky-'))
    const settings = fixtureSettings({ mode: 'chaos', 'chaos-cases': 'chaos:chaos_flaky_recovery' })
    const result = await runTestLayers(settings, {
      logger: silentLogger,
      env: fixtureEnv({ FIXTURE_FLAKY_DIR: flakyDir })
    })
    expect(result.passed).toBe(true)
    expect(result.flaky).toEqual(['chaos:chaos_flaky_recovery'])
    const c = result.layers[0]!.cases[0]!
    expect(c.status).toBe('flaky')
    expect(c.attempts.map(a => a.passed)).toEqual([false, true])
    expect(c.attempts[0]!.tests[0]!.location?.line).toBe(markerLine('tests/chaos.rs', 'flaky-line'))
  })

  it('kills a hanging stress case at its timeout, reports a timeout, and leaves no process behind', async () => {
    const pidDir = mkdtempSync(join(tmpdir(), 'mace-pids-'))
    const settings = fixtureSettings({
      mode: 'stress',
      'stress-cases': 'stress:stress_evictor',
      'stress-timeout': '3',
      'kill-grace': '1'
    })
    const result = await runTestLayers(settings, {
      logger: silentLogger,
      env: fixtureEnv({ FIXTURE_HANG: '1', FIXTURE_PID_DIR: pidDir })
    })
    expect(result.failures).toEqual(['stress:stress_evictor'])
    const c = result.layers[0]!.cases[0]!
    expect(c.status).toBe('timed-out')
    const cmd = c.attempts[0]!.command
    expect(cmd.timedOut).toBe(true)
    expect(cmd.durationMs).toBeGreaterThanOrEqual(3000)
    expect(c.attempts[0]!.tests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'stress_evictor', outcome: 'timed-out' })
      ])
    )
    const pids = pidsIn(pidDir)
    expect(pids.length).toBeGreaterThan(0)
    expect(pids.filter(alive)).toEqual([])
  })

  it.each(['group', 'escape'])(
    'kills a grandchild (%s) that would outlive a kill of the test process alone',
    async mode => {
      const pidDir = mkdtempSync(join(tmpdir(), 'mace-pids-'))
      const settings = fixtureSettings({
        mode: 'stress',
        'stress-cases': 'stress:stress_bucket_churn',
        'stress-timeout': '3',
        'kill-grace': '1'
      })
      const result = await runTestLayers(settings, {
        logger: silentLogger,
        env: fixtureEnv({ FIXTURE_GRANDCHILD: mode, FIXTURE_PID_DIR: pidDir })
      })
      expect(result.layers[0]!.cases[0]!.status).toBe('timed-out')
      const files = readdirSync(pidDir)
      expect(files.some(f => f.startsWith('grandchild-'))).toBe(true)
      expect(pidsIn(pidDir).filter(alive)).toEqual([])
    }
  )

  it('fails a selection that lists no test and names it and its features', async () => {
    const settings = fixtureSettings({
      mode: 'stress',
      'stress-cases': 'stress:stress_bucket_rounds,stress:stress_does_not_exist'
    })
    const result = await runTestLayers(settings, { logger: silentLogger, env: fixtureEnv() })
    expect(result.passed).toBe(false)
    expect(result.failures).toEqual(['stress:stress_does_not_exist'])
    expect(result.selectionProblems[0]!.message).toMatch(
      /stress:stress_does_not_exist.*features 'failpoints'/
    )
    // The good case still ran.
    expect(result.layers[0]!.cases.map(c => [c.id, c.status])).toEqual([
      ['stress:stress_bucket_rounds', 'passed']
    ])
  })

  it('fails the chaos layer when its feature is off instead of passing zero tests', async () => {
    const settings = fixtureSettings({ mode: 'chaos', features: 'extra_check' })
    const result = await runTestLayers(settings, { logger: silentLogger, env: fixtureEnv() })
    expect(result.passed).toBe(false)
    expect(result.failures).toEqual(['chaos'])
    expect(result.selectionProblems[0]!.message).toMatch(/chaos layer selects no test.*extra_check/)
  })

  it('reports a compile error as a build failure at the compiler file:line, running no layer', async () => {
    const settings = fixtureSettings({ mode: 'all', features: 'failpoints,broken_build' })
    const result = await runTestLayers(settings, { logger: silentLogger, env: fixtureEnv() })
    expect(result.failures).toEqual(['build'])
    expect(result.layers).toEqual([])
    const error = result.builds[0]!.diagnostics.find(d => d.level === 'error')!
    expect(error.location).toMatchObject({
      file: 'src/lib.rs',
      line: markerLine('src/lib.rs', 'compile-error-line')
    })
  })

  it('reports that compile error once, though cargo test compiles the library twice', async () => {
    const settings = fixtureSettings({ features: 'failpoints,broken_build' })
    const result = await runTestLayers(settings, { logger: silentLogger, env: fixtureEnv() })
    const errors = result.builds[0]!.diagnostics.filter(d => d.level === 'error')
    expect(errors.map(e => e.message)).toEqual(['mismatched types'])
  })

  it('a plan naming targets the crate does not have is a plan error listing each, before any build', async () => {
    const s = fixtureSettings({ 'fast-targets': 'basic,nosuch', 'chaos-cases': 'gone:chaos_x' })
    const run = runTestLayers(s, { logger: silentLogger, env: fixtureEnv() })
    await expect(run).rejects.toThrow(InputError)
    await expect(run).rejects.toThrow(
      "Invalid plan (inputs fast-targets, stress-cases, chaos-cases): it names 2 targets the crate does not have: fast target 'nosuch', chaos case 'gone:chaos_x'. Expected test targets of mini-kv: lib, basic, chaos, extra_check, recovery, stress, doc:lib."
    )
    expect(existsSync(join(s.outputDir, 'logs'))).toBe(false)
  })

  it("a build cargo refuses before compiling carries cargo's own words, not only 'see the log'", async () => {
    const feature = await runTestLayers(fixtureSettings({ features: 'nosuchfeature' }), {
      logger: silentLogger,
      env: fixtureEnv()
    })
    expect(feature.builds[0]!.diagnostics.map(d => d.message)).toEqual([
      "the package 'mini-kv' does not contain this feature: nosuchfeature"
    ])
  })

  it('runs a plan file with a feature-gated group in normal and crash mode', async () => {
    const planPath = join(mkdtempSync(join(tmpdir(), 'mace-plan-')), 'plan.yml')
    writeFileSync(
      planPath,
      [
        'fast:',
        '  targets: [basic]',
        'stress:',
        '  - stress:stress_bucket_rounds',
        'groups:',
        '  - name: extra_check',
        '    features: failpoints,extra_check',
        '    cases:',
        '      - { target: extra_check, test: extra_check_invariants, mode: normal }',
        '      - { target: extra_check, test: chaos_extra_check_crash, mode: crash }',
        '      - { target: extra_check, test: not_there, mode: normal }',
        'env:',
        '  MACE_PROD_BUCKET_STRESS_ROUNDS: 16'
      ].join('\n')
    )
    const settings = fixtureSettings({ mode: 'all', plan: planPath })
    const result = await runTestLayers(settings, { logger: silentLogger, env: fixtureEnv() })
    expect(result.planSource).toBe(`file:${planPath}`)
    expect(result.failures).toEqual(['fast:extra_check:not_there', 'chaos'])
    const fastIds = result.layers[0]!.cases.map(c => [c.id, c.status])
    expect(fastIds).toEqual([
      ['fast', 'passed'],
      ['fast:extra_check:extra_check_invariants', 'passed'],
      ['fast:extra_check:chaos_extra_check_crash', 'passed']
    ])
    expect(result.builds.map(b => b.features)).toEqual(['failpoints', 'failpoints,extra_check'])
  })

  it('keeps memory bounded while a test prints hundreds of MB', async () => {
    const settings = fixtureSettings({ mode: 'fast', 'fast-targets': 'basic' })
    const before = process.memoryUsage().rss
    let peak = before
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    const result = await runTestLayers(settings, {
      logger: silentLogger,
      env: fixtureEnv({ FIXTURE_FLOOD_MB: '200' })
    })
    clearInterval(timer)
    expect(result.passed).toBe(true)
    const attempt = result.layers[0]!.cases[0]!.attempts[0]!
    expect(existsSync(attempt.command.logPath)).toBe(true)
    expect(statSync(attempt.command.logPath).size).toBeGreaterThan(200 * 1024 * 1024)
    expect(peak - before).toBeLessThan(100 * 1024 * 1024)
  })
})
