/**
 * One run of one test binary (a cargo target), from libtest's `running N tests` to its
 * summary or its death, with the runs of the binary's own children nested inside it.
 *
 * Which lines are the target's. A test may re-run its own binary
 * (`current_exe() --exact child --nocapture`, the crash-test pattern); the child prints
 * libtest lines of its own into the same output. The rule:
 *
 * - a `running M tests` line inside a run opens a child run; a `test result:` line is
 *   the target's own summary only when its counts add up to the target's `running N`
 *   and the innermost open child announced a different count (else it closes that
 *   child); `failures:` is the target's only when no child run is open;
 * - a verdict counts only for a test of the selection (the `--list` of the command, per
 *   target, when it matches `running N`); a name outside it is a child's line. A child
 *   can name a selected test too (a test re-running itself): the target prints its own
 *   verdict after the child's, so the latest verdict wins, and the target's final
 *   `failures:` list, printed when every test is done, settles which tests failed;
 * - with one test thread libtest prints `test X ... ` before X runs, so until X's
 *   verdict every libtest line is X's child's.
 *
 * Which tests are running. With one thread, the announced one. With more, libtest names
 * a test only when it ends; it starts tests in name order (byte order) as threads free
 * up, so the first `threads` selected tests without a verdict are the ones running and
 * the rest have not started.
 */
import type { PanicReport } from './panic.js'

/** A libtest run of a child process, seen inside the target's run. */
interface ChildRun {
  announced: number
  /** The child's `test X ... ` whose verdict is still to come (a one-thread child). */
  awaiting?: string
}

/** A verdict word printed apart from its `test X ... `, and whose it is. */
export interface DetachedVerdict {
  name: string
  /** The target's own verdict, rather than a child's. */
  own: boolean
}

/** Tests of the interrupted target: running at the end, and not started. */
export interface Suspects {
  running: string[]
  notStarted: string[]
}

const NOT_TEST_THREADS = new Set(['<unnamed>', 'main'])

/** The state of one target's test binary run; see the module comment. */
export class TargetRun {
  /** The selected tests of this target, when the listing describes this run. */
  readonly selection: Map<string, boolean> | undefined
  /** Selected tests still without a verdict (ignored ones left out). */
  private readonly undecided = new Set<string>()
  private readonly children: ChildRun[] = []
  /** `test X ... ` lines of a multi-threaded run whose verdict word is on a later line. */
  private readonly torn: DetachedVerdict[] = []
  /** threads=1: the test announced by `test X ... `, verdict to come. */
  private awaiting: string | undefined
  /** A run of one test: its name once a line named it, until its verdict. */
  private single: string | undefined
  /** Tests libtest warned have been running for over 60 seconds. */
  readonly slow = new Set<string>()
  /** Non-test threads' panics not given to a test (yet). */
  readonly helpers: PanicReport[] = []
  /** The latest panic of each test's thread, until that test's verdict takes it. */
  readonly parked = new Map<string, PanicReport>()
  /** The process printed its first-panic note: later panics print no terminator. */
  noteSeen = false
  /** Backtraces are on: every panic ends with `stack backtrace:`. */
  backtraces = false
  /** A summary whose counts match `running N` came, though it may have been taken for a child's. */
  summarySeen = false
  /** The target's own `failures:` list, once read: which tests failed, authoritatively. */
  failureList: Set<string> | undefined

  /**
   * `announced`: N of `running N tests` (undefined when output starts mid-run);
   * `selection`: the target's selected tests (name → reported as ignored), if listed;
   * `threads`: libtest's test threads, when known.
   */
  constructor(
    readonly target: string | undefined,
    readonly announced: number | undefined,
    selection: Map<string, boolean> | undefined,
    private readonly threads: number | undefined
  ) {
    // A listing that does not add up to `running N` describes another selection.
    const matches = selection !== undefined && (announced ?? selection.size) === selection.size
    this.selection = matches ? selection : undefined
    for (const [name, ignored] of this.selection ?? []) if (!ignored) this.undecided.add(name)
  }

  /** True when libtest announces each test before running it (one test thread). */
  get sequential(): boolean {
    return this.threads === 1
  }

  /** Whether `name` can be a test of this run (always, without a listing). */
  selects(name: string): boolean {
    return this.selection === undefined || this.selection.has(name)
  }

