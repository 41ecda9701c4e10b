/**
 * Bad inputs to the bundled actions and the CLI fail before anything runs,
 * naming the input, the bad value and what is accepted; the boolean words
 * GitHub's own boolean inputs take are taken.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixtureDir } from '../harness/fixture.js'
import { runAction, type ActionRun } from '../harness/run-action.js'

const CLI = resolve(import.meta.dirname, '../../dist/cli/index.js')

/** The message the step failed with (`::error::` from core.setFailed). */
function failure(run: ActionRun): string {
  expect(run.exitCode).toBe(1)
  return run.commands.find(c => c.command === 'error')?.message ?? ''
}

describe('the actions refuse a bad input before anything runs', () => {
  const NAME = 'a/b:c*?'
  const refusedName = (input: string): string =>
    `Invalid input '${input}': '${NAME}' contains colon :, asterisk *, question mark ?, forward slash /, which the artifact service refuses.`

  it.each([['action-test'], ['action-perf'], ['action-soak']])(
    '%s: an artifact name the artifact service would refuse',
    async action => {
      const run = await runAction({
        action,
        workspace: fixtureDir(),
        inputs: { 'artifact-name': NAME }
      })
      expect(failure(run)).toContain(refusedName('artifact-name'))
    }
  )

  it("action-perf: check-run 'maybe' is refused, not taken as true", async () => {
    const run = await runAction({
      action: 'action-perf',
      workspace: fixtureDir(),
      inputs: { 'check-run': 'maybe' }
    })
    expect(failure(run)).toBe(
      "Invalid input 'check-run': 'maybe'. Expected true or false (True, TRUE, False and FALSE also work, as in GitHub boolean inputs)."
    )
  })

  it('action-perf: a compare filter that is no Rust regex is named before anything builds', async () => {
    const run = await runAction({
      action: 'action-perf',
      workspace: fixtureDir(),
      inputs: { 'compare-filters': 'Put\nGet/K16 (threaded/1' }
    })
    expect(failure(run)).toBe(
      "Invalid input 'compare-filters': 'Get/K16 (threaded/1' is not a Criterion regex (Rust regex syntax): the group ( is never closed (at character 9). Criterion would stop on it. To select a case by its id as written, write '=Get/K16 (threaded/1'; a filter is a Criterion regex (Rust regex syntax, matched anywhere in a case id) that also selects the ids containing it as written; '=ID' selects exactly the case ID; filters go one per line, or comma-separated on one line with '\\,' for a comma inside a filter."
    )
    expect(run.stdout).not.toMatch(/Build benches/)
  })

  it("action-test: annotations 'TRUE' is taken (the run goes on to the next problem)", async () => {
    const run = await runAction({
      action: 'action-test',
      workspace: fixtureDir(),
      inputs: { annotations: 'TRUE', 'working-directory': 'does/not/exist' }
    })
    expect(failure(run)).toBe(
      `Invalid input 'working-directory': '${fixtureDir()}/does/not/exist' does not exist. Expected the directory of a Rust crate or workspace (holding Cargo.toml).`
    )
  })

  it("action-soak: fail-fast 'False' is taken, 'no' is refused", async () => {
    const taken = await runAction({
      action: 'action-soak',
      workspace: fixtureDir(),
      inputs: { 'fail-fast': 'False', 'metrics-dir': '/proc/mace-actions/metrics' }
    })
    expect(failure(taken)).toMatch(
      /^Invalid input 'metrics-dir': '\/proc\/mace-actions\/metrics' cannot be created/
    )
    const refused = await runAction({
      action: 'action-soak',
      workspace: fixtureDir(),
      inputs: { 'fail-fast': 'no' }
    })
    expect(failure(refused)).toMatch(/^Invalid input 'fail-fast': 'no'\. Expected true or false/)
  })
})

describe('action-perf refuses a case-thresholds glob that would not mean what it says', () => {
  it.each([
    ['an unclosed bracket', 'Get/[K16=10', 'does not compile (Missing closing: "]"'],
    ['** inside a part', 'Scan**=15', 'has ** inside a part, where it means *']
  ])('%s, naming the input, the glob and what is accepted', async (_what, entry, why) => {
    const run = await runAction({
      action: 'action-perf',
      workspace: fixtureDir(),
      inputs: { 'case-thresholds': `Put/**=10\n${entry}` }
    })
    const glob = entry.slice(0, entry.lastIndexOf('='))
    const message = failure(run)
    expect(message).toContain(
      `Invalid input 'case-thresholds': the glob '${glob}' of entry '${entry}' ${why}`
    )
    expect(message).toContain('A glob matches the whole case id: * within a /-separated part')
  })
})

