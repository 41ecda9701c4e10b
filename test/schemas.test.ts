/**
 * The results documents as a published contract: `schemas/*.schema.json` are
 * what the TypeScript types generate, the documents of real runs on the
 * fixture match them, and the product refuses a document that does not, with
 * an error naming the file, the schema and where it differs.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runPerfCompare, runPerfSnapshot } from '../src/core/perf/run.js'
import { readPerfResults } from '../src/core/perf/results-file.js'
import { resolvePerfSettings } from '../src/core/perf/settings.js'
import { InputError } from '../src/core/shared/errors.js'
import { silentLogger } from '../src/core/shared/logger.js'
import { readSoakResults } from '../src/core/soak/results-file.js'
import { runSoak } from '../src/core/soak/run.js'
import { resolveSoakSettings } from '../src/core/soak/settings.js'
import { readTestResults } from '../src/core/layers/results-file.js'
import { runTestLayers } from '../src/core/layers/run.js'
import { fixtureEnv, fixtureSettings } from './harness/fixture.js'
import { perfRepo, QUICK_BENCH_ARGS, warmPerfRepo } from './harness/perf-repo.js'
import { quickSoakEnv, quickSoakFlags, warmSoakRepo } from './harness/soak-repo.js'

const ROOT = resolve(import.meta.dirname, '..')

/** Every file named `name` under `dir`. */
function filesNamed(dir: string, name: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile() && e.name === name)
    .map(e => join(e.parentPath, e.name))
}

describe('the results schemas', () => {
  it('are what the TypeScript types generate (npm run schemas)', () => {
    expect(() =>
      execFileSync('node', ['scripts/schemas.mjs', '--check'], { cwd: ROOT, stdio: 'pipe' })
    ).not.toThrow()
  })
})

describe('documents of real runs on the fixture match their schemas', () => {
  beforeAll(async () => {
    await warmPerfRepo()
  })

  it('results.json of a run with a failed, a flaky and a timed-out case', async () => {
    const flakyDir = mkdtempSync(join(tmpdir(), 'mace-flaky-'))
    const settings = fixtureSettings({ mode: 'all', 'stress-timeout': '3', 'kill-grace': '1' })
    const result = await runTestLayers(settings, {
      logger: silentLogger,
      env: fixtureEnv({ FIXTURE_FAIL: '1', FIXTURE_HANG: '1', FIXTURE_FLAKY_DIR: flakyDir })
    })
    const read = readTestResults(join(settings.outputDir, 'results.json'))
    expect(read.failures).toEqual(result.failures)
    const statuses = new Set(read.layers.flatMap(l => l.cases.map(c => c.status)))
    expect([...statuses].sort()).toEqual(['failed', 'flaky', 'passed', 'timed-out'])
  })

  it('compare.json of a perf compare', async () => {
    const repo = perfRepo('aa')
    const flags: Record<string, string> = {
      'bench-args': QUICK_BENCH_ARGS,
      'base-ref': 'base',
      'out-dir': mkdtempSync(join(tmpdir(), 'mace-perf-')),
      'min-base-ns': '0',
      'min-compare-cases': '1',
      'compare-filters': 'Get',
      rounds: '2'
    }
    const s = await resolvePerfSettings(
      { get: n => flags[n], describe: n => `flag --${n}` },
      {},
      repo,
      repo
    )
    const result = await runPerfCompare(s, { logger: silentLogger })
    const read = readPerfResults(join(s.outDir, 'compare.json'))
    expect(read.mode).toBe('compare')
    expect(read.mode === 'compare' && read.cases.map(c => c.id)).toEqual(
      result.cases.map(c => c.id)
    )
  })

  it('compare.json and snapshot.json on instruction counts', async () => {
    const repo = perfRepo('slow1')
    const flags: Record<string, string> = {
      metric: 'instructions',
      bench: 'iai',
      'base-ref': 'base',
      'out-dir': mkdtempSync(join(tmpdir(), 'mace-perf-')),
      'min-compare-cases': '1',
      'compare-filters': 'put'
    }
    const read = async (mode: string): Promise<string> => {
      const all: Record<string, string> = { ...flags, mode }
      const s = await resolvePerfSettings({ get: n => all[n], describe: n => n }, {}, repo, repo)
      await (mode === 'compare' ? runPerfCompare : runPerfSnapshot)(s, { logger: silentLogger })
      return join(s.outDir, `${mode}.json`)
    }
    const compare = readPerfResults(await read('compare'))
    expect(compare.metric).toBe('instructions')
    expect(compare.mode === 'compare' && compare.cases[0]!.verdict).toBe('regressed')
    const snapshot = readPerfResults(await read('snapshot'))
    expect(snapshot.mode === 'snapshot' && snapshot.metric).toBe('instructions')
  })

  it('soak.json, and the results.json and snapshot.json of its cycles', async () => {
    const repo = await warmSoakRepo()
    const flags: Record<string, string> = {
      ...quickSoakFlags(),
      'max-cycles': '2',
      'chaos-every': '2',
      'perf-every': '1'
    }
    const env = quickSoakEnv({ FIXTURE_STRESS_FAIL_CYCLE: '1' })
    const settings = await resolveSoakSettings(
      { get: n => flags[n], describe: n => `flag --${n}` },
      env,
      repo,
      repo
    )
    const result = await runSoak(settings, { logger: silentLogger, env })
    const soak = readSoakResults(join(settings.metricsDir, 'soak.json'))
    expect(soak.cycles.map(c => c.cycle)).toEqual([1, 2])
    expect(soak.failures).toEqual(result.failures)
    const nested = filesNamed(settings.metricsDir, 'results.json').map(readTestResults)
    // stress ×2, chaos ×1, the post-check; the first stress failed.
    expect(nested).toHaveLength(4)
    expect(nested.filter(r => !r.passed)).toHaveLength(1)
    const snapshots = filesNamed(settings.metricsDir, 'snapshot.json').map(readPerfResults)
    expect(snapshots.length).toBeGreaterThan(0)
    expect(snapshots.every(r => r.mode === 'snapshot' && r.count > 0)).toBe(true)
  })
})

