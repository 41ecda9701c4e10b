/** Names of action-test's inputs and outputs, defined once (tests check them against action.yml). */
export const TEST_INPUTS = [
  'mode',
  'threads',
  'features',
  'all-features',
  'no-default-features',
  'doc-tests',
  'fast-timeout',
  'stress-timeout',
  'chaos-timeout',
  'build-timeout',
  'chaos-attempts',
  'kill-grace',
  'plan',
  'fast-targets',
  'stress-cases',
  'chaos-cases',
  'env',
  'working-directory',
  'cargo-args',
  'output-dir',
  'runner',
  'shard',
  'archive-file',
  'nextest-profile',
  'shard-timings',
  'artifact-name',
  'annotations'
] as const

/** Outputs set by action-test. */
export const TEST_OUTPUTS = [
  'result',
  'failed',
  'failures',
  'flaky',
  'results-path',
  'junit-path'
] as const
