/**
 * What each `mace-actions` command accepts, as data: the flags are the
 * action's inputs less those only a workflow has, and each flag's help is one
 * line below. Adding a flag: add the input to the action's `constants.ts`
 * (and action.yml), then its line here; `test/cli/` checks that every flag
 * has one.
 */
import { PERF_INPUTS } from '../actions/perf/constants.js'
import { SOAK_INPUTS } from '../actions/soak/constants.js'
import { TEST_INPUTS } from '../actions/test/constants.js'

/** How one flag is shown in `--help`: its value's name and what it does. */
export interface FlagHelp {
  value: string
  help: string
}

/** Flags of `mace-actions test`: the action's inputs, less those only a workflow has. */
export const TEST_FLAGS = TEST_INPUTS.filter(
  i => !['env', 'artifact-name', 'annotations'].includes(i)
)

/** Flags of `mace-actions perf`: the action's inputs, less those only a workflow has. */
export const PERF_FLAGS = PERF_INPUTS.filter(
  i =>
    ![
      'mode',
      'comment',
      'check-run',
      'token',
      'artifact-name',
      'name',
      'matrix',
      'tracking-issue',
      'issue-title',
      'issue-label'
    ].includes(i)
)

/** Flags of `mace-actions soak`: the action's inputs, less those only a workflow has. */
export const SOAK_FLAGS = SOAK_INPUTS.filter(
  i =>
    !['env', 'tracking-issue', 'issue-title', 'issue-label', 'token', 'artifact-name'].includes(i)
)

const flag = (value: string, help: string): FlagHelp => ({ value, help })

/** `--help` lines of `mace-actions test`. */
export const TEST_FLAG_HELP: Record<string, FlagHelp> = {
  mode: flag('fast|stress|chaos|all', 'layers to run (default fast)'),
  threads: flag('N', '--test-threads=N (default 8)'),
  features: flag(
    'LIST',
    "cargo features (env FEATURES; default failpoints when the crate declares it, else none; '' for none)"
  ),
  'all-features': flag(
    'true|false',
    'cargo --all-features: every feature of the packages tested (false)'
  ),
  'no-default-features': flag('true|false', 'cargo --no-default-features (false)'),
  'doc-tests': flag(
    'true|false',
    "the libraries' doc tests (cargo test --doc) in the fast layer (true)"
  ),
  'fast-timeout': flag('D', 'seconds or duration per fast command (env FAST_TIMEOUT, 300)'),
  'stress-timeout': flag('D', 'per stress case (env STRESS_TIMEOUT, 600)'),
  'chaos-timeout': flag('D', 'per chaos attempt (env CHAOS_TIMEOUT, 300)'),
  'build-timeout': flag('D', 'for cargo test --no-run (env BUILD_TIMEOUT, 1800)'),
  'chaos-attempts': flag('N', 'attempts per chaos case (env CHAOS_RETRY, 3)'),
  'kill-grace': flag('D', 'SIGTERM to SIGKILL grace on timeout (5)'),
  plan: flag('FILE', 'YAML test plan (env MACE_TEST_PLAN); else discovery'),
  'fast-targets': flag('LIST', 'inline plan: fast targets (lib, bin:NAME, test name)'),
  'stress-cases': flag('LIST', 'inline plan: target:test, comma-separated'),
  'chaos-cases': flag('LIST', 'inline plan: target:test, comma-separated'),
  'working-directory': flag('DIR', 'crate or workspace directory (default .)'),
  'cargo-args': flag('ARGS', 'extra cargo arguments, e.g. "--release --locked"'),
  'output-dir': flag('DIR', 'results, logs, JUnit (default target/mace-actions/test)'),
  runner: flag('cargo|nextest', 'cargo test (the reference) or cargo-nextest (default cargo)'),
  shard: flag('K/N', 'run the K-th of N shares of the selected tests (a matrix job)'),
  'archive-file': flag('FILE', 'a cargo-nextest archive to run instead of building (nextest)'),
  'nextest-profile': flag(
    'NAME',
    "profile of the crate's .config/nextest.toml (env NEXTEST_PROFILE; default ci if it has one, else default)"
  ),
  'shard-timings': flag(
    'FILE',
    'results.json or JUnit of an earlier run: shards dealt by its times (default: by count)'
  )
}

