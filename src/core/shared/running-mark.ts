/**
 * What a long run is doing right now, kept so that when it is stopped (a cancelled job, one
 * that hit its `timeout-minutes`) its results can say what was running. A step is marked as it
 * starts and unmarked as it ends, unless the run was stopped during it: then the mark stays.
 */

/** One mark, of work described by `T`, stamped with when it started. */
export class RunningMark<T extends object> {
  private work: (T & { startedAt: string }) | undefined

  /** `signal` is the run's stop signal: once it is aborted, `end` keeps the mark. */
  constructor(private readonly signal?: AbortSignal) {}

  /** `work` starts now. */
  begin(work: T): void {
    this.work = { ...work, startedAt: new Date().toISOString() }
  }

  /** The work ended: the mark goes, unless the run was stopped during it. */
  end(): void {
    if (!this.signal?.aborted) this.work = undefined
  }

  /** What runs now, or was running when the run was stopped; undefined between steps. */
  get current(): (T & { startedAt: string }) | undefined {
    return this.work
  }
}
