/**
 * A real browser for the pages we write: the distribution's headless Chromium
 * (`apt-get install chromium`, as .ci/run does), driven by playwright-core,
 * with a fresh profile and no network features, opening files from disk.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core'

/** Where the distribution installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium'

/** The flags every launch gets: headless, no sandbox (root in CI), nothing that calls out. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/** A page opened from a file, with what the browser said while loading it. */
export interface OpenedPage {
  page: Page
  /** Console errors and uncaught exceptions of the page. */
  errors: string[]
  /** Requests the page made that were not to file:// URLs (none expected: no network). */
  remoteRequests: string[]
  /** Milliseconds from navigation to the load event. */
  loadMs: number
  close: () => Promise<void>
}

/** Opens `file` in headless Chromium with a fresh profile. */
export async function openFile(
  file: string,
  viewport = { width: 1400, height: 900 }
): Promise<OpenedPage> {
  const profile = mkdtempSync(`${tmpdir()}/mace-chromium-`)
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport
    })
  } catch (error) {
    rmSync(profile, { recursive: true, force: true })
    throw error
  }
  const page = context.pages()[0] ?? (await context.newPage())
  const errors: string[] = []
  const remoteRequests: string[] = []
  page.on('console', m => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', e => errors.push(e.message))
  page.on('request', r => {
    if (!r.url().startsWith('file://')) remoteRequests.push(r.url())
  })
  const t0 = Date.now()
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
  const loadMs = Date.now() - t0
  return {
    page,
    errors,
    remoteRequests,
    loadMs,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

/** Scrolls to the bottom in steps, so every lazily drawn part of the page is drawn. */
export async function scrollThrough(page: Page): Promise<void> {
  // Expressions as strings: this file is type-checked for Node, without the DOM's types.
  const height = await page.evaluate<number>('document.body.scrollHeight')
  for (let y = 0; y <= height + 600; y += 600) {
    await page.evaluate(`window.scrollTo(0, ${y})`)
    await page.waitForTimeout(20)
  }
  await page.evaluate('window.scrollTo(0, 0)')
}

/** Saves a full-page screenshot, creating its folder. */
export async function screenshot(page: Page, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true })
  await page.screenshot({ path, fullPage: true })
}

/** An attribute of every element a locator matches, in order ('' where absent). */
export async function attributes(locator: Locator, name: string): Promise<string[]> {
  const values: string[] = []
  for (const element of await locator.all()) values.push((await element.getAttribute(name)) ?? '')
  return values
}
