/**
 * The doc tests of a library in the fast layer (test/crates/doc_crate, real
 * cargo and cargo-nextest): under both runners they are the `fast:doc` case,
 * run by `cargo test --doc` with the run's features, counted as cargo counts
 * them, in JUnit; a doc test that does not compile is placed at the
 * compiler's `-->`, one that panics at its example's block; `doc-tests:
 * false` leaves them out.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { writeTestReports } from '../../../src/core/layers/reports.js'
import type { CaseResult, TestResult, TestRunResult } from '../../../src/core/layers/results.js'
import { runTestLayers } from '../../../src/core/layers/run.js'
import { resolveTestSettings } from '../../../src/core/layers/settings.js'

const CRATE = resolve(import.meta.dirname, '../../crates/doc_crate')
const ROOT = resolve(import.meta.dirname, '../../..')
const TARGET_DIR = join(ROOT, '.tmp', 'crates', 'doc_crate-target')
const IN_REPO = 'test/crates/doc_crate'

function crateEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CARGO_TARGET_DIR: TARGET_DIR }
  for (const key of Object.keys(env)) if (key.startsWith('FIXTURE_')) delete env[key]
  return { ...env, RUST_BACKTRACE: '0' }
}

/** A run of the fast layer on the crate with the given flags (and extra environment). */
async function run(
  flags: Record<string, string>,
  extraEnv: NodeJS.ProcessEnv = {}
): Promise<TestRunResult> {
  const all: Record<string, string> = {
    threads: '2',
    features: '',
    'output-dir': mkdtempSync(join(tmpdir(), 'mace-doc-')),
    ...flags
  }
  const settings = resolveTestSettings(
    { get: n => all[n], describe: n => `flag --${n}` },
    {},
    CRATE,
    ROOT
  )
  return runTestLayers(settings, { logger: silentLogger, env: { ...crateEnv(), ...extraEnv } })
}

function fastCase(result: TestRunResult, id: string): CaseResult | undefined {
  return result.layers.find(l => l.name === 'fast')?.cases.find(c => c.id === id)
}

const testsOf = (c: CaseResult | undefined): TestResult[] => c?.attempts.at(-1)?.tests ?? []

/** What `cargo test --no-fail-fast ARGS` itself reports: the sum of its `test result:` lines. */
function cargoCounts(args: string[]): { passed: number; failed: number } {
  const out = spawnSync('cargo', ['test', '--no-fail-fast', ...args], {
    cwd: CRATE,
    env: crateEnv(),
    encoding: 'utf8'
  }).stdout
  const lines = [...out.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed/gm)]
  return {
    passed: lines.reduce((n, m) => n + Number(m[1]), 0),
    failed: lines.reduce((n, m) => n + Number(m[2]), 0)
  }
}

beforeAll(() => {
  mkdirSync(TARGET_DIR, { recursive: true })
  execFileSync('cargo', ['test', '--all-features', '--no-run', '--quiet'], {
    cwd: CRATE,
    env: crateEnv(),
    stdio: ['ignore', 'ignore', 'inherit']
  })
})

