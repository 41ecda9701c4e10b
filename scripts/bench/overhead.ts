/**
 * The action's own work on a large compare, bundled and run as a plain Node
 * process by bench-cost.ts so its time and peak memory are its own: reads the
 * Criterion cases of a base run and a head run, judges them, and renders and
 * writes the reports. Prints one JSON line.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { readCriterionCases } from '../../src/core/perf/measure/criterion-reader.js'
import { silentLogger } from '../../src/core/shared/logger.js'
import { writePerfReports } from '../../src/core/perf/reports.js'
import type { PerfCompareResult } from '../../src/core/perf/results.js'
import { compareCases, gateDecision } from '../../src/core/perf/judge/verdict.js'

const [dir] = process.argv.slice(2)
if (!dir) throw new Error('usage: overhead.js DIR (holding base/ and head/ Criterion output)')
const t0 = performance.now()
const base = readCriterionCases(join(dir, 'base'), silentLogger)
const tBase = performance.now()
const head = readCriterionCases(join(dir, 'head'), silentLogger)
const t1 = performance.now()
const rounds = (cases: typeof base): Map<string, number[]> =>
  new Map(cases.map(c => [c.id, [c.medianNs]]))
const cases = compareCases(rounds(base), rounds(head), {
  gate: 'noise-aware',
  thresholdPct: 5,
  minBaseNs: 0
})
const decision = gateDecision(cases, { maxRegressCases: 0, minCompareCases: 6 })
const t2 = performance.now()
const outputDir = join(dir, 'out')
mkdirSync(outputDir, { recursive: true })
const result: PerfCompareResult = {
  schemaVersion: 1,
  tool: 'mace-actions perf',
  mode: 'compare',
  gate: 'noise-aware',
  baseRef: 'base',
  baseSha: '0'.repeat(40),
  headSha: '1'.repeat(40),
  thresholdPct: 5,
  maxRegressCases: 0,
  minCompareCases: 6,
  minBaseNs: 0,
  rounds: 1,
  passed: decision.passed,
  reasons: decision.reasons,
  counts: decision.counts,
  cases,
  startedAt: new Date().toISOString(),
  durationMs: 0,
  outputDir
}
writePerfReports(result, 'https://github.com/o/r/actions/runs/1')
const t3 = performance.now()
process.stdout.write(
  `${JSON.stringify({
    baseCases: base.length,
    headCases: head.length,
    readBaseMs: tBase - t0,
    readMs: t1 - t0,
    judgeMs: t2 - t1,
    renderMs: t3 - t2,
    totalMs: t3 - t0,
    /** CPU time (user + system), steadier than wall time on a busy machine. */
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024
  })}\n`
)
