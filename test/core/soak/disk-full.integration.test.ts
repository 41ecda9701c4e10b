/**
 * A soak whose metrics directory fills up in the middle of a step: the full
 * disk is named, the soak stops cleanly with a final soak.json that says why,
 * what ended before the disk filled is kept, and the test that could not
 * write its output is not called failed. The disk is a real 80 MiB tmpfs
 * (64 MiB to start, plus the soak's 8 MiB reserve and some room), filled by a
 * test of a small crate that prints 100 MiB in cycle 2.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { renderSoakSummary } from '../../../src/core/soak/render/summary.js'
import { writeSoakReports } from '../../../src/core/soak/reports.js'
import { readSoakResults } from '../../../src/core/soak/results-file.js'
import type { SoakResult } from '../../../src/core/soak/results.js'
import { runSoak } from '../../../src/core/soak/run.js'
import { resolveSoakSettings } from '../../../src/core/soak/settings.js'
import { fixtureEnv } from '../../harness/fixture.js'
import { scratchCrate } from '../../harness/scratch-crate.js'
import { mountSmallDisk, type SmallDisk } from '../../harness/small-disk.js'

const STRESS = `
fn in_cycle(var: &str) -> bool {
    std::env::var("MACE_SOAK_CYCLE").ok() == std::env::var(var).ok()
}

#[test]
#[ignore]
fn stress_failing() {
    assert!(!in_cycle("FAIL_CYCLE"), "injected failure");
}

#[test]
#[ignore]
fn stress_chatty() {
    if in_cycle("CHATTY_CYCLE") {
        let line = "x".repeat(99);
        for _ in 0..(100 * 1024 * 1024 / 100) {
            println!("{line}");
        }
    }
}
`

describe('a soak whose metrics directory fills up', () => {
  let disk: SmallDisk
  let result: SoakResult
  let metricsDir = ''
  beforeAll(async () => {
    const crate = scratchCrate('chatty', { 'tests/stress.rs': STRESS })
    disk = mountSmallDisk(80)
    metricsDir = join(disk.dir, 'metrics')
    const flags: Record<string, string> = {
      'metrics-dir': metricsDir,
      duration: '1h',
      'max-cycles': '3',
      'cycle-pause': '0',
      threads: '2',
      'stress-cases': 'stress:stress_failing\nstress:stress_chatty',
      'chaos-every': '0',
      'perf-every': '0',
      'fast-targets': 'stress'
    }
    const env = fixtureEnv({ FAIL_CYCLE: '2', CHATTY_CYCLE: '2' })
    const settings = await resolveSoakSettings(
      { get: n => flags[n], describe: n => `flag --${n}` },
      env,
      crate,
      crate
    )
    result = await runSoak(settings, {
      logger: silentLogger,
      env,
      onSave: r => void writeSoakReports(r)
    })
  })
  afterAll(() => disk?.unmount())

  it('stops in the cycle the disk filled, naming the metrics dir, and does not pass', () => {
    expect(result.stopReason).toBe('disk-full')
    expect(result.cycles.map(c => [c.cycle, c.interrupted])).toEqual([
      [1, undefined],
      [2, 'disk-full']
    ])
    expect(result.reasons[0]).toMatch(
      new RegExp(
        `^metrics dir ${metricsDir} is full \\(a write failed with ENOSPC; a soak needs 64\\.0 MiB free to go on\\): the stress step stopped`
      )
    )
    expect(result.passed).toBe(false)
    // The post-check is not run on a full disk.
    expect(result.postCheck).toBeUndefined()
  })

  it('keeps the failure that ended before the disk filled, and blames no test for the full disk', () => {
    expect(result.failures).toEqual([{ cycle: 2, step: 'stress', id: 'stress:stress_failing' }])
    const cut = result.cycles[1]!.steps[0]!
    expect(cut).toMatchObject({ kind: 'stress', passed: false, interrupted: true })
    expect(cut.diskFull).toContain(`metrics dir ${metricsDir} is full`)
    expect(cut.running).toMatchObject({ step: 'case', case: 'stress:stress_chatty' })
  })

  it('leaves a final soak.json and summary that say why it stopped, and gives back its reserve', () => {
    const onDisk = readSoakResults(join(metricsDir, 'soak.json'))
    expect(onDisk.stopReason).toBe('disk-full')
    expect(onDisk.passed).toBe(false)
    expect(onDisk.reasons).toEqual(result.reasons)
    const summary = readFileSync(join(metricsDir, 'soak-summary.md'), 'utf8')
    expect(summary).toBe(renderSoakSummary(onDisk))
    expect(summary).toContain('| the metrics dir filled up |')
    expect(summary).toMatch(/^## ❌ soak: FAIL\\: metrics dir /)
    expect(existsSync(join(metricsDir, '.mace-soak-reserve'))).toBe(false)
  })
})