/** `--help` lines of `mace-actions perf`. */
export const PERF_FLAG_HELP: Record<string, FlagHelp> = {
  metric: flag(
    'walltime|instructions',
    'Criterion wall time, or instruction counts of a gungraun bench under Valgrind, one run per side (MACE_PERF_METRIC, walltime)'
  ),
  'base-ref': flag('REF', 'base to compare with (MACE_PERF_BASE_REF, origin/master)'),
  bench: flag('NAME', 'bench target (MACE_PERF_BENCH, perf)'),
  'bench-args': flag(
    'ARGS',
    'Criterion (or gungraun-runner) arguments (MACE_PERF_BENCH_ARGS, --noplot; instructions: none)'
  ),
  'compare-filters': flag(
    'A,B',
    "each filter its own run (MACE_PERF_COMPARE_FILTERS): a Criterion regex, also matching ids as written; '=ID' exactly ID; '\\,' a comma, or one per line; instructions: gungraun patterns, 'scan' = '*scan*'"
  ),
  'threshold-file': flag('FILE', 'KEY=VALUE defaults (scripts/perf_thresholds.env)'),
  'regress-pct': flag('P', 'per-case threshold % (MACE_PERF_REGRESS_PCT, 20; instructions: 1)'),
  'case-thresholds': flag('G=P', 'per-case thresholds by glob, e.g. "Get/*=10"'),
  'max-regress-cases': flag('N', 'allowed regressed cases (MACE_PERF_MAX_REGRESS_CASES, 0)'),
  'min-compare-cases': flag(
    'N',
    'fewer compared cases fail (MACE_PERF_MIN_COMPARE_CASES, 1; threshold gate 6)'
  ),
  'min-base-ns': flag(
    'NS',
    'skip faster base cases, walltime (MACE_PERF_MIN_BASE_NS, 0; threshold gate 10000)'
  ),
  gate: flag('noise-aware|threshold', 'verdict rule, walltime (MACE_PERF_GATE, noise-aware)'),
  rounds: flag('N', 'planned rounds per side (5; threshold gate 1)'),
  'remeasure-rounds': flag(
    'N',
    'most extra rounds for undecided cases, within time-budget (10; threshold gate 0)'
  ),
  pairing: flag(
    'duet|sequential',
    'base and head of each case at once on two pinned CPUs, or one side after the other (MACE_PERF_PAIRING, duet)'
  ),
  'split-budget': flag('true|false', "rounds share one run's Criterion budget (true)"),
  'time-budget': flag(
    'D|Nx',
    "measuring time every round after the first must fit (the first 3 when round 1 says they fit): a duration, or N × the reference's (MACE_PERF_TIME_BUDGET, 1.5x)"
  ),
  inconclusive: flag(
    'pass|fail',
    'a compare with a case it could not judge exits 0 (not judged) or fails (MACE_PERF_INCONCLUSIVE, pass)'
  ),
  'all-inconclusive': flag('pass|fail', 'the old name of --inconclusive'),
  'share-build': flag('true|false', 'share compiled dependencies of base and head (true)'),
  'build-timeout': flag('D', 'seconds or duration per build (1800)'),
  'run-timeout': flag('D', 'per Criterion process (1800)'),
  'working-directory': flag('DIR', 'crate directory (default .)'),
  'cargo-args': flag('ARGS', 'extra cargo arguments'),
  features: flag('LIST', 'cargo --features for the benches, base and head (none)'),
  'all-features': flag('true|false', 'cargo --all-features for the benches (false)'),
  'no-default-features': flag('true|false', 'cargo --no-default-features for the benches (false)'),
  'out-dir': flag('DIR', 'output directory (MACE_PERF_OUT_DIR, target/perf_gate)'),
  output: flag('FILE', 'snapshot file (MACE_PERF_OUTPUT, <out>/head_snapshot.json)'),
  'history-dir': flag('DIR', 'track: keep the history in this directory (MACE_HISTORY_DIR)'),
  'history-branch': flag(
    'BRANCH',
    'track: keep the history on this branch of the repository, pushed to origin (MACE_HISTORY_BRANCH)'
  ),
  'shift-pct': flag(
    'P',
    'track: smallest lasting shift reported, % (MACE_HISTORY_SHIFT_PCT, 5; instructions: 1)'
  ),
  'history-max-points': flag(
    'N',
    'track: points a series keeps in full, older months squashed (MACE_HISTORY_MAX_POINTS, 1000)'
  )
}

