/**
 * The parts of a plan file that name what cargo runs: targets, stress and
 * chaos cases, and the cases of feature-gated groups. Each reader reports its
 * problems to the YamlReader and returns `undefined` for a value it rejected.
 */
import { isScalar, isSeq } from 'yaml'
import { splitCaseShorthand } from './case-shorthand.js'
import type { GroupCase, GroupCaseMode, PlanCase } from './plan.js'
import { isBlank, quote, type Field, type YamlReader } from '../shared/yaml-reader.js'

const CASE_KEYS = ['target', 'test']
const GROUP_CASE_KEYS = ['target', 'test', 'mode', 'exact']
const CASE_MODES: readonly GroupCaseMode[] = ['normal', 'crash']

/** What a target may be, for messages. */
export const TARGET_HINT = '`lib`, `bin:NAME` or an integration test name, without spaces'
const TEST_HINT = 'a libtest name such as tests::put_then_get, without spaces'
const CASE_HINT = '"target:test" or a mapping { target, test }'
/** What a group case may be, for messages. */
export const GROUP_CASE_HINT = '"target:test" or a mapping { target, test, mode, exact }'

/** A cargo target (`lib`, `bin:NAME`, a test name). */
export function readTarget(reader: YamlReader, field: Field): string | undefined {
  const text = reader.string(field, `a cargo target: ${TARGET_HINT}`)
  return text !== undefined && checkTarget(reader, field, text) ? text : undefined
}

/** Stress or chaos cases; a repeat would run twice and report one failure id twice. */
export function readCases(reader: YamlReader, field: Field): PlanCase[] {
  const seen = new FirstSeen(reader, 'case', 'list each case once per layer')
  return reader.list(field, `a list of cases, each ${CASE_HINT}`).flatMap(item => {
    const found = isScalar(item.node)
      ? readShorthand(reader, item, CASE_HINT)
      : readCaseMapping(reader, item, reader.map(item, CASE_KEYS, CASE_HINT))
    return found !== undefined && seen.isCase(item, found) ? [found] : []
  })
}

/** The cases of one group: at least one, each once. */
export function readGroupCases(reader: YamlReader, field: Field): GroupCase[] | undefined {
  const items = reader.list(field, `a list of cases, each ${GROUP_CASE_HINT}`)
  if (items.length === 0) {
    // An empty group would pass without running anything: the drift the gate exists to catch.
    if (isBlank(field) || (isSeq(field.node) && field.node.items.length === 0)) {
      reader.report(field, `a group needs at least one case; expected ${GROUP_CASE_HINT}`)
    }
    return undefined
  }
  const seen = new FirstSeen(reader, 'case', 'list each case once per group')
  return items.flatMap(item => {
    const found = readGroupCase(reader, item)
    return found !== undefined && seen.isCase(item, found) ? [found] : []
  })
}

function readGroupCase(reader: YamlReader, field: Field): GroupCase | undefined {
  if (isScalar(field.node)) {
    const found = readShorthand(reader, field, GROUP_CASE_HINT)
    return found && { ...found, mode: 'normal', exact: true }
  }
  const keys = reader.map(field, GROUP_CASE_KEYS, GROUP_CASE_HINT)
  const found = readCaseMapping(reader, field, keys)
  const modeField = keys?.get('mode')
  const mode = modeField === undefined ? 'normal' : readMode(reader, modeField)
  const exactField = keys?.get('exact')
  const exact = exactField === undefined ? true : reader.boolean(exactField, 'true or false')
  if (found === undefined || mode === undefined || exact === undefined) return undefined
  return { ...found, mode, exact }
}

function readMode(reader: YamlReader, field: Field): GroupCaseMode | undefined {
  const expected = '"normal" or "crash"'
  const text = reader.string(field, expected)
  if (text === undefined) return undefined
  const mode = CASE_MODES.find(name => name === text)
  if (mode === undefined)
    reader.report(field, `${quote(text)} is not a case mode; expected ${expected}`)
  return mode
}

function readShorthand(reader: YamlReader, field: Field, hint: string): PlanCase | undefined {
  const text = reader.string(field, hint)
  if (text === undefined) return undefined
  const found = splitCaseShorthand(text)
  if (found === undefined) {
    reader.report(
      field,
      `${quote(text)} is not "target:test": it needs a single ":" between a target and a ` +
        `test, both non-empty and without spaces (a "::" belongs to the test name); expected ${hint}`
    )
    return undefined
  }
  const targetOk = checkTarget(reader, field, found.target)
  return checkTest(reader, field, found.test) && targetOk ? found : undefined
}

function readCaseMapping(
  reader: YamlReader,
  field: Field,
  keys: Map<string, Field> | undefined
): PlanCase | undefined {
  if (keys === undefined) return undefined
  const targetField = reader.need(field, keys, 'target', `a cargo target: ${TARGET_HINT}`)
  const target = targetField && readTarget(reader, targetField)
  const testField = reader.need(field, keys, 'test', TEST_HINT)
  const test = testField && reader.string(testField, TEST_HINT)
  const testOk = testField !== undefined && test !== undefined && checkTest(reader, testField, test)
  return target !== undefined && testOk ? { target, test } : undefined
}

function checkTarget(reader: YamlReader, field: Field, target: string): boolean {
  const name = target.startsWith('bin:') ? target.slice(4) : target
  let problem: string | undefined
  if (/\s/.test(target)) problem = 'contains whitespace'
  else if (target.startsWith('-')) problem = 'starts with "-", which cargo would read as a flag'
  else if (name === '') problem = 'names no binary'
  else if (name.includes(':')) problem = 'contains ":", which no cargo target name has'
  if (problem === undefined) return true
  reader.report(field, `target ${quote(target)} ${problem}; expected ${TARGET_HINT}`)
  return false
}

function checkTest(reader: YamlReader, field: Field, test: string): boolean {
  let problem: string | undefined
  if (test === '') problem = 'is empty'
  else if (/\s/.test(test)) problem = 'contains whitespace'
  else if (test.startsWith('-')) problem = 'starts with "-", which libtest would read as a flag'
  if (problem === undefined) return true
  reader.report(field, `test ${quote(test)} ${problem}; expected ${TEST_HINT}`)
  return false
}

/** Remembers where each value was first given, so a repeat is reported with both lines. */
export class FirstSeen {
  private readonly seen = new Map<string, Field>()

  constructor(
    private readonly reader: YamlReader,
    private readonly what: string,
    private readonly fix: string
  ) {}

  /** Whether `key` is new; reports the repeat otherwise. */
  isNew(field: Field, key: string, shown: string): boolean {
    const first = this.seen.get(key)
    if (first === undefined) {
      this.seen.set(key, field)
      return true
    }
    this.reader.report(
      field,
      `${this.what} ${shown} is already listed at line ${first.line} (${first.path}); ${this.fix}`
    )
    return false
  }

  /** `isNew` for a case, keyed by target and test. */
  isCase(field: Field, found: PlanCase): boolean {
    return this.isNew(
      field,
      `${found.target}\0${found.test}`,
      quote(`${found.target}:${found.test}`)
    )
  }
}
