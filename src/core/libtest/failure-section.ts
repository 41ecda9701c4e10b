/**
 * The end of a failed target's run as libtest prints it: `failures:`, a
 * `---- name stdout ----` block per failed test with its captured output, then
 * `failures:` again and the failed names indented four spaces
 * (`rust-lang/rust:library/test/src/formatters/pretty.rs`).
 */
import type { ReaderState } from './reader-state.js'

const BLOCK = /^---- (.+) (?:stdout|stderr) ----$/
const LISTED_FAILURE = /^ {4}(\S.*)$/

/**
 * Handles a line of the failure section (phases `blocks` and `list`): a block's header,
 * the second `failures:`, a listed name; false for anything else (a block's content).
 */
export function failureSection(state: ReaderState, line: string): boolean {
  const block = BLOCK.exec(line)
  const run = state.tests.run
  if (line === 'failures:' && state.previousBlank) {
    state.phase = 'list'
    state.block = undefined
    if (run !== undefined) run.failureList = new Set()
  } else if (block !== null && state.phase === 'blocks') {
    state.block = state.tests.record(block[1] ?? '')
  } else if (state.phase === 'list') {
    const listed = LISTED_FAILURE.exec(line)
    if (listed === null) return false
    run?.failureList?.add(listed[1] ?? '')
    state.tests.record(listed[1] ?? '')
  } else {
    return false
  }
  state.panics.stop()
  return true
}