/** `--help` lines of `mace-actions soak`; the layers' and snapshots' flags are test's and perf's. */
export const SOAK_FLAG_HELP: Record<string, FlagHelp> = {
  duration: flag('D', 'soak length (SOAK_DURATION_SECS, 21600 = 6h)'),
  deadline: flag('D', 'hard stop for the loop, then the post-check (none)'),
  'max-cycles': flag('N', 'stop after N cycles (0 = no limit)'),
  threads: flag('N', '--test-threads=N (SOAK_THREADS, 8)'),
  'stress-timeout': flag('D', 'per stress case (SOAK_STRESS_TIMEOUT, 900)'),
  'chaos-timeout': flag('D', 'per chaos attempt (SOAK_CHAOS_TIMEOUT, 600)'),
  'fast-timeout': flag('D', 'post-check command (SOAK_FAST_TIMEOUT, 300)'),
  'build-timeout': flag('D', 'cargo builds (BUILD_TIMEOUT, 1800)'),
  'chaos-every': flag('N', 'chaos in every Nth cycle, 0 = never (SOAK_CHAOS_EVERY, 3)'),
  'perf-every': flag('N', 'perf snapshot every Nth cycle, 0 = never (SOAK_PERF_EVERY, 1)'),
  'perf-metric': flag(
    'walltime|instructions',
    'instructions: counts load cannot move, from the gungraun bench named by --bench (SOAK_PERF_METRIC, else MACE_PERF_METRIC, walltime)'
  ),
  'cycle-pause': flag('D', 'pause between cycles (SOAK_CYCLE_PAUSE_SECS, 5)'),
  'metrics-dir': flag('DIR', 'outputs (SOAK_METRICS_DIR, target/prod_soak)'),
  'fail-fast': flag('true|false', 'stop at the first failure, as the reference does (false)'),
  'post-check': flag('true|false', 'run the fast layer at the end (true)'),
  'drift-threshold': flag('P', 'fitted change over the soak that counts as drift, % (10)'),
  'drift-action': flag('warn|fail', 'what drift does to the verdict (warn)'),
  'drift-warmup': flag('N', 'perf cycles left out of the trend at the start (1)'),
  history: flag(
    'true|false',
    "add the night's p50/p95 to a history and compare with earlier nights (SOAK_HISTORY; on with --history-dir or --history-branch)"
  ),
  ...pick(PERF_FLAG_HELP, ['history-dir', 'history-branch', 'history-max-points']),
  ...pick(TEST_FLAG_HELP, [
    'features',
    'plan',
    'fast-targets',
    'stress-cases',
    'chaos-cases',
    'chaos-attempts',
    'kill-grace',
    'working-directory',
    'cargo-args',
    'runner'
  ]),
  ...pick(PERF_FLAG_HELP, ['bench', 'bench-args', 'threshold-file', 'run-timeout'])
}

function pick(from: Record<string, FlagHelp>, names: string[]): Record<string, FlagHelp> {
  return Object.fromEntries(names.map(n => [n, from[n]!]))
}

/** What the top-level `--help` says before the commands. */
export const PROGRAM_HELP = `The mace validation actions on the command line: the same core as
action-test, action-perf and action-soak, driven by flags, then the reference
environment variables, then the defaults. Durations and timeouts are seconds,
or take units: 90, 25m, 5h30m, "1h 30m".`

/** What every command's `--help` ends with. */
export const EXIT_CODES = 'Exit codes: 0 pass, 1 failures, 2 bad usage.'

/** The paragraph under `Usage: mace-actions test …`. */
export const TEST_HELP = `Runs layered cargo test (fast | stress | chaos | all) like prod_test.sh, with
timeouts that kill whole process trees, chaos retries and a zero-test guard.
\`mace-actions test all 8\` reads like \`prod_test.sh all 8\`. Settings: flag, then
the reference environment variable, then the default. \`mace-actions test merge
RESULTS.json|DIR…\` merges the results of a matrix's shards (--shard K/N; a
shard's output directory stands for its results.json) into one
verdict, summary and JUnit, written to --output-dir; every verdict is computed
again from the shards' tests, and a shard that did not finish (killed) or
contradicts its own tests fails the merge, named.`

/** The paragraph under `Usage: mace-actions perf …`. */
export const PERF_HELP = `Criterion perf snapshot, or base-vs-head compare with a regression gate, like
perf_gate.sh; or track: a snapshot of the commit appended to a history (a
directory, --history-dir, or a branch pushed to origin, --history-branch) whose
lasting shifts are found by change-point detection and written to
<out-dir>/track.json, with a chart page (index.html) in the history. Settings:
flag, then the reference environment variable, then the threshold file
(MACE_PERF_THRESHOLD_FILE), then the default. A value that starts with - takes
the = form: --bench-args="--noplot --measurement-time 2".`

/** The paragraph under `Usage: mace-actions soak …`. */
export const SOAK_HELP = `Loops the stress layer, the chaos layer every N cycles and a Criterion perf
snapshot every M cycles until the duration is spent, then runs the fast layer
as a post-check, like prod_soak.sh; a failure is recorded for its cycle and the
loop goes on. Writes perf_cycle_<n>.json, perf_cycles.csv, soak.json and
soak-summary.md (with a trend chart) to the metrics directory. Settings: flag,
then the reference environment variable, then the default. Durations are
seconds, or take units: 90, 25m, 5h30m, "1h 30m".`

/** Notes after the soak's flags. */
export const SOAK_NOTES = `Every command of cycle N sees MACE_SOAK_CYCLE=N.
Exit codes: 0 pass, 1 failures (or drift with --drift-action fail), 2 bad usage.`
