/**
 * The `target:test` shorthand for a case, as inline inputs and flags take it.
 * libtest names hold `::`, so only a lone `:` separates target from test.
 */
import { describe, expect, it } from 'vitest'
import { splitCaseShorthand } from '../../../src/core/layers/case-shorthand.js'

describe('splitCaseShorthand', () => {
  it('splits an integration test case at its colon', () => {
    expect(splitCaseShorthand('stress:stress_bucket_rounds')).toEqual({
      target: 'stress',
      test: 'stress_bucket_rounds'
    })
  })

  it('keeps the module path of a test together', () => {
    expect(splitCaseShorthand('lib:tests::helper::put_then_get')).toEqual({
      target: 'lib',
      test: 'tests::helper::put_then_get'
    })
  })

  it('reads a leading bin: as part of the target', () => {
    expect(splitCaseShorthand('bin:mini_kv:tests::chaos_kill')).toEqual({
      target: 'bin:mini_kv',
      test: 'tests::chaos_kill'
    })
  })

  it('trims spaces around target and test', () => {
    expect(splitCaseShorthand(' chaos : chaos_crash_mid_put ')).toEqual({
      target: 'chaos',
      test: 'chaos_crash_mid_put'
    })
  })

  it.each([
    ['no colon', 'stress_bucket_rounds'],
    ['only a module path', 'tests::put'],
    ['an empty target', ':stress_a'],
    ['an empty test', 'stress:'],
    ['a binary without a test', 'bin:mini_kv'],
    ['an empty binary name', 'bin::tests::put'],
    ['a space inside the test', 'stress:stress a'],
    ['a space inside the target', 'my target:stress_a'],
    ['nothing', '']
  ])('rejects %s (%s)', (_why, text) => {
    expect(splitCaseShorthand(text)).toBeUndefined()
  })
})
