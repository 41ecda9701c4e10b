/**
 * Driving test/crates/blame_lab with real cargo as the test layers do: its tests are
 * listed, each case runs through `runCase` with the reference's cargo command lines,
 * and the results are what the reports are rendered from.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { listTests, type TestListing } from '../../../src/core/cargo/listing.js'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { listedSelection, runCase } from '../../../src/core/layers/case-runner.js'
import { fastArgv, ignoredCaseArgv } from '../../../src/core/layers/layer-commands.js'
import type { CaseResult, TestResult, TestRunResult } from '../../../src/core/layers/results.js'

/** The crate, inside the repository: panic locations are relative to it. */
export const CRATE = resolve(import.meta.dirname, '../../crates/blame_lab')
const ROOT = resolve(import.meta.dirname, '../../..')
const TARGET_DIR = join(ROOT, '.tmp', 'crates', 'blame_lab-target')

/** The thread counts every behaviour is checked at. */
export const THREADS = [1, 2, 8] as const

/** Environment of every command: our own target dir, backtraces off unless asked. */
export function labEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CARGO_TARGET_DIR: TARGET_DIR }
  for (const key of Object.keys(env)) if (key.startsWith('BLAME_LAB_')) delete env[key]
  return { ...env, RUST_BACKTRACE: '0', ...extra }
}

/** Builds every test target once; returns what `--list` says each selects. */
export async function buildLab(): Promise<TestListing> {
  mkdirSync(TARGET_DIR, { recursive: true })
  execFileSync('cargo', ['test', '--tests', '--no-run', '--quiet'], {
    cwd: CRATE,
    env: labEnv(),
    stdio: ['ignore', 'ignore', 'inherit']
  })
  return listTests({
    features: '',
    targetArgs: ['--tests'],
    cargoArgs: [],
    cwd: CRATE,
    env: labEnv(),
    timeoutSeconds: 300,
    logPrefix: join(mkdtempSync(join(tmpdir(), 'mace-blame-lab-')), 'list')
  })
}

/** How to run one case. */
export interface LabRun {
  threads: number
  env?: Record<string, string>
  timeoutSeconds?: number
}

/** The fast command over `targets`, as the fast layer runs it. */
export function runFast(listing: TestListing, targets: string[], run: LabRun): Promise<CaseResult> {
  return runLab('fast', targets, fastArgv({ cargoArgs: [], threads: run.threads }, '', targets), {
    ...run,
    listed: listedSelection(listing, targets)
  })
}

/** One ignored test run alone with `--ignored --exact`, as a chaos case runs. */
export function runChaosCase(target: string, test: string, run: LabRun): Promise<CaseResult> {
  const argv = ignoredCaseArgv({ cargoArgs: [], threads: run.threads }, '', target, test)
  return runLab(`chaos:${test}`, [target], argv, { ...run, test })
}

function runLab(
  id: string,
  targets: string[],
  argv: string[],
  run: LabRun & { listed?: ReturnType<typeof listedSelection>; test?: string }
): Promise<CaseResult> {
  return runCase({
    id,
    layer: id === 'fast' ? 'fast' : 'chaos',
    targets,
    ...(run.test === undefined ? {} : { test: run.test }),
    features: '',
    argv,
    cwd: CRATE,
    env: labEnv(run.env),
    timeoutSeconds: run.timeoutSeconds ?? 120,
    maxAttempts: 1,
    retryPauseMs: 0,
    killGraceMs: 500,
    repoRoot: CRATE,
    logDir: mkdtempSync(join(tmpdir(), 'mace-blame-lab-')),
    seq: 1,
    logger: silentLogger,
    ...(run.listed === undefined ? {} : { listed: run.listed })
  })
}

/** The tests of the case's one attempt. */
export function testsOf(testCase: CaseResult): TestResult[] {
  const attempt = testCase.attempts[0]
  if (attempt === undefined) throw new Error(`${testCase.id} did not run`)
  return attempt.tests
}

/** The result of one test, which must be there exactly once. */
export function testNamed(testCase: CaseResult, name: string, target?: string): TestResult {
  const found = testsOf(testCase).filter(t => t.name === name && (target ?? t.target) === t.target)
  if (found.length !== 1) throw new Error(`${found.length} results for ${name} in ${testCase.id}`)
  return found[0] as TestResult
}

/** A results document holding only `testCase`, for the renderers. */
export function runOf(testCase: CaseResult): TestRunResult {
  return {
    schemaVersion: 1,
    tool: 'mace-actions test',
    mode: 'fast',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1_000,
    workingDirectory: CRATE,
    passed: testCase.status === 'passed',
    cancelled: false,
    finished: true,
    planSource: 'inputs',
    builds: [],
    selectionProblems: [],
    layers: [{ name: testCase.layer, status: 'failed', durationMs: 1_000, cases: [testCase] }],
    failures: testCase.status === 'passed' ? [] : [testCase.id],
    flaky: [],
    notes: [],
    outputDir: join(ROOT, '.tmp')
  }
}
