/**
 * runner: nextest on real cargo-nextest, beside runner: cargo on the same
 * fixture: the same verdict, failures and flaky cases; a crash and a hang
 * blamed on exactly their test at any thread count; shards plus a merge equal
 * one run; an archive built once runs without building (and one cut short is
 * an input error); a missing
 * cargo-nextest is an error with the install hint, never a fallback.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/shared/errors.js'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { mergeShardResults } from '../../../src/core/layers/merge.js'
import type { TestRunResult } from '../../../src/core/layers/results.js'
import { runTestLayers } from '../../../src/core/layers/run.js'
import { resolveTestSettings, type TestSettings } from '../../../src/core/layers/settings.js'
import { CRATE as BLAME_LAB, labEnv } from '../libtest/blame-lab.js'
import { fixtureDir, fixtureEnv, markerLine } from '../../harness/fixture.js'

function settings(
  dir: string,
  flags: Record<string, string>,
  env: NodeJS.ProcessEnv
): TestSettings {
  const all: Record<string, string> = {
    'output-dir': mkdtempSync(join(tmpdir(), 'mace-nextest-')),
    ...flags
  }
  return resolveTestSettings({ get: n => all[n], describe: n => `flag --${n}` }, env, dir, dir)
}

async function run(
  flags: Record<string, string>,
  switches: Record<string, string> = {}
): Promise<TestRunResult> {
  const env = fixtureEnv(switches)
  return runTestLayers(settings(fixtureDir(), flags, env), { logger: silentLogger, env })
}

/** Each case's status, and each failing test with its outcome and location. */
function verdictOf(result: TestRunResult): unknown {
  return {
    passed: result.passed,
    failures: result.failures,
    flaky: result.flaky,
    cases: result.layers.flatMap(l => l.cases.map(c => [c.id, c.status])).sort(),
    failing: result.layers
      .flatMap(l => l.cases.flatMap(c => c.attempts[c.attempts.length - 1]?.tests ?? []))
      .filter(t => t.outcome !== 'passed' && t.outcome !== 'ignored')
      .map(t => [t.target, t.name, t.outcome, t.location])
      .sort()
  }
}

/** Every test that ran, by target and name. */
function testsOf(result: TestRunResult): string[] {
  return result.layers
    .flatMap(l => l.cases.flatMap(c => c.attempts[c.attempts.length - 1]?.tests ?? []))
    .map(t => `${t.target ?? '?'}::${t.name}:${t.outcome}`)
    .sort()
}

const FAILING = (): Record<string, string> => ({
  FIXTURE_FAIL: '1',
  FIXTURE_STRESS_FAIL: '1',
  FIXTURE_FLAKY_DIR: mkdtempSync(join(tmpdir(), 'mace-flaky-'))
})

describe('runner nextest agrees with runner cargo on the fixture', () => {
  it('the failure switches give the same verdict, failures, flaky cases and locations', async () => {
    const cargo = await run({ mode: 'all', threads: '2' }, FAILING())
    const nextest = await run({ mode: 'all', threads: '2', runner: 'nextest' }, FAILING())
    expect(cargo.failures).toEqual(['fast', 'stress:stress_bucket_rounds'])
    expect(verdictOf(nextest)).toEqual(verdictOf(cargo))
    const basic = nextest.layers[0]!.cases[0]!.attempts[0]!.tests.find(t => t.outcome === 'failed')
    expect(basic?.location).toEqual({
      file: 'tests/basic.rs',
      line: markerLine('tests/basic.rs', 'fail-line'),
      column: expect.any(Number) as number
    })
    expect(nextest.flaky).toEqual(['chaos:chaos_flaky_recovery'])
  })

  it.each([['cargo'], ['nextest']])(
    'runner %s: three shards merged give the verdict and the tests of one run',
    async runner => {
      const whole = await run({ mode: 'all', threads: '2', runner }, FAILING())
      const shards = []
      for (const k of [1, 2, 3]) {
        shards.push(await run({ mode: 'all', threads: '2', runner, shard: `${k}/3` }, FAILING()))
      }
      expect(new Set(shards.map(s => s.shard?.planDigest)).size).toBe(1)
      const merged = mergeShardResults(
        shards.map((result, i) => ({ source: `shard ${i + 1}`, result })),
        { outputDir: '/merged', expectedSource: () => 'a shard' }
      )
      expect(merged.passed).toBe(whole.passed)
      expect(merged.failures.sort()).toEqual([...whole.failures].sort())
      expect(merged.flaky).toEqual(whole.flaky)
      expect(testsOf(merged)).toEqual(testsOf(whole))
    }
  )
})