  /** Whether a thread of this name is one of this run's tests. */
  isTestThread(thread: string): boolean {
    return this.selection === undefined ? !NOT_TEST_THREADS.has(thread) : this.selection.has(thread)
  }

  /** Whether a child's libtest run is open (its summary not seen). */
  get inChild(): boolean {
    return this.children.length > 0
  }

  /** The one test of the target running now, when that is certain. */
  sole(): string | undefined {
    if (this.sequential) return this.awaiting
    if (this.selection === undefined) return this.announced === 1 ? this.single : undefined
    return this.undecided.size === 1 ? this.undecided.values().next().value : undefined
  }

  /** `running M tests` inside the run: a child's run starts. */
  openChild(announced: number): void {
    this.children.push({ announced })
  }

  /** Whether a `test result:` line adding up to `total` is the target's own summary. */
  ownSummary(total: number | undefined): boolean {
    if (total !== undefined && total === this.announced) this.summarySeen = true
    if (this.sequential && this.awaiting !== undefined) return false
    const innermost = this.children[this.children.length - 1]
    if (this.announced === undefined || total === undefined) return innermost === undefined
    if (total !== this.announced) return false
    return innermost === undefined || innermost.announced !== total
  }

  /** A `test result:` that is not the target's closes the innermost child run. */
  closeChild(): void {
    this.children.pop()
  }

  /** Whether a `failures:` line is the target's own (no child run is printing). */
  ownFailures(): boolean {
    return !this.inChild && !(this.sequential && this.awaiting !== undefined)
  }

  /** Whose a complete `test X ... <verdict>` line is: true for the target's own. */
  ownVerdict(name: string, seen: boolean): boolean {
    if (this.sequential && this.awaiting !== undefined) {
      if (this.inChild) return false
      // A new test line while one waits: the waiting one's verdict was lost in output.
      this.awaiting = undefined
    }
    if (this.selection !== undefined) return this.selection.has(name)
    return !this.inChild || seen
  }

  /** `test X ... ` without its verdict: announced (one thread) or torn from its verdict. */
  started(name: string, seen: boolean): void {
    if (this.sequential) {
      const child = this.children[this.children.length - 1]
      if (this.awaiting !== undefined && child !== undefined) child.awaiting = name
      else this.awaiting = name
      return
    }
    const own = this.ownVerdict(name, seen)
    this.torn.push({ name, own })
    if (own && this.announced === 1) this.single = name
  }

  /** A verdict word alone (or glued after output): whose test it ends. */
  detachedVerdict(): DetachedVerdict | undefined {
    if (!this.sequential) return this.torn.pop()
    const child = [...this.children].reverse().find(run => run.awaiting !== undefined)
    if (child?.awaiting !== undefined) {
      const name = child.awaiting
      child.awaiting = undefined
      return { name, own: false }
    }
    const name = this.awaiting
    if (name === undefined) return undefined
    // The test's children are over when it ends.
    this.awaiting = undefined
    this.children.length = 0
    return { name, own: true }
  }

  /** Whether a line waits for its verdict word (so `ok` alone is one). */
  get waitingForVerdict(): boolean {
    return (
      this.torn.length > 0 || this.awaiting !== undefined || this.children.some(c => c.awaiting)
    )
  }

  /** A test of the target got its verdict. */
  decided(name: string): void {
    this.undecided.delete(name)
    this.slow.delete(name)
    if (this.awaiting === name) this.awaiting = undefined
    if (this.single === name) this.single = undefined
  }

  /** Tests to blame when the binary stopped early, and those that had not started. */
  suspects(): Suspects {
    const byName = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))
    const order = [...this.undecided].sort(byName)
    if (this.sequential || this.selection === undefined) {
      const torn = this.torn.filter(t => t.own).map(t => t.name)
      const current = this.awaiting === undefined ? [] : [this.awaiting]
      const running = new Set([...current, ...torn, ...this.slow])
      // One at a time, in name order: a selected test after the running one never started.
      const notStarted = this.sequential ? order.filter(name => !running.has(name)) : []
      return { running: [...running], notStarted }
    }
    const width = this.threads ?? order.length
    const running = new Set([...order.slice(0, width), ...this.slow])
    return { running: [...running], notStarted: order.filter(name => !running.has(name)) }
  }
}
