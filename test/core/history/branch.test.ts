/**
 * A history on a branch, with real git and a local bare repository as
 * `origin`: the first write creates the branch, two writers racing both land
 * their points (the one refused writes again on the other's tip), a shallow
 * checkout works, and the user's checkout, index and branches are untouched.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeHistory } from '../../../src/core/history/place.js'
import type { HistoryPoint, SeriesKey } from '../../../src/core/history/point.js'
import type { HistoryLocation } from '../../../src/core/history/settings.js'
import { readSeries } from '../../../src/core/history/store.js'
import { updateHistory } from '../../../src/core/history/update.js'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { InputError } from '../../../src/core/shared/errors.js'
import { synthPoints } from '../../../scripts/bench/history-series.js'

const KEY: SeriesKey = { part: 'perf', bench: 'perf', metric: 'walltime' }
const OPTIONS = { minPoints: 3, alpha: 0.001, shiftPct: 5, maxPoints: 1000 }
const BRANCH = 'mace-actions-data'

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  }).trim()
}

/** A bare origin with one commit on main, and `n` clones of it (shallow ones if asked). */
function repos(n: number, shallow = false): { origin: string; clones: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'mace-branch-'))
  const origin = join(root, 'origin.git')
  git(root, 'init', '-q', '--bare', '-b', 'main', origin)
  const seed = join(root, 'seed')
  git(root, 'init', '-q', '-b', 'main', seed)
  writeFileSync(join(seed, 'README'), 'the project\n')
  git(seed, 'add', '-A')
  git(seed, 'commit', '-q', '-m', 'first')
  git(seed, 'remote', 'add', 'origin', origin)
  git(seed, 'push', '-q', 'origin', 'main')
  const clones = Array.from({ length: n }, (_, i) => {
    const dir = join(root, `clone${i}`)
    git(root, 'clone', '-q', ...(shallow ? ['--depth=1'] : []), `file://${origin}`, dir)
    return dir
  })
  return { origin, clones }
}

function location(repoRoot: string): HistoryLocation {
  return { kind: 'branch', branch: BRANCH, remote: 'origin', repoRoot }
}

/** Adds a point through the branch; returns the attempts it took and the points it saw. */
async function add(
  repoRoot: string,
  point: HistoryPoint,
  beforePush?: (attempt: number) => Promise<void>
): Promise<{ attempts: number; seriesPoints: number; commit?: string }> {
  const { value, place } = await writeHistory(
    location(repoRoot),
    dir => updateHistory(dir, KEY, point, OPTIONS),
    () => `perf track: ${point.commit.slice(0, 12)}`,
    silentLogger,
    beforePush ? { beforePush } : {}
  )
  return {
    attempts: place.attempts ?? 0,
    seriesPoints: value.seriesPoints,
    ...(place.commit ? { commit: place.commit } : {})
  }
}

/** The points the origin's history branch holds, read from a fresh clone. */
function pointsOnOrigin(origin: string): HistoryPoint[] {
  const dir = mkdtempSync(join(tmpdir(), 'mace-branch-read-'))
  git(dir, 'clone', '-q', '--branch', BRANCH, `file://${origin}`, 'h')
  return readSeries(join(dir, 'h'), KEY).points
}

const points = synthPoints({ cases: 3, days: 12, noise: 0.02, seed: 9 })