describe('shards dealt by the times of an earlier run', () => {
  it.each([['cargo'], ['nextest']])(
    'runner %s: two shards dealt by the whole run’s results.json merge into that run',
    async runner => {
      const whole = await run({ mode: 'all', threads: '2', runner }, FAILING())
      const timings = join(whole.outputDir, 'results.json')
      const shards = []
      for (const k of [1, 2]) {
        const flags = {
          mode: 'all',
          threads: '2',
          runner,
          shard: `${k}/2`,
          'shard-timings': timings
        }
        shards.push(await run(flags, FAILING()))
      }
      expect(shards.map(s => s.shard?.dealtBy)).toEqual(['time', 'time'])
      expect(shards[0]!.shard?.expectedSeconds).toEqual(shards[1]!.shard?.expectedSeconds)
      expect(shards[0]!.shard?.share).toMatch(/dealt by time: expected/)
      expect(new Set(shards.map(s => s.shard?.planDigest)).size).toBe(1)
      const merged = mergeShardResults(
        shards.map((result, i) => ({ source: `shard ${i + 1}`, result })),
        { outputDir: '/merged', expectedSource: () => 'a shard' }
      )
      expect(merged.failures.sort()).toEqual([...whole.failures].sort())
      expect(testsOf(merged)).toEqual(testsOf(whole))
    }
  )
})

describe('a nextest shard whose partition holds no test', () => {
  it('passes, having run nothing, and warns that the other shards run it all', async () => {
    // 40 slices of a plan with fewer tests than that per layer: the last slice is empty.
    const result = await run({ mode: 'all', threads: '2', runner: 'nextest', shard: '40/40' })
    expect(result.passed).toBe(true)
    expect(testsOf(result)).toEqual([])
    expect(result.notes).toContainEqual({
      level: 'warning',
      message: 'Shard 40/40 holds no test of this plan: the other shards run it all.'
    })
  })
})

describe('runner nextest blames a crash and a hang on exactly their test', () => {
  it.each([[1], [2], [8]])('at --test-threads %i', async threads => {
    const env = labEnv({ BLAME_LAB_HANG: '1' })
    const s = settings(
      BLAME_LAB,
      {
        runner: 'nextest',
        threads: String(threads),
        features: '',
        'fast-targets': 'crash,hang',
        'fast-timeout': '3',
        'kill-grace': '1'
      },
      env
    )
    const result = await runTestLayers(s, { logger: silentLogger, env })
    const tests = result.layers[0]!.cases[0]!.attempts[0]!.tests
    expect(tests.map(t => [t.target, t.name, t.outcome]).sort()).toEqual([
      ['crash', 'a_fine_test', 'passed'],
      ['crash', 'segfaults', 'crashed'],
      ['hang', 'hangs_when_asked', 'timed-out'],
      ['hang', 'quick', 'passed']
    ])
    expect(tests.find(t => t.name === 'segfaults')?.message).toContain('SIGSEGV')
    expect(result.failures).toEqual(['fast'])
  })
})

describe('runner nextest runs from an archive built once', () => {
  it('needs no build and runs the same tests', async () => {
    const archive = join(mkdtempSync(join(tmpdir(), 'mace-archive-')), 'tests.tar.zst')
    execFileSync(
      'cargo',
      ['nextest', 'archive', '--features', 'failpoints', '--archive-file', archive],
      { cwd: fixtureDir(), env: fixtureEnv(), stdio: 'ignore' }
    )
    const built = await run({ mode: 'fast', threads: '2', runner: 'nextest' })
    const fromArchive = await run({
      mode: 'fast',
      threads: '2',
      runner: 'nextest',
      'archive-file': archive
    })
    expect(fromArchive.builds).toEqual([])
    expect(fromArchive.passed).toBe(true)
    expect(testsOf(fromArchive)).toEqual(testsOf(built))
    // The same archive cut short, as a download that broke off leaves it: an input error.
    const cut = join(dirname(archive), 'cut.tar.zst')
    writeFileSync(cut, readFileSync(archive).subarray(0, 4096))
    const refused = run({ mode: 'fast', runner: 'nextest', 'archive-file': cut })
    await expect(refused).rejects.toThrow(InputError)
    await expect(refused).rejects.toThrow(
      new RegExp(
        `^Invalid flag --archive-file: cargo-nextest cannot read '${cut}' \\(error extracting archive`
      )
    )
  })

  it('an archive with runner cargo is refused, naming the input', async () => {
    await expect(run({ 'archive-file': 'tests.tar.zst' })).rejects.toThrow(
      "Invalid flag --archive-file: 'tests.tar.zst' needs runner 'nextest'"
    )
  })
})

describe('a missing cargo-nextest', () => {
  it('is an error naming the runner setting and the install command, never a fallback', async () => {
    // A PATH and CARGO_HOME with cargo but without cargo-nextest.
    const bin = mkdtempSync(join(tmpdir(), 'mace-bin-'))
    const cargo = execFileSync('sh', ['-c', 'command -v cargo'], { encoding: 'utf8' }).trim()
    symlinkSync(cargo, join(bin, 'cargo'))
    const env = {
      ...fixtureEnv(),
      PATH: `${bin}:/usr/bin:/bin`,
      CARGO_HOME: mkdtempSync(join(tmpdir(), 'mace-cargo-home-'))
    }
    const s = settings(fixtureDir(), { runner: 'nextest', features: 'failpoints' }, env)
    const run = runTestLayers(s, { logger: silentLogger, env })
    await expect(run).rejects.toThrow(InputError)
    await expect(run).rejects.toThrow(
      "Invalid flag --runner: 'nextest', but cargo-nextest is not installed (`cargo nextest --version` failed): install it with 'cargo install cargo-nextest --locked'"
    )
  })
})
