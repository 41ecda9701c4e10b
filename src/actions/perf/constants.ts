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
  'inconclusive',
  'all-inconclusive',
  'pairing',
  'build-timeout',
  'run-timeout',
  'working-directory',
  'cargo-args',
  'out-dir',
  'output',
  'comment',
  'check-run',
  'token',
  'artifact-name',
  'name',
  'matrix'
] as const

/** Outputs set by action-perf. */
export const PERF_OUTPUTS = [
  'result',
  'outcome',
  'regressed',
  'compared',
  'summary-json',
  'report-md',
  'pull-request'
] as const
