/**
 * A real compare on the fixture crate, stopped in its second round: what it was measuring (side,
 * round, filter) is kept in the results document of the stopped compare.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { silentLogger, type Logger } from '../../../src/core/shared/logger.js'
import { RunningMark } from '../../../src/core/shared/running-mark.js'
import type { PerfRunning } from '../../../src/core/perf/results.js'
import { runPerfCompare } from '../../../src/core/perf/run.js'
import { resolvePerfSettings } from '../../../src/core/perf/settings.js'
import { perfRepo, QUICK_BENCH_ARGS, warmPerfRepo } from '../../harness/perf-repo.js'

describe('a compare stopped mid-way', () => {
  beforeAll(warmPerfRepo)

  it('keeps the side, round and filter it was measuring when it was stopped', async () => {
    const repo = perfRepo('aa')
    const flags: Record<string, string> = {
      pairing: 'sequential',
      'bench-args': QUICK_BENCH_ARGS,
      'base-ref': 'base',
      'out-dir': mkdtempSync(join(tmpdir(), 'mace-perf-')),
      'compare-filters': 'Get',
      rounds: '3',
      'min-base-ns': '0',
      'min-compare-cases': '1'
    }
    const s = await resolvePerfSettings(
      { get: n => flags[n], describe: n => `flag --${n}` },
      {},
      repo,
      repo
    )
    const cancel = new AbortController()
    const running = new RunningMark<Omit<PerfRunning, 'startedAt'>>(cancel.signal)
    // The job is cancelled as round 2 starts: head runs first in even rounds.
    const logger: Logger = {
      ...silentLogger,
      info: line => {
        if (line.startsWith('perf: round 2 of 3')) setTimeout(() => cancel.abort(), 50)
      }
    }
    // A cancelled compare keeps what it measured, and says what it was measuring.
    const result = await runPerfCompare(s, { logger, signal: cancel.signal, running })
    expect(result.cancelled).toBe(true)
    expect(result.running).toMatchObject({ step: 'round', side: 'head', round: 2, filter: 'Get' })
    expect(Date.parse(result.running!.startedAt)).toBeLessThanOrEqual(Date.now())
  })

  it('says a duet round was measuring both sides at once, and which case', async () => {
    const repo = perfRepo('aa')
    const flags: Record<string, string> = {
      'bench-args': QUICK_BENCH_ARGS,
      'base-ref': 'base',
      'out-dir': mkdtempSync(join(tmpdir(), 'mace-perf-')),
      'compare-filters': 'Get/K16',
      rounds: '3'
    }
    const s = await resolvePerfSettings(
      { get: n => flags[n], describe: n => `flag --${n}` },
      {},
      repo,
      repo
    )
    const cancel = new AbortController()
    const running = new RunningMark<Omit<PerfRunning, 'startedAt'>>(cancel.signal)
    const logger: Logger = {
      ...silentLogger,
      info: line => {
        if (line.startsWith('perf: round 2 of 3')) setTimeout(() => cancel.abort(), 50)
      }
    }
    const result = await runPerfCompare(s, { logger, signal: cancel.signal, running })
    expect(result.cancelled).toBe(true)
    expect(result.pairing?.mode).toBe('duet')
    expect(result.running).toMatchObject({ step: 'round', side: 'both', round: 2 })
    // The exact id, escaped for Rust's regex crate (`-` too, which it accepts escaped).
    expect(result.running!.filter).toMatch(/^\^\(\?:Get\/K16\\-V16\//)
  })
})
