import { PERF_INPUTS } from '../actions/perf/constants.js'
import { TEST_INPUTS } from '../actions/test/constants.js'

/** Flags of `mace-actions test`: the action's inputs, less those only a workflow has. */
export const TEST_FLAGS = TEST_INPUTS.filter(
  i => !['env', 'artifact-name', 'annotations'].includes(i)
)

/** The help text. */
export function usage(): string {
  return `Usage: mace-actions test|perf|soak …  (mace-actions perf --help, soak --help)

Usage: mace-actions test [mode] [threads] [options]

Runs layered cargo test (fast | stress | chaos | all) like prod_test.sh, with
timeouts that kill whole process trees, chaos retries and a zero-test guard.
Settings: flag, then the reference environment variable, then the default.

  --mode fast|stress|chaos|all   layers to run (default fast)
  --threads N                    --test-threads=N (default 8)
  --features LIST                cargo features (env FEATURES, default failpoints)
  --fast-timeout S               seconds per fast command (env FAST_TIMEOUT, 300)
  --stress-timeout S             seconds per stress case (env STRESS_TIMEOUT, 600)
  --chaos-timeout S              seconds per chaos attempt (env CHAOS_TIMEOUT, 300)
  --build-timeout S              seconds for cargo test --no-run (env BUILD_TIMEOUT, 1800)
  --chaos-attempts N             attempts per chaos case (env CHAOS_RETRY, 3)
  --kill-grace S                 SIGTERM to SIGKILL grace on timeout (5)
  --plan FILE                    YAML test plan (env MACE_TEST_PLAN); else discovery
  --fast-targets LIST            inline plan: fast targets (lib, bin:NAME, test name)
  --stress-cases LIST            inline plan: target:test, comma-separated
  --chaos-cases LIST             inline plan: target:test, comma-separated
  --env KEY=VALUE                extra environment for every command (repeatable)
  --working-directory DIR        crate or workspace directory (default .)
  --cargo-args "ARGS"            extra cargo arguments, e.g. "--release --locked"
  --output-dir DIR               results, logs, JUnit (default target/mace-actions/test)
  -q, --quiet                    do not echo cargo output
Exit codes: 0 pass, 1 failures, 2 bad usage.
`
}

/** Flags of `mace-actions perf`: the action's inputs, less those only a workflow has. */
export const PERF_FLAGS = PERF_INPUTS.filter(
  i => !['mode', 'comment', 'check-run', 'token', 'artifact-name'].includes(i)
)

/** The help text of `mace-actions perf`. */
export function perfUsage(): string {
  return `Usage: mace-actions perf snapshot|compare [options]

Criterion perf snapshot, or base-vs-head compare with a regression gate, like
perf_gate.sh. Settings: flag, then the reference environment variable, then the
threshold file (MACE_PERF_THRESHOLD_FILE), then the default.

  --base-ref REF             base to compare with (MACE_PERF_BASE_REF, origin/master)
  --bench NAME               bench target (MACE_PERF_BENCH, perf)
  --bench-args "ARGS"        Criterion arguments (MACE_PERF_BENCH_ARGS, --noplot)
  --compare-filters A,B      each filter its own run (MACE_PERF_COMPARE_FILTERS)
  --threshold-file FILE      KEY=VALUE defaults (scripts/perf_thresholds.env)
  --regress-pct P            per-case threshold % (MACE_PERF_REGRESS_PCT, 20)
  --case-thresholds "G=P"    per-case thresholds by glob, e.g. "Get/*=10"
  --max-regress-cases N      allowed regressed cases (MACE_PERF_MAX_REGRESS_CASES, 0)
  --min-compare-cases N      fewer compared cases fail (MACE_PERF_MIN_COMPARE_CASES, 6)
  --min-base-ns NS           skip faster base cases (MACE_PERF_MIN_BASE_NS, 10000)
  --gate noise-aware|threshold   verdict rule (MACE_PERF_GATE, noise-aware)
  --rounds N                 interleaved rounds per side (5; threshold gate 1)
  --remeasure-rounds N       extra rounds for suspects (5; threshold gate 0)
  --split-budget true|false  rounds share one run's Criterion budget (true)
  --share-build true|false   share compiled dependencies of base and head (true)
  --build-timeout S, --run-timeout S   seconds per build / per Criterion process
  --working-directory DIR    crate directory (default .)
  --cargo-args "ARGS"        extra cargo arguments
  --out-dir DIR              output directory (MACE_PERF_OUT_DIR, target/perf_gate)
  --output FILE              snapshot file (MACE_PERF_OUTPUT, <out>/head_snapshot.json)
  -q, --quiet                do not echo Criterion output
Exit codes: 0 pass, 1 gate failed, 2 bad usage.
`
}
