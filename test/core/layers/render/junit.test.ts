import { describe, expect, it } from 'vitest'
import { renderJUnit } from '../../../../src/core/layers/render/junit.js'
import type { TestRunResult } from '../../../../src/core/layers/results.js'
import {
  HOSTILE,
  allPass,
  attempt,
  buildFailure,
  command,
  fastFailure,
  flakyChaos,
  hostile,
  layer,
  manyFailures,
  run,
  selectionProblem,
  stressTimeout,
  test,
  testCase
} from './fixtures.js'
import { type XmlNode, findAll, readXml } from '../../../harness/xml-reader.js'

function parse(result: TestRunResult): XmlNode {
  const xml = renderJUnit(result)
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true)
  return readXml(xml)
}

function testcaseNamed(root: XmlNode, name: string): XmlNode {
  const found = findAll(root, 'testcase').find(t => t.attributes.name === name)
  if (found === undefined) throw new Error(`no testcase ${name}`)
  return found
}

// What a reporter computes from the elements must match the counts we declare.
function expectCountsToMatch(root: XmlNode): void {
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 }
  for (const suite of findAll(root, 'testsuite')) {
    const cases = suite.children.filter(c => c.name === 'testcase')
    const having = (tag: string): number =>
      cases.filter(c => c.children.some(child => child.name === tag)).length
    const counted = {
      tests: cases.length,
      failures: having('failure'),
      errors: having('error'),
      skipped: having('skipped')
    }
    for (const [key, value] of Object.entries(counted) as [keyof typeof total, number][]) {
      expect(suite.attributes[key], `${key} of ${suite.attributes.name}`).toBe(String(value))
      total[key] += value
    }
  }
  for (const [key, value] of Object.entries(total)) expect(root.attributes[key]).toBe(String(value))
}

