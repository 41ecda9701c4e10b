/**
 * The soak tests run on the perf tests' repository of the fixture (its `base`
 * commit), whose bench target is already compiled; this adds its test targets,
 * so a soak cycle in a test spends its time running, not compiling.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixtureEnv } from './fixture.js'
import { perfRepo, QUICK_BENCH_ARGS, warmPerfRepo } from './perf-repo.js'

/** Checks out `base` and builds its benches and its failpoints test targets. */
export async function warmSoakRepo(): Promise<string> {
  await warmPerfRepo()
  const repo = perfRepo('base')
  // Asynchronous: a worker blocked for minutes misses vitest's RPC deadlines.
  await promisify(execFile)(
    'cargo',
    ['test', '--features', 'failpoints', '--tests', '--no-run', '--quiet'],
    { cwd: repo }
  )
  return repo
}

/**
 * Flags of a quick soak: one small stress case, one chaos case, the basic
 * tests as post-check, the three Put cases (whose cost scales with the
 * fixture's slowdown knobs) with short Criterion times.
 */
export function quickSoakFlags(): Record<string, string> {
  return {
    'metrics-dir': mkdtempSync(join(tmpdir(), 'mace-soak-')),
    duration: '1h',
    'cycle-pause': '0',
    threads: '2',
    'stress-cases': 'stress:stress_bucket_rounds',
    'chaos-cases': 'chaos:chaos_crash_mid_put',
    'fast-targets': 'basic',
    'bench-args': `${QUICK_BENCH_ARGS} Put/`
  }
}

/** Environment of a quick soak: small stress rounds, quick benches, no stray switches. */
export function quickSoakEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...fixtureEnv(extra),
    MACE_PROD_BUCKET_STRESS_ROUNDS: '32',
    MINI_KV_BENCH_QUICK: '1'
  }
}
