/**
 * A job matrix as users write it: dist/test/index.js run three times with
 * `runner: nextest`, `shard: K/3` and one `artifact-name`, each uploading to a
 * loopback emulation of the artifact service, then once with `mode: merge`,
 * which downloads those artifacts and gives the verdict one unsharded run
 * gives. And the CLI's `test merge` on the same documents.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestRunResult } from '../../src/core/layers/results.js'
import { startArtifactService, type ArtifactService } from '../emulators/artifact-service.js'
import { fixtureDir, fixtureEnv } from '../harness/fixture.js'
import { NODE24, runAction, type ActionRun } from '../harness/run-action.js'

const CLI = resolve(import.meta.dirname, '../../dist/cli/index.js')
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'mace-shards-'))
// A failing fast test and a failing stress case, so the merge has something to judge.
const SWITCHES = { FIXTURE_FAIL: '1', FIXTURE_STRESS_FAIL: '1' }
const switchedEnv = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(fixtureEnv(SWITCHES))) if (v !== undefined) env[k] = v
  return env
}

describe('action-test over a matrix of shards', () => {
  let service: ArtifactService
  const shards: ActionRun[] = []
  beforeAll(async () => {
    service = await startArtifactService()
    for (const k of [1, 2, 3]) {
      shards.push(
        await runAction({
          action: 'action-test',
          workspace: fixtureDir(),
          inputs: {
            mode: 'all',
            threads: '2',
            runner: 'nextest',
            shard: `${k}/3`,
            'output-dir': tempDir(),
            'artifact-name': 'matrix'
          },
          env: { ...service.env, ...switchedEnv() }
        })
      )
    }
  })
  afterAll(async () => {
    await service.close()
  })

  it('uploads each shard under its own name, and each shard judges only its share', () => {
    expect(service.uploads.map(u => u.name).sort()).toEqual([
      'matrix-shard-1-of-3-attempt-1',
      'matrix-shard-2-of-3-attempt-1',
      'matrix-shard-3-of-3-attempt-1'
    ])
    for (const [i, run] of shards.entries()) {
      const doc = JSON.parse(readFileSync(run.outputs['results-path']!, 'utf8')) as TestRunResult
      expect(doc.shard).toMatchObject({ index: i + 1, total: 3 })
    }
    // Between them the shards failed exactly what one run fails.
    const failed = shards.flatMap(r => r.outputs.failures?.split('\n').filter(Boolean) ?? [])
    expect(failed.sort()).toEqual(['fast', 'stress:stress_bucket_rounds'])
  })

  it('merges the shards of this run into the verdict of one run, with one summary and JUnit', async () => {
    const outputDir = tempDir()
    const merge = await runAction({
      action: 'action-test',
      workspace: fixtureDir(),
      inputs: { mode: 'merge', 'artifact-name': 'matrix', 'output-dir': outputDir },
      env: service.env
    })
    expect(merge.exitCode, merge.stdout).toBe(1)
    expect(merge.outputs).toMatchObject({
      result: 'failure',
      failures: 'fast\nstress:stress_bucket_rounds',
      'results-path': join(outputDir, 'results.json')
    })
    const doc = JSON.parse(readFileSync(join(outputDir, 'results.json'), 'utf8')) as TestRunResult
    expect(doc.merged?.shards.map(s => s.index)).toEqual([1, 2, 3])
    expect(doc.merged?.problems).toEqual([])
    expect(merge.summary).toMatch(/Merged\*\* 3 of 3 shards/)
    const junit = readFileSync(merge.outputs['junit-path']!, 'utf8')
    expect(junit).toMatch(/failures="[1-9]/)
    // The merge annotates each failure once, at its file:line.
    const errors = merge.annotations.filter(a => a.command === 'error' && a.properties.file)
    expect(errors.map(a => a.properties.file).sort()).toEqual(['tests/basic.rs', 'tests/stress.rs'])
  })

  it('refuses a merge with no shard artifact, naming the artifact it looked for', async () => {
    const merge = await runAction({
      action: 'action-test',
      workspace: fixtureDir(),
      inputs: { mode: 'merge', 'artifact-name': 'nothing-here', 'output-dir': tempDir() },
      env: service.env
    })
    expect(merge.exitCode).not.toBe(0)
    expect(merge.stdout).toMatch(/no artifact named 'nothing-here-shard-K-of-N-attempt-A'/)
  })

  it('the CLI merges the same documents, and fails naming a shard that is missing', () => {
    const dir = tempDir()
    const paths = shards.map((run, i) => {
      const path = join(dir, `shard-${i + 1}.json`)
      writeFileSync(path, readFileSync(run.outputs['results-path']!))
      return path
    })
    const merge = (docs: string[], out: string): { status: number | null; output: string } => {
      const r = spawnSync(NODE24, [CLI, 'test', 'merge', ...docs, '--output-dir', out], {
        encoding: 'utf8'
      })
      return { status: r.status, output: `${r.stdout}${r.stderr}` }
    }
    const whole = merge(paths, join(dir, 'whole'))
    expect(whole.status).toBe(1)
    expect(whole.output).toMatch(/failures[\s\S]*fast[\s\S]*stress:stress_bucket_rounds/)
    const merged = JSON.parse(
      readFileSync(join(dir, 'whole', 'results.json'), 'utf8')
    ) as TestRunResult
    expect(merged.failures).toEqual(['fast', 'stress:stress_bucket_rounds'])
    expect(merged.merged?.shards.map(s => s.source)).toEqual(paths)
    const partial = join(dir, 'partial')
    mkdirSync(partial)
    const missing = merge([paths[0]!, paths[2]!], partial)
    expect(missing.status).toBe(1)
    expect(missing.output).toMatch(/shard 2\/3/)
  })
})
