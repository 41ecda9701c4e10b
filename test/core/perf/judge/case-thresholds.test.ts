/**
 * Per-case thresholds: `glob=pct` entries, matched against the full case id,
 * the last matching entry winning.
 */
import { describe, expect, it } from 'vitest'
import {
  parseCaseThresholds,
  thresholdFor,
  unmatchedPatterns
} from '../../../../src/core/perf/judge/case-thresholds.js'
import { InputError } from '../../../../src/core/shared/errors.js'

const INPUT = "input 'case-thresholds'"

describe('parseCaseThresholds', () => {
  it('reads one glob=pct per line', () => {
    expect(parseCaseThresholds('Get/*=10\nScan/**=15\n', INPUT)).toEqual([
      { pattern: 'Get/*', thresholdPct: 10 },
      { pattern: 'Scan/**', thresholdPct: 15 }
    ])
  })

  it('reads comma-separated entries, as a one-line environment variable holds them', () => {
    expect(parseCaseThresholds('Get/*=10, Scan/**=2.5', INPUT)).toEqual([
      { pattern: 'Get/*', thresholdPct: 10 },
      { pattern: 'Scan/**', thresholdPct: 2.5 }
    ])
  })

  it('keeps a comma inside braces as part of the glob', () => {
    expect(parseCaseThresholds('Put/{K16,K32}/*=12,Get/*=8', INPUT)).toEqual([
      { pattern: 'Put/{K16,K32}/*', thresholdPct: 12 },
      { pattern: 'Get/*', thresholdPct: 8 }
    ])
  })

  it('accepts spaces, a percent sign, blank lines and Windows line ends', () => {
    expect(parseCaseThresholds(' Get/* = 10% \r\n\r\n', INPUT)).toEqual([
      { pattern: 'Get/*', thresholdPct: 10 }
    ])
  })

  it('reads an empty input as no per-case thresholds', () => {
    expect(parseCaseThresholds('  \n', INPUT)).toEqual([])
  })

  it.each([
    ['no =', 'Get/*', "has no '='"],
    ['no glob', '=10', 'has no glob'],
    ['no percent', 'Get/*=', 'needs a percent'],
    ['a word for the percent', 'Get/*=ten', 'needs a percent'],
    ['a negative percent', 'Get/*=-5', 'needs a percent']
  ])('rejects an entry with %s, naming the input and the entry', (_what, entry, why) => {
    const parse = (): unknown => parseCaseThresholds(`Scan/**=15\n${entry}`, INPUT)
    expect(parse).toThrow(InputError)
    expect(parse).toThrow(`Invalid input 'case-thresholds': entry '${entry}' ${why}`)
    expect(parse).toThrow("e.g. 'Get/*=10'")
  })
})

describe('glob validation, before anything runs', () => {
  it.each([
    ['an unclosed [', 'Get/[K16=10', 'does not compile (Missing closing: "]"'],
    ['an unclosed {', 'Put/{K16,K32=10', 'does not compile (Missing closing: "}"'],
    ['an unopened )', 'Get/a)=10', 'does not compile (Missing opening: "("'],
    ['a trailing backslash', 'Get/K16\\=10', 'ends in a \\ that escapes nothing'],
    ['a leading /', '/Get/*=10', 'starts with /, which no case id does'],
    ['** inside a part', 'Get**=10', 'has ** inside a part, where it means *']
  ])(
    'refuses a glob with %s, naming the input, the glob and what is accepted',
    (_what, entry, why) => {
      const parse = (): unknown => parseCaseThresholds(`Scan/**=15\n${entry}`, INPUT)
      expect(parse).toThrow(InputError)
      const glob = entry.slice(0, entry.lastIndexOf('='))
      expect(parse).toThrow(
        `Invalid input 'case-thresholds': the glob '${glob}' of entry '${entry}' ${why}`
      )
      expect(parse).toThrow(
        'A glob matches the whole case id: * within a /-separated part, ** as a whole part'
      )
    }
  )

  it('accepts what the syntax offers: *, ** as a part, ?, sets, alternatives, negation and escapes', () => {
    const list = parseCaseThresholds(
      'Get/*=1\nScan/**=2\nPut/K1?=3\nDel/[a-c]=4\nOpen/{x,y}=5\n!Get/**=6\nfib\\(20\\)=7',
      INPUT
    )
    expect(list.map(e => e.pattern)).toEqual([
      'Get/*',
      'Scan/**',
      'Put/K1?',
      'Del/[a-c]',
      'Open/{x,y}',
      '!Get/**',
      'fib\\(20\\)'
    ])
    expect(thresholdFor('fib(20)', 9, list)).toBe(7)
  })
})

describe('unmatchedPatterns', () => {
  it('names each pattern that matched none of the compared cases, once, in the order given', () => {
    const list = parseCaseThresholds('Get/*=10\nSacn/**=15\nPut/K99/*=5\nSacn/**=20', INPUT)
    expect(unmatchedPatterns(list, ['Get/K16', 'Scan/K16/1', 'Put/K16/1'])).toEqual([
      'Sacn/**',
      'Put/K99/*'
    ])
  })

  it('works on instruction ids too, which hold no /', () => {
    const list = parseCaseThresholds('iai::store::scan::*=3,*::nothing::*=2', INPUT)
    expect(unmatchedPatterns(list, ['iai::store::scan::k16_v16_10'])).toEqual(['*::nothing::*'])
  })
})

describe('thresholdFor', () => {
  const list = parseCaseThresholds('Get/**=10\nGet/K16/*=25\nScan/*=15', INPUT)

  it('uses the global threshold when no pattern matches', () => {
    expect(thresholdFor('Put/K16-V16/1', 5, list)).toBe(5)
  })

  it('lets the last matching pattern win, so exceptions follow the general rule', () => {
    expect(thresholdFor('Get/K16/1', 5, list)).toBe(25)
    expect(thresholdFor('Get/K32/1', 5, list)).toBe(10)
  })

  it('keeps * within one part of the id', () => {
    expect(thresholdFor('Scan/range', 5, list)).toBe(15)
    expect(thresholdFor('Scan/range/100', 5, list)).toBe(5)
  })

  it('lets ** span any number of parts, the group itself included', () => {
    expect(thresholdFor('Get/a/b/c', 5, list)).toBe(10)
    expect(thresholdFor('Get', 5, list)).toBe(10)
  })

  it('matches the whole id, not a prefix', () => {
    const exact = parseCaseThresholds('Put/K16=30', INPUT)
    expect(thresholdFor('Put/K16', 5, exact)).toBe(30)
    expect(thresholdFor('Put/K16/1', 5, exact)).toBe(5)
  })

  it('matches parts that start with a dot, since ids are not files', () => {
    expect(thresholdFor('Scan/.5', 5, list)).toBe(15)
  })
})
