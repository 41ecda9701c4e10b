/**
 * The `cargo nextest run` command of one layer: the user's cargo arguments,
 * the features, the targets to build, which tests (`--run-ignored` and a
 * filterset of exact tests for cases), the layer's profile from our tool
 * config, the thread count and, for a shard, `--partition`.
 */
import { featureArgs } from '../cargo/build.js'

/** One exact test of a case selection, by its binary id. */
export interface ExactTest {
  binaryId: string
  test: string
  /** False for a group case in filter mode (libtest substring match). */
  exact: boolean
}

/** What to run. */
export interface NextestRunRequest {
  cargoArgs: string[]
  features: string
  /** cargo target selection (`--test basic`, `--lib`, `--bin x`). */
  targetArgs: string[]
  /** `default`: the targets' non-ignored tests (the fast layer); `all` with `tests`: exactly those. */
  runIgnored: 'default' | 'all'
  /** The cases' tests; empty for a whole-target selection. */
  tests: ExactTest[]
  profile: string
  /** `mace-actions:<path>`, from `writeToolConfig`. */
  toolConfig: string
  threads: number
  /** `slice:K/N`, `count:K/N` or `hash:K/N`, for one shard of the selection. */
  partition?: string
}

/** The argv of a layer's run. */
export function nextestRunArgv(req: NextestRunRequest): string[] {
  return [
    'cargo',
    'nextest',
    'run',
    ...req.cargoArgs,
    ...featureArgs(req.features),
    ...req.targetArgs,
    '--profile',
    req.profile,
    '--tool-config-file',
    req.toolConfig,
    '--test-threads',
    String(req.threads),
    '--no-fail-fast',
    '--run-ignored',
    req.runIgnored,
    ...(req.tests.length > 0 ? ['-E', filterset(req.tests)] : []),
    ...(req.partition !== undefined ? ['--partition', req.partition] : []),
    // A shard may hold none of a layer's tests; that is not a failure of the shard.
    ...(req.partition !== undefined ? ['--no-tests', 'pass'] : [])
  ]
}

/** The union of exact tests as a nextest filterset, e.g. `(binary_id(k::chaos) & test(=chaos_a))`. */
export function filterset(tests: readonly ExactTest[]): string {
  return tests
    .map(t => `(binary_id(=${t.binaryId}) & test(${t.exact ? '=' : ''}${t.test}))`)
    .join(' | ')
}