describe('a document that does not match is refused, naming the file and where', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mace-docs-'))
  const valid = {
    schemaVersion: 1,
    tool: 'mace-actions test',
    mode: 'fast',
    startedAt: '2026-11-29T00:00:00.000Z',
    durationMs: 1,
    workingDirectory: '/w',
    passed: true,
    cancelled: false,
    finished: true,
    planSource: 'discovered',
    builds: [],
    selectionProblems: [],
    layers: [{ name: 'fast', status: 'passed', durationMs: 1, cases: [] }],
    failures: [],
    flaky: [],
    notes: [],
    outputDir: '/w/out'
  }
  const write = (name: string, text: string): string => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }
  const refusal = (read: () => unknown): string => {
    try {
      read()
    } catch (e) {
      expect(e).toBeInstanceOf(InputError)
      return (e as Error).message
    }
    throw new Error('the document was accepted')
  }

  it('accepts a valid document', () => {
    expect(readTestResults(write('ok.json', JSON.stringify(valid))).mode).toBe('fast')
  })

  it('a wrong value and a missing field, with their JSON pointers and the allowed values', () => {
    const bad: Record<string, unknown> = {
      ...valid,
      layers: [{ ...valid.layers[0], status: 'green' }]
    }
    delete bad.flaky
    const path = write('bad.json', JSON.stringify(bad))
    const message = refusal(() => readTestResults(path))
    expect(message).toContain(path)
    expect(message).toContain('schemas/test-results.schema.json')
    expect(message).toContain("must have required property 'flaky'")
    expect(message).toContain('/layers/0/status must be equal to one of the allowed values')
    expect(message).toContain('"passed", "failed", "skipped"')
  })

  it('another kind of document, another schema version, and text that is not JSON', () => {
    const perf = write('perf.json', JSON.stringify({ ...valid, tool: 'mace-actions perf' }))
    expect(refusal(() => readTestResults(perf))).toContain(
      "it has a 'mace-actions perf' document, where 'mace-actions test' was expected"
    )
    const v2 = write('v2.json', JSON.stringify({ ...valid, schemaVersion: 2 }))
    expect(refusal(() => readTestResults(v2))).toContain(
      'has schemaVersion 2; this version of mace-actions reads schemaVersion 1 of the test results document'
    )
    const text = write('text.json', 'test result: ok')
    expect(refusal(() => readTestResults(text))).toMatch(
      /is not a test results document .*not JSON/
    )
    expect(refusal(() => readSoakResults(join(dir, 'missing.json')))).toContain(
      'Cannot read the soak results document (soak.json)'
    )
  })

  it('the same check holds a perf document to the perf schema', () => {
    const path = write(
      'compare.json',
      JSON.stringify({ schemaVersion: 1, tool: 'mace-actions perf', mode: 'compare' })
    )
    expect(refusal(() => readPerfResults(path))).toContain('schemas/perf-results.schema.json')
  })
})
