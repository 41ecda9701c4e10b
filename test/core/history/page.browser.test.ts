/**
 * The history page in a real browser: headless Chromium opens `index.html`
 * from disk (no server, no network), draws one chart per case with its line,
 * band and linked points, marks the runner change and the shift, and keeps a
 * screenshot under .tmp/screenshots/ for a person to look at.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateHistory } from '../../../src/core/history/update.js'
import type { SeriesKey } from '../../../src/core/history/point.js'
import { caseIds, sha, synthPoints } from '../../../scripts/bench/history-series.js'
import {
  attributes,
  openFile,
  scrollThrough,
  screenshot,
  type OpenedPage
} from '../../harness/browser.js'

const SCREENSHOTS = resolve(import.meta.dirname, '../../..', '.tmp', 'screenshots')
const KEY: SeriesKey = { part: 'perf', bench: 'perf', metric: 'walltime' }
const CASES = 6

describe('the history page, opened from disk in Chromium', () => {
  let dir: string
  let opened: OpenedPage

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mace-page-'))
    // 40 days; cases 1 and 4 get 15 % slower on day 24; the runner's kernel changes on day 12.
    const points = synthPoints({
      cases: CASES,
      days: 40,
      noise: 0.02,
      seed: 5,
      steps: [{ day: 24, cases: [1, 4], pct: 15 }],
      runnerChangeDay: 12
    })
    const options = {
      minPoints: 3,
      alpha: 0.001,
      shiftPct: 5,
      maxPoints: 1000,
      commitUrl: 'https://github.com/mace/demo/commit/{sha}'
    }
    for (const p of points) updateHistory(dir, KEY, p, options)
    opened = await openFile(join(dir, 'index.html'))
    await scrollThrough(opened.page)
  })

  afterAll(async () => {
    await opened?.close()
  })

  it('loads with no error and no request beyond the file system', () => {
    expect(opened.errors).toEqual([])
    expect(opened.remoteRequests).toEqual([])
  })

  it('draws one chart per case, each with a non-empty line and band', async () => {
    const charts = opened.page.locator('.case')
    expect(await charts.count()).toBe(CASES)
    expect(await opened.page.locator('.case[data-drawn="true"]').count()).toBe(CASES)
    for (const id of caseIds(CASES)) {
      const box = opened.page.locator(`.case[data-case="${id}"]`)
      expect(await box.locator('h3').textContent()).toBe(id)
      const lines = await attributes(box.locator('path.line'), 'd')
      // Two runners: two lines, each through its points.
      expect(lines).toHaveLength(2)
      for (const d of lines) expect(d.split('L').length).toBeGreaterThan(10)
      expect(await box.locator('path.band').count()).toBe(2)
      const size = await box.locator('svg.chart').boundingBox()
      expect(size!.width).toBeGreaterThan(400)
      expect(size!.height).toBeGreaterThan(100)
    }
  })

  it('links each point to its commit', async () => {
    const box = opened.page.locator('.case').first()
    const links = await attributes(box.locator('a'), 'href')
    expect(links).toHaveLength(40)
    expect(links[0]).toBe(`https://github.com/mace/demo/commit/${sha(0, 5)}`)
    expect(links[39]).toBe(`https://github.com/mace/demo/commit/${sha(39, 5)}`)
  })

  it('marks the runner change on every chart and the shift on the slowed cases only', async () => {
    expect(await opened.page.locator('line.runner-change').count()).toBe(CASES)
    const ids = caseIds(CASES)
    for (const [i, id] of ids.entries()) {
      const labels = await opened.page
        .locator(`.case[data-case="${id}"] text.shift-label`)
        .allTextContents()
      if (i === 1 || i === 4)
        expect(labels).toEqual([
          expect.stringMatching(new RegExp(`^\\+1\\d\\.\\d % at ${sha(24, 5).slice(0, 7)}$`))
        ])
      else expect(labels).toEqual([])
    }
    const legend = await opened.page.locator('.legend li').allTextContents()
    expect(legend).toHaveLength(2)
    expect(legend[1]).toContain('kernel 6.11.0-1012-azure')
  })

  it('filters the charts by case name', async () => {
    await opened.page.fill('#filter', 'scan')
    const shown = await opened.page.locator('.case:visible').allTextContents()
    expect(shown.every(t => t.startsWith('Scan/'))).toBe(true)
    expect(shown.length).toBeGreaterThan(0)
    await opened.page.fill('#filter', '')
  })

  it('keeps a screenshot of the page', async () => {
    const path = join(SCREENSHOTS, 'history-page.png')
    await screenshot(opened.page, path)
    expect(path).toMatch(/history-page\.png$/)
  })
})
