/**
 * Base and head built one after the other in one shared target dir, on the
 * real fixture crate with real cargo and git: identical sources build
 * byte-identical binaries (nothing of the base is renamed, so no build of one
 * side is biased against the other), and a base whose code differs is never
 * taken as fresh from the head's build, whatever the mtimes of its worktree.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/core/shared/logger.js'
import { runPerfCompare } from '../../../../src/core/perf/run.js'
import { resolvePerfSettings, type PerfSettings } from '../../../../src/core/perf/settings.js'
import { BUILT_FROM_FILE } from '../../../../src/core/perf/measure/shared-target.js'
import {
  perfRepo,
  PERF_REPO,
  QUICK_BENCH_ARGS,
  warmPerfRepo,
  worktrees
} from '../../../harness/perf-repo.js'

/** One short round of one case: these tests are about the builds, not the figures. */
async function settings(tag: 'aa' | 'code'): Promise<PerfSettings> {
  const repo = perfRepo(tag)
  const all: Record<string, string> = {
    'bench-args': QUICK_BENCH_ARGS,
    'base-ref': 'base',
    'out-dir': mkdtempSync(join(tmpdir(), 'mace-perf-')),
    'compare-filters': 'Put/K16-V16/1$',
    gate: 'threshold',
    'min-base-ns': '0',
    'min-compare-cases': '1'
  }
  return resolvePerfSettings({ get: n => all[n], describe: n => `flag --${n}` }, {}, repo, repo)
}

const sha256 = (path: string): string =>
  createHash('sha256').update(readFileSync(path)).digest('hex')

/** The sha256 of the base's and the head's bench binaries a compare kept. */
function binaries(s: PerfSettings): { base: string; head: string } {
  return {
    base: sha256(join(s.outDir, 'bin', `base-${s.bench}`)),
    head: sha256(join(s.outDir, 'bin', `head-${s.bench}`))
  }
}

describe('base and head in one shared target dir', () => {
  beforeAll(warmPerfRepo)
  /** The base commit's binary, as the first test built it in the base worktree. */
  let baseCommit: string | undefined

  it('builds a base whose library code differs from its own sources, not from the head build', async () => {
    // The base worktree is checked out before the head builds, so its files are older than the
    // head's artifacts: by mtimes alone cargo would call the head's library fresh for the base.
    const s = await settings('code')
    const result = await runPerfCompare(s, { logger: silentLogger })
    expect(result.counts.compared).toBe(1)
    const { base, head } = binaries(s)
    expect(base).not.toBe(head)
    baseCommit = base
    // The target dir now holds the base worktree's artifacts, and says so.
    const record = readFileSync(join(PERF_REPO, 'target', BUILT_FROM_FILE), 'utf8').trim()
    expect(record).not.toBe(PERF_REPO)
    expect(worktrees()).toHaveLength(1)
  })

  it('builds byte-identical binaries when the head changes no code (a README-only commit)', async () => {
    // Runs after the base of the test above was built last: the head's build must not take it.
    const s = await settings('aa')
    const result = await runPerfCompare(s, { logger: silentLogger })
    expect(result.sameTree).not.toBe(true)
    expect(result.counts.compared).toBe(1)
    const { base, head } = binaries(s)
    expect(base).toBe(head)
    // The same sources in the main checkout and in a worktree: the same bytes as well.
    if (baseCommit !== undefined) expect(head).toBe(baseCommit)
  })
})