describe('action-test: the inputs of a matrix and its merge job, checked before anything runs', () => {
  const archiveExpected =
    "Expected a cargo-nextest archive: a .tar.zst file written by 'cargo nextest archive --archive-file', e.g. one an earlier job uploaded and this job downloaded."

  it('an archive-file that is not there is refused naming the input, not run by nextest', async () => {
    const run = await runAction({
      action: 'action-test',
      workspace: fixtureDir(),
      inputs: { runner: 'nextest', 'archive-file': 'build/missing.tar.zst' }
    })
    expect(failure(run)).toBe(
      `Invalid input 'archive-file': '${fixtureDir()}/build/missing.tar.zst' does not exist. ${archiveExpected}`
    )
    expect(run.stdout).not.toContain('::group::') // no build, no listing ran
  })

  it('an archive-file that is not a .tar.zst is refused (the only format nextest reads)', async () => {
    const run = await runAction({
      action: 'action-test',
      workspace: fixtureDir(),
      inputs: { runner: 'nextest', 'archive-file': 'Cargo.toml' }
    })
    expect(failure(run)).toBe(
      `Invalid input 'archive-file': '${fixtureDir()}/Cargo.toml' does not end in .tar.zst, the only archive format cargo-nextest reads. ${archiveExpected}`
    )
  })

  it.each([
    ['shard', '1/4'],
    ['archive-file', 'nextest-archive.tar.zst']
  ])(
    "mode 'merge' refuses %s (copied from a matrix job), which it would ignore",
    async (name, value) => {
      const run = await runAction({
        action: 'action-test',
        workspace: fixtureDir(),
        inputs: { mode: 'merge', [name]: value }
      })
      expect(failure(run)).toBe(
        `Invalid input '${name}': '${value}' with mode 'merge'. A merge runs no test: it reads every shard's artifact. Expected '${name}' empty in the merge job (set it in the matrix jobs).`
      )
    }
  )
})

describe('action-soak: a bench the crate lacks is refused before the first cycle', () => {
  it('names the input and the bench targets the crate has; perf-every 0 needs none', async () => {
    const run = await runAction({
      action: 'action-soak',
      workspace: fixtureDir(),
      inputs: { bench: 'nosuchbench', 'metrics-dir': mkdtempSync(join(tmpdir(), 'mace-soak-')) }
    })
    expect(failure(run)).toBe(
      `Invalid input 'bench': 'nosuchbench' is no bench target of the crate in ${fixtureDir()}, so every perf snapshot would fail. Expected a bench target (one of: iai, perf), or perf-every 0 for no perf snapshot.`
    )
    expect(run.stdout).not.toMatch(/cycle 1/)
  })
})

describe('action-soak: a bench its perf-metric cannot measure is refused before the first cycle', () => {
  it('names the Criterion bench, the metric input and the metric that fits it', async () => {
    const run = await runAction({
      action: 'action-soak',
      workspace: fixtureDir(),
      inputs: {
        bench: 'perf',
        'perf-metric': 'instructions',
        'metrics-dir': mkdtempSync(join(tmpdir(), 'mace-soak-'))
      }
    })
    expect(failure(run)).toBe(
      `Invalid input 'bench': 'perf' (${join(fixtureDir(), 'benches', 'perf.rs')}) is a Criterion bench (its file ends in criterion_main!), which measures wall time; input 'perf-metric' is instructions, which measures only a gungraun bench (its file ends in gungraun's main! with library_benchmark_groups), which counts instructions. Accepted: set input 'perf-metric' to walltime, or name another bench.`
    )
    expect(run.stdout).not.toMatch(/cycle 1/)
  })
})

describe('action-soak: a tracking issue GitHub would refuse is refused before the first cycle', () => {
  it.each([
    [
      'issue-title',
      'Nightly soak of the storage engine is failing again '.repeat(5) + '!',
      256,
      'an issue title'
    ],
    ['issue-label', 'soak-failure-of-the-nightly-runs-on-the-big-runners', 50, 'a label name']
  ])(
    '%s past GitHub’s limit, naming the input, its length and the limit',
    async (input, value, limit, what) => {
      const run = await runAction({
        action: 'action-soak',
        workspace: fixtureDir(),
        inputs: {
          'tracking-issue': 'true',
          [input]: value,
          'metrics-dir': mkdtempSync(join(tmpdir(), 'mace-soak-'))
        }
      })
      const length = [...value].length
      expect(length).toBeGreaterThan(limit)
      const shown = length > 80 ? `${value.slice(0, 60)}…` : value
      expect(failure(run)).toBe(
        `Invalid input '${input}': '${shown}' is ${length} characters; GitHub takes at most ${limit} in ${what}. Expected a shorter one, e.g. 'Nightly soak is failing' and 'soak-failure'.`
      )
      expect(run.stdout).not.toMatch(/cycle 1/)
    }
  )
})

describe('the CLI refuses an output directory it cannot create at once', () => {
  it('under /proc: exit 2 with the flag named, well within its 20 s limit here', () => {
    const run = spawnSync(
      process.execPath,
      [CLI, 'test', '--working-directory', fixtureDir(), '--output-dir', '/proc/mace/out'],
      { encoding: 'utf8', timeout: 20_000 }
    )
    expect(run.signal).toBeNull()
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/Invalid flag --output-dir: '\/proc\/mace\/out' cannot be created/)
  })
})
