/**
 * The times of an earlier run, to deal shards by (`shard-timings`): read from
 * its `results.json` (this tool's document: each test's `durationMs`, each
 * target's libtest time, each case's commands) or from a JUnit file (ours, or
 * nextest's own `[profile.X.junit]` report: each `<testcase>`'s `time`, and for
 * ours each case's `<testsuite>` time). Tests are named as the file names them;
 * `testTimesFor` matches them to this run's listing.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { XMLParser } from 'fast-xml-parser'
import type { TestListing } from '../cargo/listing.js'
import { checkDocument } from '../shared/document-check.js'
import { InputError } from '../shared/errors.js'
import { TEST_RESULTS_DOCUMENT } from './results-file.js'
import type { TestRunResult } from './results.js'

/** One test's time as a timings file gives it. */
export interface TimedTest {
  /** As the file names it: a target selector (`lib`, `basic`) or a nextest binary id (`kv::basic`). */
  target: string
  name: string
  seconds: number
}

/** What an earlier run says each part of the plan took. */
export interface Timings {
  /** The file, as the user named it. */
  file: string
  kind: 'results.json' | 'JUnit'
  tests: TimedTest[]
  /** Each target's time by libtest's summary (runner cargo), seconds, by selector. */
  targets: Map<string, number>
  /** Each case's time (all its attempts), seconds, by case id (`stress:x`, `fast:g:x`). */
  cases: Map<string, number>
  /** Of the times read: in the plan digest, since every shard must deal by the same ones. */
  digest: string
}

/**
 * Reads a timings file.
 * @throws InputError naming `from` when the file is missing, unreadable, or
 * neither a results document nor JUnit XML, or holds no time at all.
 */
export function readTimings(file: string, from: string): Timings {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new InputError(
      `Invalid ${from}: cannot read ${file}: ${(e as Error).message}. Expected the results.json or JUnit file of an earlier run.`
    )
  }
  const start = text.trimStart()[0]
  const timings =
    start === '{'
      ? fromResults(text, file, from)
      : start === '<'
        ? fromJUnit(text, file, from)
        : undefined
  if (timings === undefined) {
    throw new InputError(
      `Invalid ${from}: ${file} is neither JSON nor XML. Expected the results.json or JUnit file of an earlier run.`
    )
  }
  if (timings.tests.length + timings.targets.size + timings.cases.size === 0) {
    throw new InputError(
      `Invalid ${from}: ${file} holds no test's time. Expected the results.json or JUnit file of an earlier run that ran tests.`
    )
  }
  return timings
}

function fromResults(text: string, file: string, from: string): Timings {
  let doc: TestRunResult
  try {
    doc = checkDocument<TestRunResult>(text, file, TEST_RESULTS_DOCUMENT)
  } catch (e) {
    throw new InputError(`Invalid ${from}: ${(e as Error).message}`)
  }
  const tests: TimedTest[] = []
  const targets = new Map<string, number>()
  const cases = new Map<string, number>()
  for (const c of doc.layers.flatMap(l => l.cases)) {
    const last = c.attempts.at(-1)
    if (last === undefined) continue
    cases.set(c.id, c.attempts.reduce((sum, a) => sum + a.command.durationMs, 0) / 1000)
    for (const t of last.tests) {
      if (t.durationMs !== undefined)
        tests.push({ target: t.target ?? '', name: t.name, seconds: t.durationMs / 1000 })
    }
    for (const t of last.targetTimes ?? []) targets.set(t.target, t.durationMs / 1000)
  }
  return withDigest({ file, kind: 'results.json', tests, targets, cases })
}

type XmlNode = Record<string, unknown>

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  isArray: name => name === 'testsuite' || name === 'testcase'
})

// A case's suite in our JUnit: its id, and in a merged document its shard.
const CASE_SUITE = /^((?:fast|stress|chaos):.+?)(?: \(shard \d+\))?$/

function fromJUnit(text: string, file: string, from: string): Timings {
  let doc: XmlNode
  try {
    doc = xml.parse(text, true) as XmlNode
  } catch (e) {
    throw new InputError(
      `Invalid ${from}: ${file} is not XML: ${(e as Error).message.split('\n')[0]}. Expected the results.json or JUnit file of an earlier run.`
    )
  }
  const root = (doc.testsuites ?? { testsuite: doc.testsuite }) as XmlNode
  const tests: TimedTest[] = []
  const cases = new Map<string, number>()
  for (const suite of (root.testsuite as XmlNode[] | undefined) ?? []) {
    const id = CASE_SUITE.exec(attr(suite, 'name'))?.[1]
    const suiteTime = Number(suite.time)
    if (id !== undefined && Number.isFinite(suiteTime)) cases.set(id, suiteTime)
    for (const tc of (suite.testcase as XmlNode[] | undefined) ?? []) {
      const seconds = Number(tc.time)
      // A testcase without a time (libtest in parallel), or skipped, says nothing.
      if (tc.time === undefined || !Number.isFinite(seconds) || tc.skipped !== undefined) continue
      tests.push({
        target: attr(tc, 'classname') || attr(suite, 'name'),
        name: attr(tc, 'name'),
        seconds
      })
    }
  }
  return withDigest({ file, kind: 'JUnit', tests, targets: new Map(), cases })
}

function attr(node: XmlNode, key: string): string {
  const value = node[key]
  return typeof value === 'string' ? value : ''
}

function withDigest(t: Omit<Timings, 'digest'>): Timings {
  const canonical = JSON.stringify([
    t.tests.map(x => [x.target, x.name, x.seconds]).sort(),
    [...t.targets].sort(),
    [...t.cases].sort()
  ])
  return { ...t, digest: createHash('sha256').update(canonical).digest('hex').slice(0, 16) }
}

/** `target\nname`: a test's key in `testTimesFor`. */
export function testKey(target: string, name: string): string {
  return `${target}\n${name}`
}

/**
 * Each listed test's time, keyed by `testKey` with this run's target selectors.
 * A file's target is taken as a selector, or as a nextest binary id
 * (`crate::name` → `name`, `crate::bin/x` → `bin:x`, the bare crate name → `lib`),
 * whichever lists a test of that name.
 */
export function testTimesFor(timings: Timings, listing: TestListing): Map<string, number> {
  const times = new Map<string, number>()
  for (const t of timings.tests) {
    const rest = t.target.includes('::') ? t.target.slice(t.target.indexOf('::') + 2) : undefined
    const candidates = [
      t.target,
      ...(rest !== undefined ? [rest.startsWith('bin/') ? `bin:${rest.slice(4)}` : rest] : ['lib'])
    ]
    const target = candidates.find(c => listing.get(c)?.all.has(t.name) === true)
    if (target !== undefined) times.set(testKey(target, t.name), t.seconds)
  }
  return times
}
