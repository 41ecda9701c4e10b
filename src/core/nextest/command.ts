/**
 * The cargo-nextest command lines of one selection: which binaries (cargo
 * target selection, or a prebuilt archive), which tests (`--run-ignored` and a
 * filterset of exact tests), which share (`--partition`). The same selection
 * is listed first (what the run should report) and then run.
 */
import { featureArgs } from '../cargo/build.js'

/** One test of a case selection, by its binary id. */
export interface ExactTest {
  binaryId: string
  test: string
  /** False for a group case in filter mode (libtest's substring match). */
  exact: boolean
}

/** A prebuilt nextest archive (`cargo nextest archive`) and where its workspace is now. */
export interface NextestArchive {
  file: string
  /** The crate's directory here (`--workspace-remap`). */
  workspace: string
}

/** What to list or run. */
export interface NextestSelection {
  cargoArgs: string[]
  features: string
  /** cargo target selection (`--test basic`, `--lib`, `--bin x`); unused with an archive. */
  targetArgs: string[]
  /** Run the archive's binaries instead of building (features are the archive's). */
  archive?: NextestArchive
  /** `default`: the non-ignored tests; `only`/`all`: with the ignored ones. */
  runIgnored: 'default' | 'only' | 'all'
  /** Exact tests; empty selects every test the other options allow. */
  tests: ExactTest[]
  /** `slice:K/N` or `count:K/N`: one shard's share, after every other filter. */
  partition?: string
}

/** How a run reports and paces. */
export interface NextestRunOptions {
  /** Profile name in the tool config. */
  profile: string
  /** `mace-actions:<path>`, from `writeToolConfig`. */
  toolConfig: string
  threads: number
}

/** The options that say what is selected, shared by `list` and `run`. */
export function selectionArgs(sel: NextestSelection): string[] {
  const binaries = sel.archive
    ? ['--archive-file', sel.archive.file, '--workspace-remap', sel.archive.workspace]
    : [...sel.cargoArgs, ...featureArgs(sel.features), ...sel.targetArgs]
  return [
    ...binaries,
    '--run-ignored',
    sel.runIgnored,
    ...(sel.tests.length > 0 ? ['-E', filterset(sel.tests)] : []),
    ...(sel.partition !== undefined ? ['--partition', sel.partition] : [])
  ]
}

/** `cargo nextest list` of the selection, as JSON on stdout. */
export function nextestListArgv(sel: NextestSelection): string[] {
  return ['cargo', 'nextest', 'list', ...selectionArgs(sel), '--message-format', 'json']
}

/** `cargo nextest run` of the selection. */
export function nextestRunArgv(sel: NextestSelection, options: NextestRunOptions): string[] {
  return [
    'cargo',
    'nextest',
    'run',
    ...selectionArgs(sel),
    '--profile',
    options.profile,
    '--tool-config-file',
    options.toolConfig,
    '--test-threads',
    String(options.threads),
    '--no-fail-fast',
    // The run lists its selection first and judges an empty one itself (the
    // zero-test guard); a shard may hold none of a layer's tests.
    '--no-tests',
    'pass'
  ]
}

/** The union of tests as a nextest filterset, e.g. `(binary_id(=k::chaos) & test(=chaos_a))`. */
export function filterset(tests: readonly ExactTest[]): string {
  return tests
    .map(t => `(binary_id(=${t.binaryId}) & test(${t.exact ? '=' : ''}${t.test}))`)
    .join(' | ')
}
