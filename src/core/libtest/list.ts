/**
 * Reading `cargo test … -- --list`, and naming the cargo target behind each
 * `Running …` header (the libtest parser shares this, so both agree on names).
 */

/** One test, as `--list` names it. */
export interface ListedTest {
  /** Cargo target selector (`basic`, `lib`, `bin:foo`, `doc:lib`), when a header named it. */
  target?: string
  name: string
  /** libtest reports it as ignored in the command at hand (it runs only with `--ignored`). */
  ignored?: boolean
}

/** The `N tests, M benchmarks` summary of one test binary. */
export interface ListCount {
  target?: string
  tests: number
  benchmarks: number
}

// Cargo right-aligns its status words, so a header always starts with spaces; requiring
// them keeps a test that prints "Running …" from switching targets.
const RUNNING = /^\s+Running (unittests )?(.+?)(?: \(([^()]+)\))?$/
// `Doc-tests NAME`: NAME is the library's crate name (`beta_kv` for package `beta-kv`).
const DOC_TESTS = /^\s+Doc-tests (\S+)$/
const LISTED = /^(.+): (test|benchmark)$/
const LIST_COUNT = /^(\d+) tests?, (\d+) benchmarks?$/
// Built from a variable so no control character sits in a regex literal.
const ESC = String.fromCharCode(27)
const COLOUR = new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, 'g')
// Cargo's metadata hash; the shorter fallback covers hand-built names.
const HASH_SUFFIX = /-[0-9a-f]{16}$|-[0-9a-f]+$/

/** `line` without terminal colour codes, which cargo adds with `CARGO_TERM_COLOR=always`. */
export function withoutColour(line: string): string {
  return line.includes(ESC) ? line.replace(COLOUR, '') : line
}

/**
 * The selector of a library's doc tests, which `cargo test --doc` runs under a
 * `Doc-tests NAME` header: `doc:lib`, a name no integration test can have (cargo
 * target names hold no `:`), as `bin:NAME` is a binary's.
 */
export const DOC_TESTS_TARGET = 'doc:lib'

/** Whether a target id (`doc:lib`, or a workspace's `PKG/doc:lib`) is a library's doc tests. */
export function isDocTestsTarget(target: string | undefined): boolean {
  return target === DOC_TESTS_TARGET || target?.endsWith(`/${DOC_TESTS_TARGET}`) === true
}

/**
 * Which target an executable is, when the run's builds know it (see
 * `cargo/target-ids.ts`): the id that tells two packages' same-named targets apart.
 * With `kind` `doc-tests`, `name` is the crate name of a `Doc-tests NAME` header.
 */
export type TargetOfExecutable = (name: string, kind?: 'doc-tests') => string | undefined

/**
 * Target selector named by a cargo `Running …` or `Doc-tests …` header line, or
 * undefined when the line is not one. `tests/basic.rs (…/deps/basic-<hash>)` → `basic`,
 * `unittests src/lib.rs (…)` → `lib`, `unittests src/main.rs (…/deps/foo-<hash>)` → `bin:foo`.
 * With `named`, an executable the run built is named as the build named it (`alpha/lib`).
 */
export function targetFromHeader(coloured: string, named?: TargetOfExecutable): string | undefined {
  const line = withoutColour(coloured)
  const doc = DOC_TESTS.exec(line)
  if (doc !== null) return named?.(doc[1] ?? '', 'doc-tests') ?? DOC_TESTS_TARGET
  const match = RUNNING.exec(line)
  if (match === null) return undefined
  const unittests = match[1] !== undefined
  const source = normalise(match[2] ?? '')
  // Cargo before 1.55 printed only the executable: `Running target/debug/deps/basic-<hash>`.
  const executable = match[3] === undefined ? source : normalise(match[3])
  if (match[3] === undefined && !executable.includes('/deps/')) return undefined
  const built = named?.(executable)
  if (built !== undefined) return built
  const name = targetName(source, executable)
  if (source.startsWith('examples/') || source.includes('/examples/')) return `example:${name}`
  if (source.startsWith('benches/')) return `bench:${name}`
  if (!unittests) return name
  return /(^|\/)src\/(main\.rs|bin\/)/.test(source) ? `bin:${name}` : 'lib'
}

/** Every test of `--list` output (benchmarks left out), with the target it belongs to. */
export function parseTestList(text: string, named?: TargetOfExecutable): ListedTest[] {
  const tests: ListedTest[] = []
  let target: string | undefined
  for (const line of text.split(/\r?\n/)) {
    const header = targetFromHeader(line, named)
    if (header !== undefined) {
      target = header
      continue
    }
    const match = LISTED.exec(line)
    if (match === null || match[2] !== 'test') continue
    const name = match[1] ?? ''
    tests.push(target === undefined ? { name } : { target, name })
  }
  return tests
}

/** Every `N tests, M benchmarks` summary of `--list` output, one per test binary. */
export function parseListCounts(text: string): ListCount[] {
  const counts: ListCount[] = []
  let target: string | undefined
  for (const line of text.split(/\r?\n/)) {
    target = targetFromHeader(line) ?? target
    const match = LIST_COUNT.exec(line)
    if (match === null) continue
    const count = { tests: Number(match[1]), benchmarks: Number(match[2]) }
    counts.push(target === undefined ? count : { target, ...count })
  }
  return counts
}

function normalise(path: string): string {
  return path.trim().replace(/\\/g, '/')
}

/**
 * Cargo names the executable after the target with `-` turned into `_`; the source file
 * stem restores the hyphen when it is the same name (`tests/my-case.rs` → `my-case`).
 */
function targetName(source: string, executable: string): string {
  const stem = (path: string): string =>
    (path.split('/').pop() ?? path).replace(/\.exe$/, '').replace(/\.rs$/, '')
  const executableName = stem(executable).replace(HASH_SUFFIX, '')
  const sourceName = stem(source)
  return sourceName.replace(/-/g, '_') === executableName ? sourceName : executableName
}