describe.each(['cargo', 'nextest'] as const)('doc tests under runner %s', runner => {
  let result: TestRunResult
  beforeAll(async () => {
    result = await run({ runner })
  })

  it('runs them as the fast:doc case, and counts every test as cargo test does', () => {
    const doc = fastCase(result, 'fast:doc')
    expect(doc?.status).toBe('passed')
    expect(doc?.targets).toEqual(['doc:lib'])
    expect(doc?.attempts.at(-1)?.command.argv).toEqual(
      expect.arrayContaining(['cargo', 'test', '--doc'])
    )
    expect(
      testsOf(doc)
        .map(t => [t.name, t.outcome])
        .sort()
    ).toEqual([
      ['src/lib.rs - add (line 8)', 'passed'],
      ['src/lib.rs - double (line 17)', 'passed'],
      ['src/lib.rs - double (line 23)', 'ignored']
    ])
    const all = [...testsOf(fastCase(result, 'fast')), ...testsOf(doc)]
    const passed = all.filter(t => t.outcome === 'passed').length
    const failed = all.filter(t => t.outcome === 'failed').length
    expect({ passed, failed }).toEqual(cargoCounts([]))
    expect(passed).toBe(5)
    expect(result.failures).toEqual([])
  })

  it('writes them to JUnit under their target', () => {
    const junit = readFileSync(writeTestReports(result).junitPath, 'utf8')
    expect(junit).toContain('<testcase name="src/lib.rs - add (line 8)" classname="doc:lib"')
  })

  it('places a doc test that does not compile at the error, one that panics at its block', async () => {
    // rustdoc sees src/broken.rs's two failing examples only under this cfg.
    const broken = await run({ runner }, { RUSTDOCFLAGS: '--cfg doc_crate_broken' })
    const doc = fastCase(broken, 'fast:doc')
    expect(doc?.status).toBe('failed')
    expect(broken.failures).toEqual(['fast:doc'])
    const failed = testsOf(doc)
      .filter(t => t.outcome === 'failed')
      .sort((a, b) => a.name.localeCompare(b.name))
    expect(failed.map(t => [t.name, t.location])).toEqual([
      [
        'src/broken.rs - broken::does_not_compile (line 12)',
        expect.objectContaining({ file: `${IN_REPO}/src/broken.rs`, line: 14, column: 29 })
      ],
      [
        'src/broken.rs - broken::panics (line 5)',
        expect.objectContaining({ file: `${IN_REPO}/src/broken.rs`, line: 5 })
      ]
    ])
    expect(failed.map(t => t.message)).toEqual([
      expect.stringContaining('mismatched types'),
      expect.stringContaining('two and two is not five')
    ])
    // The other fast tests still ran and passed.
    expect(fastCase(broken, 'fast')?.status).toBe('passed')
  })

  it('leaves them out with doc-tests: false', async () => {
    const without = await run({ runner, 'doc-tests': 'false' })
    expect(fastCase(without, 'fast:doc')).toBeUndefined()
    expect(fastCase(without, 'fast')?.status).toBe('passed')
    expect(without.layers[0]!.cases.map(c => c.id)).toEqual(['fast'])
  })

  it('all-features runs the feature-gated test file, and the notice names the features', async () => {
    const all = await run({ runner, 'all-features': 'true' })
    const fast = testsOf(fastCase(all, 'fast'))
    expect(fast.find(t => t.target === 'extra_feature')?.outcome).toBe('passed')
    expect(all.notes.map(n => n.message)).toContain(
      'The build uses all features (--all-features): extra (from flag --all-features).'
    )
    const every = [...fast, ...testsOf(fastCase(all, 'fast:doc'))]
    const passed = every.filter(t => t.outcome === 'passed').length
    expect({ passed, failed: 0 }).toEqual(cargoCounts(['--all-features']))
    expect(all.failures).toEqual([])
    // The summary's build row says so too, not '(none)'.
    expect(writeTestReports(all).summary).toContain('- **Build** ✅ <code>all</code>')
  })

  it('cargo-args --features is named by the notice, not "no extra features"', async () => {
    const given = await run({ runner, features: 'auto', 'cargo-args': '--features extra' })
    expect(testsOf(fastCase(given, 'fast')).some(t => t.target === 'extra_feature')).toBe(true)
    const messages = given.notes.map(n => n.message)
    expect(messages).toContain(
      'The build uses features extra, no default features declared (from flag --cargo-args).'
    )
    expect(messages.filter(m => m.includes('no extra features'))).toEqual([])
  })

  it("runs as the crate's own CI would: all features, its nextest policy", async () => {
    const all = await run({ runner, 'all-features': 'true' })
    const policy = all.notes.find(n => n.message.startsWith('nextest policy'))
    if (runner === 'nextest') {
      // Its .config/nextest.toml: profile ci, and its slow-timeout of 3 × 20s.
      expect(policy?.message).toContain("profile 'ci'")
      expect(policy?.message).toContain('killed after 3 × 20s')
    } else expect(policy).toBeUndefined()
    expect(all.layers[0]!.cases.map(c => [c.id, c.status])).toEqual([
      ['fast', 'passed'],
      ['fast:doc', 'passed']
    ])
  })
})

describe.each(['cargo', 'nextest'] as const)('doc tests in shards under runner %s', runner => {
  it('run in exactly one shard of two, never twice', async () => {
    const shards: TestRunResult[] = []
    for (const shard of ['1/2', '2/2']) shards.push(await run({ runner, shard }))
    const docs = shards.map(r => fastCase(r, 'fast:doc'))
    expect(docs.filter(d => d !== undefined).length).toBe(1)
    expect(docs.find(d => d !== undefined)?.status).toBe('passed')
  })
})

describe('doc tests and a nextest archive', () => {
  it('a run from an archive leaves them out and says why, the rest runs', async () => {
    const archive = join(mkdtempSync(join(tmpdir(), 'mace-doc-archive-')), 'tests.tar.zst')
    execFileSync('cargo', ['nextest', 'archive', '--archive-file', archive], {
      cwd: CRATE,
      env: crateEnv(),
      stdio: ['ignore', 'ignore', 'inherit']
    })
    const result = await run({ runner: 'nextest', 'archive-file': archive })
    expect(result.layers[0]!.cases.map(c => [c.id, c.status])).toEqual([['fast', 'passed']])
    expect(result.notes.map(n => n.message)).toContain(
      "The doc tests are not run from a nextest archive: it holds no doc test (cargo-nextest cannot run them; rustdoc builds them as they run). Run them where the archive is built ('cargo test --doc'), or set doc-tests: false to silence this."
    )
  })
})
