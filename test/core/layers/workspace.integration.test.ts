/**
 * A workspace of three members (test/crates/ws_lab) under both runners: every
 * test of every selected member is listed and run, targets are told apart by
 * package (two members' libraries, two `integration` files with a test of one
 * name), the counts are cargo's and nextest's own, each failure is blamed on
 * its own package's test, `fast-targets: lib` means every member's library,
 * and `features: auto` decides from the package actually tested.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/shared/errors.js'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { planAnnotations } from '../../../src/core/layers/render/annotations.js'
import { writeTestReports } from '../../../src/core/layers/reports.js'
import type { TestResult, TestRunResult } from '../../../src/core/layers/results.js'
import { runTestLayers } from '../../../src/core/layers/run.js'
import { resolveTestSettings } from '../../../src/core/layers/settings.js'

const CRATE = resolve(import.meta.dirname, '../../crates/ws_lab')
const ROOT = resolve(import.meta.dirname, '../../..')
const TARGET_DIR = join(ROOT, '.tmp', 'crates', 'ws_lab-target')

function labEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CARGO_TARGET_DIR: TARGET_DIR }
  for (const key of Object.keys(env)) if (key.startsWith('FIXTURE_')) delete env[key]
  return { ...env, RUST_BACKTRACE: '0' }
}

/** A run of the layers on the workspace (or a member of it) with the given flags. */
async function run(flags: Record<string, string>, dir = CRATE): Promise<TestRunResult> {
  const all: Record<string, string> = {
    threads: '2',
    'output-dir': mkdtempSync(join(tmpdir(), 'mace-ws-')),
    ...flags
  }
  const settings = resolveTestSettings(
    { get: n => all[n], describe: n => `flag --${n}` },
    {},
    dir,
    ROOT
  )
  return runTestLayers(settings, { logger: silentLogger, env: labEnv() })
}

/** The tests of the fast case's last attempt. */
function fastTests(result: TestRunResult): TestResult[] {
  const fast = result.layers.find(l => l.name === 'fast')?.cases.find(c => c.id === 'fast')
  return fast?.attempts.at(-1)?.tests ?? []
}

const count = (tests: TestResult[], outcome: string): number =>
  tests.filter(t => t.outcome === outcome).length

/** What `cargo test --no-fail-fast` itself reports: the sum of its `test result:` lines. */
function cargoCounts(): { passed: number; failed: number } {
  const out = spawnSync(
    'cargo',
    ['test', '--no-fail-fast', '--features', 'failpoints', '--tests'],
    { cwd: CRATE, env: labEnv(), encoding: 'utf8' }
  ).stdout
  const lines = [...out.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed/gm)]
  return {
    passed: lines.reduce((n, m) => n + Number(m[1]), 0),
    failed: lines.reduce((n, m) => n + Number(m[2]), 0)
  }
}

/** What `cargo nextest run` itself reports in its summary line. */
function nextestCounts(): { passed: number; failed: number } {
  const run = spawnSync('cargo', ['nextest', 'run', '--no-fail-fast', '--features', 'failpoints'], {
    cwd: CRATE,
    env: labEnv(),
    encoding: 'utf8'
  })
  const summary = /(\d+) tests? run: (\d+) passed, (\d+) failed/.exec(run.stderr)
  if (summary === null) throw new Error(`no nextest summary in: ${run.stderr.slice(-2000)}`)
  return { passed: Number(summary[2]), failed: Number(summary[3]) }
}

beforeAll(() => {
  mkdirSync(TARGET_DIR, { recursive: true })
  execFileSync('cargo', ['test', '--features', 'failpoints', '--tests', '--no-run', '--quiet'], {
    cwd: CRATE,
    env: labEnv(),
    stdio: ['ignore', 'ignore', 'inherit']
  })
})

