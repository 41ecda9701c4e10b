/**
 * The one results document of a test run: layers → cases → attempts → command
 * and per-test outcomes. Every rendering (console, job summary, annotations,
 * JUnit, outputs) reads this and nothing else.
 */

import type { BuildDiagnostic, BuildResult } from '../cargo/build.js'
import type { PanicSummary, TestOutcome, TestResult } from '../libtest/test-result.js'
import type { NextestPolicy } from '../nextest/policy.js'
import type { CommandResult } from '../process/command-result.js'
import type { SourceLocation } from '../shared/source-location.js'

// The parts of the document that lower layers produce are declared there and
// re-exported here, so this file stays the one place to read its whole shape.
export type {
  BuildDiagnostic,
  BuildResult,
  CommandResult,
  NextestPolicy,
  PanicSummary,
  SourceLocation,
  TestOutcome,
  TestResult
}
export { TEST_OUTCOMES } from '../libtest/test-result.js'

/** Layers in the order `all` runs them. */
export const LAYERS = ['fast', 'stress', 'chaos'] as const
export type LayerName = (typeof LAYERS)[number]

/** One run of a case: one command. */
export interface Attempt {
  number: number
  passed: boolean
  command: CommandResult
  tests: TestResult[]
  /**
   * What went wrong beyond the tests' own results: the command failed without a test to
   * blame (build error, crash before tests), or a test binary died and none of its tests
   * could be named.
   */
  error?: string
  /**
   * Panics of threads that are not tests (`<unnamed>`, `worker-7`) that no test could be
   * given: several tests were running and none joined it. Never dropped, never guessed.
   */
  unattributedPanics?: PanicSummary[]
  /** For a command that timed out or crashed: the last panic and the end of its log. */
  evidence?: AttemptEvidence
  /** The run was cancelled while this attempt ran: not a verdict on the case. */
  cancelled?: boolean
  /**
   * Each test binary's time as libtest's summary gave it (`finished in`), for the
   * `cargo` runner: what a fast target costs, whatever its tests' own times.
   */
  targetTimes?: TargetTime[]
  /** Why tests of this attempt that ran have no `durationMs` (e.g. libtest in parallel). */
  untimed?: string
}

/** One test binary's run time, as libtest's `test result: … finished in S s` says it. */
export interface TargetTime {
  /** Target selector: `lib`, `bin:NAME` or an integration test's name. */
  target: string
  durationMs: number
}

/** What the log of a command that timed out or crashed showed last. */
export interface AttemptEvidence {
  /** The last panic the command printed (a test's, a helper's or a child process's). */
  lastPanic?: PanicSummary
  /** The last lines of the command's log (at most 20 lines, 2 KB). */
  logTail: string
}

/**
 * True for the case statuses that make the run fail. `cancelled` is not one:
 * a cancelled run is partial, not a verdict on its cases.
 */
export function isFailingStatus(status: CaseStatus): boolean {
  return status === 'failed' || status === 'timed-out' || status === 'error'
}

/** Verdict of a case across its attempts. */
export type CaseStatus = 'passed' | 'flaky' | 'failed' | 'timed-out' | 'error' | 'cancelled'

/**
 * A unit the verdict talks about: the fast command, one stress or chaos test,
 * or one test of a feature-gated group. `id` is the reference name
 * (`fast`, `stress:<test>`, `chaos:<test>`, `fast:<group>:<test>`).
 */
export interface CaseResult {
  id: string
  layer: LayerName
  /** Group name for feature-gated cases. */
  group?: string
  /** Cargo target(s) selected by the case. */
  targets: string[]
  /** Exact test name, for single-test cases. */
  test?: string
  features: string
  status: CaseStatus
  attempts: Attempt[]
  maxAttempts: number
  /** In a merged document: the shard (1-based) that ran the case. */
  shard?: number
}

/**
 * One layer of the run. `incomplete` is no verdict: the layer had not ended
 * when the document was written (the run still going, or killed during it),
 * the run was cancelled before it ended, or, merged, a shard that holds part
 * of it did not finish. It is never shown as passed.
 */
export interface LayerResult {
  name: LayerName
  status: 'passed' | 'failed' | 'skipped' | 'incomplete'
  durationMs: number
  cases: CaseResult[]
}

