/**
 * Giving a non-test thread's panic to the test it killed. A test whose own panic is a
 * `join().unwrap()` of `Any { .. }` was failed by a thread it spawned, whose panic came
 * before. When several such panics are unclaimed, the one in the same file nearest above
 * the test's unwrap (helpers are usually closures inside the test) is taken; when that
 * still leaves a choice between different panics, none is given: a panic is never pinned
 * on a guess, and stays a panic of the case.
 */
import { isJoinOfPanickedThread, type PanicReport } from './panic.js'
import type { TestRecord } from './record.js'

/**
 * Gives each failed test in `failed` that only joined a panicked thread the helper panic
 * that explains it, taken out of `helpers` (which keeps the unclaimed ones).
 */
export function assignRootCauses(failed: TestRecord[], helpers: PanicReport[]): void {
  const wanting = failed
    .filter(record => record.rootCause === undefined && record.panic !== undefined)
    .filter(record => isJoinOfPanickedThread(record.panic as PanicReport))
    .sort((a, b) => (a.panic?.seq ?? 0) - (b.panic?.seq ?? 0))
  for (const record of wanting) {
    const own = record.panic as PanicReport
    const chosen = pick(
      helpers.filter(helper => helper.seq < own.seq),
      own
    )
    if (chosen === undefined) continue
    record.rootCause = chosen
    helpers.splice(helpers.indexOf(chosen), 1)
  }
}

function pick(candidates: PanicReport[], own: PanicReport): PanicReport | undefined {
  if (candidates.length <= 1) return candidates[0]
  const file = own.location?.file
  const line = own.location?.line ?? 0
  const above = candidates.filter(c => c.location?.file === file && (c.location?.line ?? 0) <= line)
  if (file === undefined || above.length === 0) return onlyOne(candidates)
  const nearest = Math.max(...above.map(c => c.location?.line ?? 0))
  return onlyOne(above.filter(c => c.location?.line === nearest))
}

/** The first panic when all say the same thing at the same place, else none. */
function onlyOne(panics: PanicReport[]): PanicReport | undefined {
  const [first] = panics
  if (first === undefined) return undefined
  const key = (p: PanicReport): string =>
    JSON.stringify([p.lines, p.location?.file, p.location?.line, p.location?.column])
  return panics.every(p => key(p) === key(first)) ? first : undefined
}
