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
  /**
   * Run the named tests even where the profile's `default-filter` leaves them
   * out: a plan's cases are named on purpose (the fast layer keeps the crate's filter).
   */
  ignoreDefaultFilter?: boolean
}

/** Which configuration a list or run reads. */
export interface NextestConfigOptions {
  /** Profile name in the tool config. */
  profile: string
  /** `mace-actions:<path>`, from `writeToolConfig`. */
  toolConfig: string
}

/** How a run reports and paces. */
export interface NextestRunOptions extends NextestConfigOptions {
  /** `--test-threads`, when the user gave it (else the profile's). */
  threads?: number
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
    ...(sel.ignoreDefaultFilter === true ? ['--ignore-default-filter'] : []),
    ...(sel.partition !== undefined ? ['--partition', sel.partition] : [])
  ]
}

/** `cargo nextest list` of the selection, as JSON on stdout, read with the run's config when given. */
export function nextestListArgv(sel: NextestSelection, config?: NextestConfigOptions): string[] {
  return [
    'cargo',
    'nextest',
    'list',
    ...selectionArgs(sel),
    ...(config ? configArgs(config) : []),
    '--message-format',
    'json'
  ]
}

function configArgs(config: NextestConfigOptions): string[] {
  return ['--profile', config.profile, '--tool-config-file', config.toolConfig]
}

/** `cargo nextest run` of the selection. */
export function nextestRunArgv(sel: NextestSelection, options: NextestRunOptions): string[] {
  return [
    'cargo',
    'nextest',
    'run',
    ...selectionArgs(sel),
    ...configArgs(options),
    ...(options.threads !== undefined ? ['--test-threads', String(options.threads)] : []),
    '--no-fail-fast',
    // The run lists its selection first and judges an empty one itself (the
    // zero-test guard); a shard may hold none of a layer's tests.
    '--no-tests',
    'pass'
  ]
}

/**
 * The union of tests as a nextest filterset, one term per binary, e.g.
 * `(binary_id(=k::chaos) & (test(=chaos_a) | test(=chaos_b)))`: a shard's share
 * of a large suite stays well under the 128 KiB Linux allows one argument.
 */
export function filterset(tests: readonly ExactTest[]): string {
  const byBinary = new Map<string, string[]>()
  for (const t of tests) {
    const terms = byBinary.get(t.binaryId) ?? []
    byBinary.set(t.binaryId, [...terms, `test(${t.exact ? '=' : ''}${t.test})`])
  }
  return [...byBinary]
    .map(([binary, terms]) =>
      terms.length === 1
        ? `(binary_id(=${binary}) & ${terms[0]})`
        : `(binary_id(=${binary}) & (${terms.join(' | ')}))`
    )
    .join(' | ')
}
