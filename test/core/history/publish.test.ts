/**
 * The tracking issue of new lasting slowdowns, against the loopback emulation
 * of GitHub's API: opened for a new slowdown with its commit range, commented
 * on while open, untouched by shifts already announced and by improvements,
 * and a closed one (acknowledged) is never reopened: the next new shift opens
 * a fresh issue.
 */
import { describe, expect, it, onTestFinished } from 'vitest'
import { announceShifts } from '../../../src/core/history/publish.js'
import type { TrackResult, TrackShift } from '../../../src/core/history/results.js'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { sha } from '../../../scripts/bench/history-series.js'
import { trackResult } from '../../harness/track-result.js'
import { startGitHubApi, type GitHubApi } from '../../emulators/github-api.js'

const TITLE = 'Lasting performance shift on the default branch'
const LABEL = 'perf-shift'

function shift(id: string, delta: number, day: number, fresh = true): TrackShift {
  return {
    id,
    firstCommit: sha(day),
    lastCommitBefore: sha(day - 1),
    before: 100_000,
    after: 100_000 * (1 + delta / 100),
    delta_pct: delta,
    pointsBefore: day,
    pointsAfter: 3,
    fingerprint: 'a6a5bab66929',
    new: fresh
  }
}

function result(shifts: TrackShift[]): TrackResult {
  return trackResult({ shifts })
}

async function github(): Promise<{
  api: GitHubApi
  announce: (r: TrackResult) => ReturnType<typeof announceShifts>
}> {
  const api = await startGitHubApi()
  onTestFinished(() => api.close())
  const env = { ...api.env, GITHUB_REPOSITORY: `${api.owner}/${api.repo}`, GITHUB_RUN_ID: '7' }
  const announce = (r: TrackResult): ReturnType<typeof announceShifts> =>
    announceShifts(r, {
      enabled: true,
      title: TITLE,
      label: LABEL,
      token: api.token,
      env,
      commitUrl: `https://github.com/${api.owner}/${api.repo}/commit/{sha}`,
      logger: silentLogger
    })
  return { api, announce }
}

const writes = (api: GitHubApi): string[] =>
  api.requests.filter(r => r.method !== 'GET').map(r => r.operationId)

describe('the tracking issue of lasting shifts', () => {
  it('is opened for a new slowdown, naming the case, the change and the commit range', async () => {
    const { api, announce } = await github()
    const outcome = await announce(result([shift('Scan/K16-V16/1000', 12.5, 20)]))
    expect(outcome).toMatchObject({ action: 'opened', number: 1 })
    const [issue] = api.state.issues
    expect(issue).toMatchObject({ title: TITLE, labels: [LABEL], state: 'open' })
    expect(issue!.body).toContain(
      '| <code>Scan\\/K16\\-V16\\/1000</code> | +12.5 % | 100 µs | 113 µs |'
    )
    expect(issue!.body).toContain(
      `[${sha(19).slice(0, 12)}..${sha(20).slice(0, 12)}](https://github.com/${api.owner}/${api.repo}/compare/${sha(19)}...${sha(20)})`
    )
    expect(issue!.body).toContain('Closing this issue acknowledges these shifts')
  })

  it('is left alone for shifts announced before, and for improvements', async () => {
    const { api, announce } = await github()
    expect(await announce(result([shift('Put/K16-V16/64', 9, 10, false)]))).toEqual({
      action: 'none'
    })
    expect(await announce(result([shift('Put/K16-V16/64', -20, 10)]))).toEqual({ action: 'none' })
    expect(writes(api)).toEqual([])
  })

  it('gets a comment while open, and once closed a new shift opens a fresh issue', async () => {
    const { api, announce } = await github()
    await announce(result([shift('Put/K16-V16/64', 9, 10)]))
    expect(await announce(result([shift('Get/K16-V16/1', 7, 14)]))).toMatchObject({
      action: 'commented',
      number: 1
    })
    // A person closes it: the shifts in it are acknowledged.
    api.state.issues[0]!.state = 'closed'
    expect(await announce(result([shift('Open/K16-V16/1000', 30, 25)]))).toMatchObject({
      action: 'opened',
      number: 2
    })
    expect(api.state.issues[0]!.state).toBe('closed')
  })

  it('is skipped with a warning, not an error, without a token', async () => {
    const outcome = await announceShifts(result([shift('Put/K16-V16/64', 9, 10)]), {
      enabled: true,
      title: TITLE,
      label: LABEL,
      token: '',
      env: {},
      logger: silentLogger
    })
    expect(outcome).toEqual({ action: 'skipped', reason: 'no GITHUB_REPOSITORY or no token' })
  })
})
