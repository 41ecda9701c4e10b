/**
 * The one results document of a test run: layers → cases → attempts → command
 * and per-test outcomes. Every rendering (console, job summary, annotations,
 * JUnit, outputs) reads this and nothing else.
 */

/** Layers in the order `all` runs them. */
export const LAYERS = ['fast', 'stress', 'chaos'] as const
export type LayerName = (typeof LAYERS)[number]

/** A source position inside the repository (path relative to the repo root). */
export interface SourceLocation {
  file: string
  line: number
  column?: number
}

/** What became of one libtest test inside one command. */
export type TestOutcome = 'passed' | 'failed' | 'ignored' | 'timed-out' | 'crashed'

/** One libtest test as seen in the output of one command. */
export interface TestResult {
  /** Cargo target the test belongs to (`basic`, `lib`, ...), when known. */
  target?: string
  /** libtest name, e.g. `tests::put_then_get`. */
  name: string
  outcome: TestOutcome
  /** Panic message (first lines), or why the test did not finish. */
  message?: string
  /** Where the test panicked, if inside the repository. */
  location?: SourceLocation
  /** Captured output of the failure block, bounded in size. */
  output?: string
}

/** How one process ended. */
export interface CommandResult {
  /** argv as run, for the user to copy. */
  argv: string[]
  /** Working directory of the command. */
  cwd: string
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  timeoutSeconds: number
  durationMs: number
  /** Full output of the command on disk. */
  logPath: string
  /** True when output was longer than the per-command echo cap. */
  outputTruncated?: boolean
  /** Processes of the command still alive after it ended, which were killed. */
  leakedProcesses?: number
}

/** One run of a case: one command. */
export interface Attempt {
  number: number
  passed: boolean
  command: CommandResult
  tests: TestResult[]
  /** Set when the command failed without a test to blame (build error, crash before tests). */
  error?: string
}

/** Verdict of a case across its attempts. */
export type CaseStatus = 'passed' | 'flaky' | 'failed' | 'timed-out' | 'error'

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
}

/** One layer of the run. */
export interface LayerResult {
  name: LayerName
  status: 'passed' | 'failed' | 'skipped'
  durationMs: number
  cases: CaseResult[]
}

/** A compiler diagnostic from the build step. */
export interface BuildDiagnostic {
  level: 'error' | 'warning'
  message: string
  rendered?: string
  location?: SourceLocation
}

/** The build-first step: `cargo test --no-run` for one feature set. */
export interface BuildResult {
  features: string
  passed: boolean
  command: CommandResult
  diagnostics: BuildDiagnostic[]
}

/** A selection that lists no test (or not exactly one for an exact case). */
export interface SelectionProblem {
  /** Name of the item in the reference's `failures` list. */
  id: string
  message: string
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
  /** Where the plan came from: `file:<path>`, `inputs` or `discovered`. */
  planSource: string
  builds: BuildResult[]
  selectionProblems: SelectionProblem[]
  layers: LayerResult[]
  /** Reference names of failed items, in run order. */
  failures: string[]
  /** Ids of cases that passed only after a retry. */
  flaky: string[]
  /** Directory holding this document, the logs and JUnit. */
  outputDir: string
}
