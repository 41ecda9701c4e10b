/**
 * Durations as people write them in a workflow or on the command line: plain
 * seconds (the reference scripts' unit) or with units, compound or not; a
 * typo is refused, never read as some other duration.
 */
import { describe, expect, it } from 'vitest'
import { parseDuration } from '../../../src/core/shared/duration.js'
import { settingReader, type SettingReader } from '../../../src/core/shared/setting-reader.js'

describe('parseDuration', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['25m', 1500],
    ['90m', 5400],
    ['2h', 7200],
    ['1.5h', 5400],
    ['5H', 18000],
    ['5h30m', 19800],
    ['1h 30m', 5400],
    ['1h30m15s', 5415],
    ['2 hours 30 minutes', 9000],
    ['1d', 86400],
    [' 25 m ', 1500],
    ['0', 0],
    ['1.4s', 1],
    ['0.5m', 30]
  ])('reads %j as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds)
  })

  it.each([
    '',
    'abc',
    '5x',
    '-5',
    '-5m',
    '1e3',
    '1h30',
    '90 30',
    '5m!',
    'abc 5m',
    '3.5.5h',
    '1h,30m'
  ])('refuses %j', text => {
    expect(parseDuration(text)).toBeUndefined()
  })
})

describe('a duration setting', () => {
  const reader = (value: string): SettingReader =>
    settingReader({ get: () => value, describe: n => `input '${n}'` }, {}, {})

  it('is read in seconds, within its bounds', () => {
    expect(reader('5h30m').duration('duration', 1, 1, 86400)).toBe(19800)
    expect(reader('').duration('duration', 42, 1, 86400)).toBe(42)
  })

  it('names the input, the bad value and examples of what is accepted', () => {
    expect(() => reader('5 hourz').duration('stress-timeout', 900, 1, 86400)).toThrow(
      "Invalid input 'stress-timeout': '5 hourz'. Expected seconds (1 to 86400) or a duration with units, e.g. '90', '25m', '5h30m' or '1h 30m'."
    )
    expect(() => reader('2d').duration('stress-timeout', 900, 1, 86400)).toThrow(
      /^Invalid input 'stress-timeout': '2d'\. Expected seconds \(1 to 86400\)/
    )
  })
})