describe('a history on a branch of the repository', () => {
  it('is created by the first write, as a branch of its own, with the page', async () => {
    const { origin, clones } = repos(1)
    const first = await add(clones[0]!, points[0]!)
    expect(first.attempts).toBe(1)
    const files = git(origin, 'ls-tree', '-r', '--name-only', BRANCH).split('\n')
    expect(files).toEqual(
      expect.arrayContaining(['index.html', 'data.js', '.nojekyll', 'README.md', 'history.json'])
    )
    // An orphan branch: it shares no history with main.
    expect(git(origin, 'rev-list', '--count', BRANCH)).toBe('1')
    expect(git(origin, 'log', '-1', '--format=%an %s', BRANCH)).toBe(
      `mace-actions perf track: ${points[0]!.commit.slice(0, 12)}`
    )
  })

  it('lands both points when another writer pushes in between (the refused one writes again)', async () => {
    const { origin, clones } = repos(2)
    await add(clones[0]!, points[0]!)
    let other: Awaited<ReturnType<typeof add>> | undefined
    const mine = await add(clones[0]!, points[1]!, async attempt => {
      // Before this writer's first push, the other one adds its point and pushes.
      if (attempt === 1) other = await add(clones[1]!, points[2]!)
    })
    expect(other?.attempts).toBe(1)
    expect(mine.attempts).toBe(2)
    // The second attempt was made on the other writer's tip: it saw all three points.
    expect(mine.seriesPoints).toBe(3)
    expect(pointsOnOrigin(origin).map(p => p.commit)).toEqual(points.slice(0, 3).map(p => p.commit))
  })

  it('lands both first points when two writers race to create the branch', async () => {
    const { origin, clones } = repos(2)
    const mine = await add(clones[0]!, points[0]!, async attempt => {
      if (attempt === 1) await add(clones[1]!, points[1]!)
    })
    expect(mine.attempts).toBe(2)
    expect(pointsOnOrigin(origin)).toHaveLength(2)
  })

  it('loses no point of two writers adding five each at the same time', async () => {
    const { origin, clones } = repos(2)
    const writer = async (clone: string, mine: HistoryPoint[]): Promise<number> => {
      let attempts = 0
      for (const p of mine) attempts += (await add(clone, p)).attempts
      return attempts
    }
    const attempts = await Promise.all([
      writer(clones[0]!, points.slice(0, 5)),
      writer(clones[1]!, points.slice(5, 10))
    ])
    const landed = pointsOnOrigin(origin).map(p => p.commit)
    expect(landed).toHaveLength(10)
    expect(new Set(landed)).toEqual(new Set(points.slice(0, 10).map(p => p.commit)))
    expect(attempts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10)
  })

  it('works from a shallow checkout and leaves the checkout as it was', async () => {
    const { origin, clones } = repos(1, true)
    const clone = clones[0]!
    const head = git(clone, 'rev-parse', 'HEAD')
    await add(clone, points[0]!)
    await add(clone, points[1]!)
    expect(pointsOnOrigin(origin)).toHaveLength(2)
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(head)
    expect(git(clone, 'status', '--porcelain')).toBe('')
    expect(git(clone, 'branch', '--list')).toBe('* main')
  })

  it('never writes over a branch that holds something else (a site), nor a directory', async () => {
    const { origin, clones } = repos(1)
    const clone = clones[0]!
    git(clone, 'checkout', '-q', '--orphan', BRANCH)
    git(clone, 'rm', '-rfq', '.')
    writeFileSync(join(clone, 'index.html'), '<p>my site</p>\n')
    git(clone, 'add', 'index.html')
    git(clone, 'commit', '-q', '-m', 'site')
    git(clone, 'push', '-q', 'origin', BRANCH)
    git(clone, 'checkout', '-q', 'main')
    await expect(add(clone, points[0]!)).rejects.toThrow(
      "Invalid the history branch 'mace-actions-data': it holds files a history did not write (index.html)"
    )
    expect(git(origin, 'rev-list', '--count', BRANCH)).toBe('1')
    const dir = mkdtempSync(join(tmpdir(), 'mace-not-history-'))
    writeFileSync(join(dir, 'README.md'), 'mine\n')
    await expect(
      writeHistory(
        { kind: 'directory', dir },
        d => updateHistory(d, KEY, points[0]!, OPTIONS),
        () => '',
        silentLogger
      )
    ).rejects.toThrow(InputError)
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('mine\n')
  })

  it('says what to fix when the push is not allowed', async () => {
    const { clones } = repos(1)
    git(clones[0]!, 'remote', 'set-url', '--push', 'origin', '/nonexistent/origin.git')
    await expect(add(clones[0]!, points[0]!)).rejects.toThrow(/permissions: contents: write/)
  })
})
