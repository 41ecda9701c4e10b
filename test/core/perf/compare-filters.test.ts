/**
 * Compare filters as users write them: ids copied from the report (parentheses,
 * commas), regexes, one per line or comma-separated, checked before anything
 * builds.
 */
import { describe, expect, it } from 'vitest'
import {
  checkCompareFilters,
  criterionFilter,
  noMatchMessage,
  splitCompareFilters
} from '../../../src/core/perf/compare-filters.js'
import { escapeRustRegex, rustRegexError } from '../../../src/core/perf/rust-regex.js'
import { InputError } from '../../../src/core/shared/errors.js'

/** Whether the Criterion filter for `filter` selects `id`, read as JS reads the same regex. */
function selects(filter: string, id: string): boolean {
  return new RegExp(criterionFilter(filter), 'u').test(id)
}

describe('splitCompareFilters', () => {
  it("splits the reference's comma-separated list, trimmed, empties dropped", () => {
    expect(splitCompareFilters(' Put, Get ,,Scan/.*')).toEqual(['Put', 'Get', 'Scan/.*'])
  })

  it('keeps \\, as a comma inside a filter, and \\\\ as an escaped backslash', () => {
    expect(splitCompareFilters('Put/K16\\, V16,Get')).toEqual(['Put/K16, V16', 'Get'])
    expect(splitCompareFilters('a\\\\b')).toEqual(['a\\\\b'])
  })

  it('takes one filter per line when the value has several lines, commas and all', () => {
    expect(splitCompareFilters('=Put/K16, V16/1\r\n\n  Get (threaded)  \n')).toEqual([
      '=Put/K16, V16/1',
      'Get (threaded)'
    ])
  })
})

describe('criterionFilter', () => {
  it('selects a literal id copied from the report, though (threaded) is a regex group', () => {
    expect(selects('Get/K16 (threaded)/1', 'Get/K16 (threaded)/1')).toBe(true)
    expect(selects('Get/K16 (threaded)/1', 'Get/K16 threaded/1')).toBe(true) // the regex too
    expect(selects('Get/K16 (threaded)/1', 'Put/K16 (threaded)/1')).toBe(false)
  })

  it('keeps a regex a regex, and a plain word a substring', () => {
    expect(criterionFilter('Put')).toBe('Put')
    expect(selects('^(Put|Get)/K16', 'Get/K16-V16/1')).toBe(true)
    expect(selects('^(Put|Get)/K16', 'Scan/K16-V16/1')).toBe(false)
  })

  it('selects exactly the id after =, nothing around it', () => {
    expect(criterionFilter('=Put/K16, V16/1+')).toBe('^Put/K16, V16/1\\+$')
    expect(selects('=Get/K16 (threaded)/1', 'Get/K16 (threaded)/1')).toBe(true)
    expect(selects('=Get/K16 (threaded)/1', 'Get/K16 (threaded)/10')).toBe(false)
  })

  it("escapes every character Rust's regex crate gives a meaning, and only those", () => {
    expect(escapeRustRegex('a.b+c*d?(e)|[f]{g}^h$#&-~\\ /:,')).toBe(
      'a\\.b\\+c\\*d\\?\\(e\\)\\|\\[f\\]\\{g\\}\\^h\\$\\#\\&\\-\\~\\\\ /:,'
    )
  })
})

describe('checkCompareFilters (before anything builds)', () => {
  const check = (filters: string[], regex = true): void =>
    checkCompareFilters(filters, "input 'compare-filters'", regex)

  it('accepts regexes in Rust syntax that JS would refuse or read otherwise', () => {
    expect(() =>
      check([
        '(?i)put',
        '\\pL+/\\d',
        '(?P<op>Get)/[[:alpha:]]+',
        '\\AGet\\z',
        'a{2,}',
        'Get/K16 (threaded)/1'
      ])
    ).not.toThrow()
  })

  it.each([
    ['Get/K16 (threaded/1', 'the group ( is never closed', 9],
    ['Get)', 'a ) closes no group', 4],
    ['*Get', 'the repetition * has nothing to repeat', 1],
    ['Get/[K16', 'the bracket class [ is never closed', 5],
    ['Get(?=x)', 'look-around ((?=, (?!, (?<=, (?<!) is not supported', 4],
    ['(Get)\\1', 'backreferences (\\1) are not supported', 6],
    ['Get\\q', '\\q is not an escape the crate knows', 4],
    ['a{3,1}', 'the repetition {3,1} counts down', 2]
  ])('names %s: %s, where, and how to give the id as written', (filter, reason, at) => {
    expect(rustRegexError(filter)?.reason).toBe(reason)
    expect(() => check(['Put', filter])).toThrow(InputError)
    expect(() => check(['Put', filter])).toThrow(
      `Invalid input 'compare-filters': '${filter}' is not a Criterion regex (Rust regex syntax): ${reason} (at character ${at}). Criterion would stop on it. To select a case by its id as written, write '=${filter}';`
    )
  })

  it('leaves a gungraun filter (instructions) unchecked as a regex, and refuses = with no id', () => {
    expect(() => check(['*::put::*'], false)).not.toThrow()
    expect(() => check(['= '])).toThrow(
      "Invalid input 'compare-filters': '= ' names no case. Write '=ID' with the whole case id after the =, e.g. '=Get/K16/1'."
    )
  })
})

describe('noMatchMessage', () => {
  it('says a filter is a Criterion regex and lists the cases that exist, the rest counted', () => {
    const cases = Array.from({ length: 42 }, (_, i) => `Put/${i}`)
    const text = noMatchMessage("input 'compare-filters'", 'Sacn', 'perf', cases)
    expect(text).toMatch(
      /^Invalid input 'compare-filters': 'Sacn' matches no case on the base or the head, so nothing would be measured for it\. A filter is a Criterion regex \(Rust regex syntax/
    )
    expect(text).toContain("The cases of bench 'perf' are: Put/0, Put/1,")
    expect(text).toMatch(/Put\/39, and 2 more\.$/)
  })
})
