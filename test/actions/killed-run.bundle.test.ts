/**
 * A run killed outright (SIGKILL: what a runner does at `timeout-minutes`, or
 * the OOM killer) cannot write its last word. Its results document must not
 * say passed, and a merge of it must fail, naming the shard and why. The CLI
 * bundle (`dist/cli/index.js`) runs on the fixture in a PID namespace of its
 * own, so killing it takes cargo, nextest and the hanging test with it, as a
 * runner's kill of the job does.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TestRunResult } from '../../src/core/layers/results.js'
import { fixtureDir, fixtureEnv } from '../harness/fixture.js'
import { NODE24 } from '../harness/run-action.js'

const CLI = resolve(import.meta.dirname, '../../dist/cli/index.js')
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'mace-killed-'))

/** The document on disk, or undefined while there is none (or it is being replaced). */
function readDoc(outputDir: string): TestRunResult | undefined {
  try {
    return JSON.parse(readFileSync(join(outputDir, 'results.json'), 'utf8')) as TestRunResult
  } catch {
    return undefined
  }
}

/**
 * Starts `mace-actions test ARGS` on the fixture with the stress case
 * `stress_evictor` hanging, waits until the results document says the stress
 * layer is running, then SIGKILLs the CLI and everything it started.
 */
async function killedMidStress(args: string[], outputDir: string): Promise<TestRunResult> {
  const child: ChildProcess = spawn(
    'unshare',
    ['--pid', '--fork', '--kill-child', NODE24, CLI, 'test', ...args, '--output-dir', outputDir],
    { cwd: fixtureDir(), env: fixtureEnv({ FIXTURE_HANG: '1' }), stdio: 'ignore' }
  )
  const exited = new Promise<void>(done => child.once('exit', () => done()))
  const deadline = Date.now() + 240_000
  for (;;) {
    const doc = readDoc(outputDir)
    if (doc?.running?.step === 'case' && doc.running.case?.startsWith('stress') === true) break
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL')
      throw new Error(`the run never reached the stress layer: ${JSON.stringify(doc)}`)
    }
    await new Promise(r => setTimeout(r, 200))
  }
  // Let the hanging case run a moment, then kill: unshare's child (the CLI, init of the
  // namespace) dies with it, and the kernel kills every process left in the namespace.
  await new Promise(r => setTimeout(r, 1_500))
  child.kill('SIGKILL')
  await exited
  const doc = readDoc(outputDir)
  if (doc === undefined) throw new Error('no results document after the kill')
  return doc
}

/** `mace-actions test merge FILES…` with the CLI bundle. */
function merge(files: string[]): { code: number | null; out: string } {
  const out = tempDir()
  const run = spawnSync(NODE24, [CLI, 'test', 'merge', ...files, '--output-dir', out], {
    cwd: fixtureDir(),
    encoding: 'utf8'
  })
  return { code: run.status, out: `${run.stdout}${run.stderr}` }
}

describe.each(['cargo', 'nextest'])('a run killed with SIGKILL under runner %s', runner => {
  it('leaves a document that never says passed, and a merge of it names the shard', async () => {
    const outputDir = tempDir()
    const doc = await killedMidStress(
      ['stress', '2', '--runner', runner, '--shard', '1/1'],
      outputDir
    )
    expect(doc.finished).toBe(false)
    expect(doc.passed).toBe(false)
    expect(doc.cancelled).toBe(false)
    const running = runner === 'cargo' ? 'stress:stress_evictor' : 'stress'
    expect(doc.running).toMatchObject({ step: 'case', case: running })
    // The layer that was running has no verdict: not passed, and not taken for an edit.
    expect(doc.layers.find(l => l.name === 'stress')?.status).toBe('incomplete')
    const merged = merge([join(outputDir, 'results.json')])
    expect(merged.code, merged.out).toBe(1)
    expect(merged.out).toContain(
      `Shard 1/1 (${join(outputDir, 'results.json')}) did not finish: its results document was never marked finished: the run was stopped while running case ${running}`
    )
    expect(merged.out).not.toMatch(/passed ✅|all layers passed/)
    expect(merged.out).not.toContain('contradicts its own evidence')
    expect(merged.out).toContain('layer stress: INCOMPLETE')
    if (runner === 'cargo')
      expect(merged.out).toMatch(
        /CANCELLED stress:stress_evictor \(shard 1\) .*\n {4}never ran: shard 1 stopped before it ended/
      )
  })
})

describe('an unsharded nextest run killed before its first layer ended', () => {
  it('says neither passed nor finished, though no layer recorded a failure yet', async () => {
    const outputDir = tempDir()
    const doc = await killedMidStress(['stress', '2', '--runner', 'nextest'], outputDir)
    // The one nextest run of the stress layer was killed: no case was saved at all.
    expect(doc.layers.flatMap(l => l.cases)).toEqual([])
    expect(doc.failures).toEqual([])
    expect(doc.passed).toBe(false)
    expect(doc.finished).toBe(false)
    expect(existsSync(join(outputDir, 'results.json.tmp'))).toBe(false)
  })
})