/** A selection that lists no test (or not exactly one for an exact case). */
export interface SelectionProblem {
  /** Name of the item in the reference's `failures` list. */
  id: string
  message: string
}

/** Something the user should know about the run that is not a failure. */
export interface RunNote {
  /** `notice`: a setting settled by the crate; `warning`: something may not be what was meant. */
  level: 'notice' | 'warning'
  message: string
}

/** Which share of a matrix a run was. */
export interface ShardRun {
  /** 1-based. */
  index: number
  total: number
  /** `planDigest` of the whole plan before sharding: equal in every shard of one matrix. */
  planDigest: string
  /** What this shard ran, in words, e.g. `fast targets basic, lib; 2 of 5 stress cases`. */
  share: string
  /**
   * How the plan was dealt: `time` (by an earlier run's times, `shard-timings`),
   * `count` (cargo: by test and case counts), `partition` (nextest's `--partition`).
   */
  dealtBy?: 'time' | 'count' | 'partition'
  /** Dealt by time: the seconds each shard was expected to take (index 0 = shard 1). */
  expectedSeconds?: number[]
  /**
   * The ids of the cases dealt to this shard (`fast`, `stress:<test>`, `chaos:<group>:<test>`),
   * in run order, written before any runs, so a merge can name what a shard cut short never
   * ran. Absent under nextest's `partition`, whose share is known only as it runs.
   */
  planned?: string[]
}

/** The shards a merged document came from. */
export interface MergedShards {
  total: number
  planDigest: string
  shards: {
    index: number
    /** Where its document came from: a path or an artifact name. */
    source: string
    passed: boolean
    cancelled: boolean
  }[]
  /** Shards missing, cancelled, unfinished, inconsistent or of another plan: each fails the merge, named. */
  problems: SelectionProblem[]
}

/**
 * What a run was doing at the moment it stopped: a build, a listing or a case, with its command.
 * Set as each starts (and saved, so even a killed job's last document says it) and cleared as it
 * ends, so it is left only in the document of a run that was cancelled or timed out during it.
 */
export interface RunningStep {
  step: 'build' | 'listing' | 'case'
  /**
   * The case's id (`stress:stress_bucket_rounds`), for a case; under the nextest runner, the
   * label of the one nextest run that holds the selection's cases (`stress`, `fast-extra_check`).
   */
  case?: string
  /** The feature set being built or listed, or the case's. */
  features?: string
  /** The command line, as run (a listing runs one command per target, so has none). */
  argv?: string[]
  /** When it started (ISO 8601). */
  startedAt: string
}

/** The whole run. */
export interface TestRunResult {
  schemaVersion: 1
  tool: 'mace-actions test'
  mode: string
  startedAt: string
  durationMs: number
  workingDirectory: string
  passed: boolean
  /** True when the run was stopped (cancelled job, Ctrl-C) before it finished. */
  cancelled: boolean
  /**
   * True only in the run's last write, made once every phase ended (a cancelled run ends too).
   * A document that says false was cut short (the process killed, e.g. by SIGKILL or a job's
   * `timeout-minutes`, or out of disk) and is partial: it never passes, and a merge refuses it.
   */
  finished: boolean
  /** Where the plan came from: `file:<path>`, `inputs` or `discovered`. */
  planSource: string
  builds: BuildResult[]
  selectionProblems: SelectionProblem[]
  layers: LayerResult[]
  /** Reference names of failed items, in run order. */
  failures: string[]
  /** Ids of cases that passed only after a retry. */
  flaky: string[]
  /** Notices and warnings about the run (a default that did not fit the crate, an empty layer). */
  notes: RunNote[]
  /** Present when the run was one shard of a matrix: which share it ran. */
  shard?: ShardRun
  /** Runner nextest: whose policy each setting came from (the crate's config, given, ours). */
  nextest?: NextestPolicy
  /** Present on a document merged from shards: each shard, and what was wrong with any. */
  merged?: MergedShards
  /** What was running when the run stopped; absent when it finished (see `RunningStep`). */
  running?: RunningStep
  /** Directory holding this document, the logs and JUnit. */
  outputDir: string
}
