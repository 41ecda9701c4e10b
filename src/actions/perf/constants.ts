/** Names of action-perf's inputs and outputs, defined once (tests check them against action.yml). */
export const PERF_INPUTS = [
  'mode',
  'metric',
  'base-ref',
  'bench',
  'bench-args',
  'compare-filters',
  'threshold-file',
  'regress-pct',
  'case-thresholds',
  'max-regress-cases',
  'min-compare-cases',
  'min-base-ns',
  'gate',
  'rounds',
  'remeasure-rounds',
  'share-build',
  'split-budget',
  'time-budget',
  'all-inconclusive',
  'build-timeout',
  'run-timeout',
  'working-directory',
  'cargo-args',
  'out-dir',
  'output',
  'comment',
  'check-run',
  'token',
  'artifact-name'
] as const

/** Outputs set by action-perf. */
export const PERF_OUTPUTS = [
  'result',
  'regressed',
  'compared',
  'summary-json',
  'report-md',
  'pull-request'
] as const