describe('JUnit XML', () => {
  it('writes one suite per case, named by the reference id, with correct counts', () => {
    const root = parse(allPass())
    expect(root.name).toBe('testsuites')
    expect(findAll(root, 'testsuite').map(s => s.attributes.name)).toEqual([
      'fast',
      'stress:stress_bucket_rounds'
    ])
    expect(root.attributes).toMatchObject({ tests: '4', failures: '0', errors: '0', skipped: '1' })
    expect(root.attributes.time).toBe('3.000')
    expect(testcaseNamed(root, 'slow').children.map(c => c.name)).toEqual(['skipped'])
    expectCountsToMatch(root)
  })

  it('gives a failing test its file, line and panic, so reporters can annotate it', () => {
    const root = parse(fastFailure())
    const failing = testcaseNamed(root, 'put_then_get')
    expect(failing.attributes).toMatchObject({
      classname: 'basic',
      file: 'tests/basic.rs',
      line: '12'
    })
    const [failure] = failing.children
    expect(failure?.name).toBe('failure')
    expect(failure?.attributes).toEqual({
      message: 'assertion `left == right` failed',
      type: 'test failure'
    })
    expect(failure?.text).toContain("thread 'put_then_get' panicked at tests/basic.rs:12:5:")
    expectCountsToMatch(root)
  })

  it('reports a timed-out test as a failure of type timeout, timed by its command', () => {
    const root = parse(stressTimeout())
    const hung = testcaseNamed(root, 'stress_bucket_rounds')
    expect(hung.attributes.time).toBe('600.000')
    expect(hung.children[0]?.attributes).toEqual({
      message: 'did not finish within 600s',
      type: 'timeout'
    })
    expectCountsToMatch(root)
  })

  it('reports a flaky case as passed with a flakyFailure for the failed attempt, as nextest does', () => {
    const root = parse(flakyChaos())
    const flaky = testcaseNamed(root, 'chaos_recover')
    expect(flaky.children.map(c => c.name)).toEqual(['flakyFailure'])
    expect(flaky.children[0]?.attributes.message).toBe('attempt 1: recovered state differs')
    expect(findAll(flaky, 'stackTrace')[0]?.text).toBe('recovered state differs')
    expect(root.attributes.failures).toBe('0')
    expectCountsToMatch(root)
  })

  it('reports a case that failed every retry with its failure and a rerunFailure per earlier attempt', () => {
    const failed = (n: number): ReturnType<typeof attempt> =>
      attempt(n, [test('chaos_x', { outcome: 'failed', message: `boom ${n}` })])
    const chaos = testCase('chaos:chaos_x', [failed(1), failed(2), failed(3)], { maxAttempts: 3 })
    const root = parse(run([layer('chaos', [chaos])]))
    const testcase = testcaseNamed(root, 'chaos_x')
    expect(testcase.children.map(c => `${c.name}: ${c.attributes.message}`)).toEqual([
      'failure: boom 3',
      'rerunFailure: attempt 1: boom 1',
      'rerunFailure: attempt 2: boom 2'
    ])
    expectCountsToMatch(root)
  })

  it('keeps a build failure and the case it stopped as errors, placed at the compiler location', () => {
    const root = parse(buildFailure())
    const build = testcaseNamed(root, 'build (features failpoints)')
    expect(build.attributes).toMatchObject({
      classname: 'build',
      file: 'tests/basic.rs',
      line: '3'
    })
    expect(build.children[0]?.attributes).toEqual({
      message: 'cannot find value `x` in this scope',
      type: 'build'
    })
    expect(build.children[0]?.text).toContain('error[E0425]')
    expect(testcaseNamed(root, 'fast').children[0]?.attributes.type).toBe('not run')
    expect(root.attributes).toMatchObject({ tests: '2', errors: '2' })
    expectCountsToMatch(root)
  })

  it('keeps a selection that listed no test as a failed testcase', () => {
    const root = parse(selectionProblem())
    const problem = testcaseNamed(root, 'fast:extra_check:crash_recovery')
    expect(problem.children[0]?.attributes.type).toBe('selection')
    expect(root.attributes.failures).toBe('1')
    expectCountsToMatch(root)
  })

  it('keeps a crash before any test as an error naming the signal and the log', () => {
    const crash = attempt(1, [], {
      passed: false,
      error: "process didn't exit successfully (signal: 11, SIGSEGV)",
      command: command({ exitCode: null, signal: 'SIGSEGV', logPath: 'target/mace-test/c.log' })
    })
    const chaos = testCase('chaos:chaos_crash', [crash], { status: 'error', test: 'chaos_crash' })
    const root = parse(run([layer('chaos', [chaos])]))
    const testcase = testcaseNamed(root, 'chaos_crash')
    expect(testcase.children[0]?.name).toBe('error')
    expect(testcase.children[0]?.attributes.type).toBe('crash')
    expect(testcase.children[0]?.text).toContain('log: target/mace-test/c.log')
    expectCountsToMatch(root)
  })

  it('escapes hostile names and output, and replaces characters XML 1.0 forbids', () => {
    const xml = renderJUnit(hostile())
    expect(xml).not.toContain('<script>')
    expect(xml).not.toContain(']]>')
    const root = readXml(xml)
    const cleaned = HOSTILE.replace('\u0001\u001b[31m', '\uFFFD').replace('\u001b[0m', '')
    const testcase = testcaseNamed(root, cleaned)
    expect(testcase.children[0]?.text).toContain(cleaned)
    expect(findAll(root, 'testsuite')[1]?.attributes.name).toBe(`stress:${cleaned}`)
    expectCountsToMatch(root)
  })

  it('replaces lone surrogates and U+FFFF, which no XML parser accepts', () => {
    const odd = test('odd\uD800\uFFFF', { outcome: 'failed', message: 'x\u0000y\uDC00' })
    const xml = renderJUnit(run([layer('fast', [testCase('fast', [attempt(1, [odd])])])]))
    expect(testcaseNamed(readXml(xml), 'odd\uFFFD\uFFFD').children[0]?.attributes.message).toBe(
      'x\uFFFDy\uFFFD'
    )
  })

  it('gives each testcase the time its runner measured, and none where no time was measured', () => {
    const untimed = 'libtest on stable Rust prints no per-test time when tests run in parallel'
    const fast = testCase('fast', [
      attempt(1, [test('timed', { durationMs: 1234 }), test('in_parallel')], { untimed }),
      attempt(2, [test('timed', { durationMs: 1234 }), test('in_parallel')], { untimed })
    ])
    const root = parse(run([layer('fast', [fast])]))
    expect(testcaseNamed(root, 'timed').attributes.time).toBe('1.234')
    // Not 0.000: a reader must not take the test for instant.
    expect(testcaseNamed(root, 'in_parallel').attributes.time).toBeUndefined()
    const properties = findAll(root, 'property').map(p => [p.attributes.name, p.attributes.value])
    expect(properties).toContainEqual(['untimed', untimed])
  })

  it('keeps counts right over many failures', () => {
    const root = parse(manyFailures(25))
    expect(root.attributes).toMatchObject({ tests: '25', failures: '25' })
    expectCountsToMatch(root)
  })
})

describe('the strict XML reader these tests rely on', () => {
  it.each([
    ['a raw ampersand', '<a>&</a>'],
    ['a raw ]]> in text', '<a>]]></a>'],
    ['crossed tags', '<a><b></a></b>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['a control character', '<a>\u0001</a>'],
    ['an unclosed element', '<a><b/>'],
    ['two roots', '<a/><b/>']
  ])('rejects %s', (_, xml) => {
    expect(() => readXml(xml)).toThrow()
  })
})