describe.each(['cargo', 'nextest'] as const)('the workspace under runner %s', runner => {
  let result: TestRunResult
  beforeAll(async () => {
    result = await run({ mode: 'all', runner })
  })

  it("runs every member's tests, as many as the tool itself counts", () => {
    const tests = fastTests(result)
    const own = runner === 'cargo' ? cargoCounts() : nextestCounts()
    expect({ passed: count(tests, 'passed'), failed: count(tests, 'failed') }).toEqual(own)
    expect(own).toEqual({ passed: 5, failed: 2 })
    expect([...new Set(tests.map(t => t.target))].sort()).toEqual([
      'alpha/integration',
      'alpha/lib',
      'beta/integration',
      'beta/lib',
      'gamma/lib'
    ])
  })

  it("blames each failure on its own package's test, at its own file:line", () => {
    const failed = fastTests(result).filter(t => t.outcome === 'failed')
    expect(failed.map(t => [t.target, t.name, t.location?.file])).toEqual([
      ['beta/lib', 'tests::shared_name', 'test/crates/ws_lab/beta/src/lib.rs'],
      ['beta/integration', 'same_test', 'test/crates/ws_lab/beta/tests/integration.rs']
    ])
    expect(failed.map(t => t.message)).toEqual([
      expect.stringContaining("beta's shared_name fails"),
      expect.stringContaining("beta's same_test fails")
    ])
    // alpha's tests of the same names passed, each counted on its own.
    const passed = fastTests(result).filter(t => t.outcome === 'passed')
    expect(passed.map(t => `${t.target} ${t.name}`)).toEqual(
      expect.arrayContaining(['alpha/lib tests::shared_name', 'alpha/integration same_test'])
    )
  })

  it('runs one stress test name of two packages as two cases, named apart', () => {
    const stress = result.layers.find(l => l.name === 'stress')!.cases
    expect(stress.map(c => [c.id, c.targets, c.status])).toEqual([
      ['stress:alpha/integration:stress_shared', ['alpha/integration'], 'passed'],
      ['stress:beta/integration:stress_shared', ['beta/integration'], 'passed']
    ])
    expect(result.failures).toEqual(['fast'])
  })

  it('renders the two failures apart in JUnit and in the annotations', () => {
    const reports = writeTestReports(result)
    const junit = readFileSync(reports.junitPath, 'utf8')
    // alpha's copy passed: a testcase of its own, timed when the runner gave a time.
    expect(junit).toMatch(
      /<testcase name="tests::shared_name" classname="alpha\/lib"( time="[\d.]+")?\/?>/
    )
    expect(junit).toContain(
      '<testcase name="tests::shared_name" classname="beta/lib" file="test/crates/ws_lab/beta/src/lib.rs" line="12"'
    )
    const titles = planAnnotations(result, ROOT).annotations.map(a => a.title)
    expect(titles).toEqual(
      expect.arrayContaining([
        expect.stringContaining('tests::shared_name'),
        expect.stringContaining('same_test')
      ])
    )
    const files = planAnnotations(result, ROOT).annotations.map(a => a.file)
    expect(files).toEqual(
      expect.arrayContaining([
        'test/crates/ws_lab/beta/src/lib.rs',
        'test/crates/ws_lab/beta/tests/integration.rs'
      ])
    )
  })

  it("takes fast-targets: lib as every member's library, not as feature gate drift", async () => {
    const libs = await run({ mode: 'fast', runner, 'fast-targets': 'lib' })
    expect(libs.selectionProblems).toEqual([])
    const tests = fastTests(libs)
    expect([...new Set(tests.map(t => t.target))].sort()).toEqual([
      'alpha/lib',
      'beta/lib',
      'gamma/lib'
    ])
    expect({ passed: count(tests, 'passed'), failed: count(tests, 'failed') }).toEqual({
      passed: 4,
      failed: 1
    })
  })
})

describe('features: auto in a workspace', () => {
  it('decides from the member tested, not from a sibling that declares failpoints', async () => {
    const result = await run({ mode: 'fast' }, join(CRATE, 'beta'))
    expect(result.builds.map(b => [b.features, b.passed])).toEqual([['', true]])
    expect(result.notes.map(n => n.message)).toContain(
      "The package beta declares no 'failpoints' feature (the reference default), so the tests run with no extra features. Set 'features' to choose them."
    )
    // One package: its targets read as a single crate's always did.
    const ran = fastTests(result).filter(t => t.outcome !== 'ignored')
    expect(ran.map(t => [t.target, t.name, t.outcome])).toEqual([
      ['lib', 'tests::shared_name', 'failed'],
      ['integration', 'same_test', 'failed']
    ])
  })

  it('keeps failpoints for the member that declares it, and only there', async () => {
    const result = await run({ mode: 'fast', 'cargo-args': '-p alpha -p beta' })
    expect(result.builds[0]!.features).toBe('failpoints')
    expect(fastTests(result).some(t => t.name === 'tests::failpoint_gate')).toBe(true)
    expect(result.notes).toEqual([])
  })
})

describe('bad input on a workspace, refused before anything runs', () => {
  const refusal = async (flags: Record<string, string>): Promise<string> => {
    try {
      await run(flags)
    } catch (e) {
      expect(e).toBeInstanceOf(InputError)
      return (e as Error).message
    }
    throw new Error('the run was not refused')
  }

  it('cargo-args: -p nosuch names the input, the package and the members there are', async () => {
    expect(await refusal({ 'cargo-args': '-p nosuch' })).toBe(
      `Invalid flag --cargo-args: '-p nosuch' names no package of the workspace in ${CRATE}. Expected one of its members: alpha, beta, gamma.`
    )
  })

  it('a plan naming targets that do not exist lists every one of them', async () => {
    expect(
      await refusal({
        'fast-targets': 'lib, nosuch, alpha/gone',
        'stress-cases': 'missing:stress_x'
      })
    ).toBe(
      "Invalid plan (inputs fast-targets, stress-cases, chaos-cases): it names 3 targets the crate does not have: fast target 'nosuch', fast target 'alpha/gone', stress case 'missing:stress_x'. Expected test targets of alpha, beta, gamma: alpha/lib, alpha/integration, alpha/doc:lib, beta/lib, beta/integration, beta/doc:lib, gamma/lib, gamma/doc:lib."
    )
  })
})
