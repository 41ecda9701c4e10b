/**
 * The soak's nights in the history (`history: true`): three short soaks on the
 * fixture, counting instructions so the figures are exact. The first night has
 * nothing to compare with; the second, on the same code, is level with it; the
 * third, with the put cases 10 % slower, says so against the two nights before;
 * each night is one point of the history's soak/ part, with its cycles.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { readSeries } from '../../../src/core/history/store.js'
import { silentLogger } from '../../../src/core/shared/logger.js'
import type { SoakResult } from '../../../src/core/soak/results.js'
import { readSoakResults } from '../../../src/core/soak/results-file.js'
import { runSoak } from '../../../src/core/soak/run.js'
import { resolveSoakSettings } from '../../../src/core/soak/settings.js'
import { writeSoakReports } from '../../../src/core/soak/reports.js'
import { quickSoakEnv, quickSoakFlags, warmSoakRepo } from '../../harness/soak-repo.js'

const NIGHT_FLAGS = {
  'perf-metric': 'instructions',
  bench: 'iai',
  'bench-args': '*::put::*',
  'max-cycles': '2',
  'chaos-every': '0',
  'post-check': 'false'
}

describe('soak nights in the history', () => {
  const historyDir = mkdtempSync(join(tmpdir(), 'mace-soak-history-'))
  const nights: SoakResult[] = []

  beforeAll(async () => {
    const repo = await warmSoakRepo()
    for (const slow of ['', '', '*::put::*=10']) {
      const flags: Record<string, string> = {
        ...quickSoakFlags(),
        ...NIGHT_FLAGS,
        'history-dir': historyDir
      }
      const env = quickSoakEnv(slow ? { MINI_KV_BENCH_SLOW: slow } : {})
      const settings = await resolveSoakSettings(
        { get: n => flags[n], describe: n => `flag --${n}` },
        env,
        repo,
        repo
      )
      const result = await runSoak(settings, { logger: silentLogger, env })
      writeSoakReports(result)
      nights.push(result)
    }
  })

  it('turns history on when a history directory is given', () => {
    expect(nights.map(n => n.history?.place?.kind)).toEqual(['directory', 'directory', 'directory'])
  })

  it('has nothing to compare the first night with', () => {
    const first = nights[0]!.history!
    expect(first.comparisons).toEqual([])
    expect(first.message).toMatch(
      /^The first night of this runner \(.*\): no earlier night, so nothing to compare with yet\.$/
    )
  })

  it('finds the second night, on the same code, level with the first', () => {
    const second = nights[1]!.history!
    expect(second.nights).toBe(1)
    expect(second.comparisons.map(c => [c.series, c.delta_pct])).toEqual([
      ['p50', 0],
      ['p95', 0]
    ])
    expect(second.message).toBe('p50 +0.0 %, p95 +0.0 % against the last night of this runner.')
  })

  it('says the third night, 10 % more work, is slower than the nights before', () => {
    const third = nights[2]!.history!
    expect(third.nights).toBe(2)
    for (const c of third.comparisons) {
      expect(c.delta_pct).toBeGreaterThan(8)
      expect(c.delta_pct).toBeLessThan(13)
    }
    expect(third.message).toMatch(
      /^p50 \+\d+\.\d %, p95 \+\d+\.\d % against the last 2 nights of this runner\.$/
    )
    const summary = readFileSync(join(nights[2]!.metricsDir, 'soak-summary.md'), 'utf8')
    expect(summary).toContain('### Against earlier nights')
    expect(summary).toMatch(
      /\| \*\*p95\*\* \| [\d,]+ instructions \| [\d,]+ instructions \| \+\d+\.\d % \|/
    )
    // soak.json carries it too, and still matches its schema.
    expect(readSoakResults(join(nights[2]!.metricsDir, 'soak.json')).history?.nights).toBe(2)
  })

  it("keeps one point per night in the history's soak part, with each cycle's figures", () => {
    const { points } = readSeries(historyDir, {
      part: 'soak',
      bench: 'iai',
      metric: 'instructions'
    })
    expect(points).toHaveLength(3)
    for (const [i, p] of points.entries()) {
      expect(Object.keys(p.cases)).toEqual(['p50', 'p95'])
      expect(p.night?.cycle).toEqual([1, 2])
      expect(p.night?.p95).toEqual(nights[i]!.perfSamples.map(s => s.p95))
    }
    expect(readFileSync(join(historyDir, 'data.js'), 'utf8')).toContain('"part":"soak"')
  })
})
