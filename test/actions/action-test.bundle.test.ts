/**
 * dist/test/index.js run as the GitHub runner runs it (Node 24, INPUT_*,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, an event payload), against a loopback
 * emulation of the artifact service; and the CLI bundle on the same fixture.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestRunResult } from '../../src/core/layers/results.js'
import { startArtifactService, type ArtifactService } from '../emulators/artifact-service.js'
import { fixtureDir, fixtureEnv, markerLine, pidsIn, processAlive } from '../harness/fixture.js'
import { NODE24, runAction } from '../harness/run-action.js'

const CLI = resolve(import.meta.dirname, '../../dist/cli/index.js')
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'mace-bundle-'))
const switchesOff = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(fixtureEnv())) if (v !== undefined) env[k] = v
  return env
}

describe('action-test bundle', () => {
  let service: ArtifactService
  beforeAll(async () => {
    service = await startArtifactService()
  })
  afterAll(async () => {
    await service.close()
  })

  it('passes mode all on the fixture, sets outputs, writes the summary and uploads one artifact', async () => {
    const outputDir = tempDir()
    const run = await runAction({
      action: 'action-test',
      workspace: fixtureDir(),
      inputs: { mode: 'all', threads: '2', 'output-dir': outputDir, 'artifact-name': 'tests-pass' },
      env: service.env,
      event: { name: 'push', payload: { ref: 'refs/heads/main' } }
    })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.outputs).toMatchObject({
      result: 'success',
      failed: '0',
      failures: '',
      flaky: '',
      'results-path': join(outputDir, 'results.json'),
      'junit-path': join(outputDir, 'junit.xml')
    })
    expect(run.summary).toMatch(/✅/)
    // Names are Markdown-escaped in the summary.
    expect(run.summary).toMatch(/stress\\?:stress\\?_bucket\\?_rounds/)
    expect(run.annotations.filter(a => a.command === 'error')).toEqual([])
    const upload = service.uploads.find(u => u.name === 'tests-pass')!
    expect(upload).toBeDefined()
    const files = [...upload.files.keys()]
    expect(files).toEqual(expect.arrayContaining(['results.json', 'junit.xml', 'summary.md']))
    expect(files.some(f => f.startsWith('logs/') && f.endsWith('.log'))).toBe(true)
    const uploaded = JSON.parse(upload.files.get('results.json')!.toString()) as TestRunResult
    expect(uploaded.passed).toBe(true)
  })

  it('fails on a failing test, annotates its file:line and gives the same verdict as the CLI', async () => {
    const outputDir = tempDir()
    const switches = { FIXTURE_FAIL: '1', FIXTURE_STRESS_FAIL: '1' }
    const run = await runAction({
      action: 'action-test',
      workspace: fixtureDir(),
      inputs: { mode: 'all', threads: '2', 'output-dir': outputDir, 'artifact-name': 'tests-fail' },
      env: { ...service.env, ...switches }
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('failure')
    expect(run.outputs.failures?.split('\n')).toEqual(['fast', 'stress:stress_bucket_rounds'])
    const errors = run.annotations.filter(a => a.command === 'error' && a.properties.file)
    expect(errors.map(a => `${a.properties.file}:${a.properties.line}`)).toEqual(
      expect.arrayContaining([
        `tests/basic.rs:${markerLine('tests/basic.rs', 'fail-line')}`,
        `tests/stress.rs:${markerLine('tests/stress.rs', 'stress-fail-line')}`
      ])
    )
    expect(run.summary).toMatch(/❌/)
    expect(service.uploads.some(u => u.name === 'tests-fail')).toBe(true)

    const cli = spawnSync(
      NODE24,
      [CLI, 'test', '--mode', 'all', '--threads', '2', '--quiet', '--output-dir', tempDir()],
      { cwd: fixtureDir(), env: { ...switchesOff(), ...switches }, encoding: 'utf8' }
    )
    expect(cli.status).toBe(1)
    const listed = cli.stdout.split('failures:\n')[1]!.split('\n\n')[0]!
    expect(
      listed
        .trim()
        .split('\n')
        .map(l => l.trim())
    ).toEqual(['- fast', '- stress:stress_bucket_rounds'])
  })

  it('fails the step with a message naming a bad input and the accepted values', async () => {
    const run = await runAction({
      action: 'action-test',
      workspace: fixtureDir(),
      inputs: { mode: 'everything', 'artifact-name': '' }
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.map(a => a.message)).toContain(
      "Invalid input 'mode': 'everything'. Expected one of: fast, stress, chaos, all."
    )
  })

  it('passes without an artifact service, saying where the results stay', async () => {
    const outputDir = tempDir()
    const run = await runAction({
      action: 'action-test',
      workspace: fixtureDir(),
      inputs: { mode: 'fast', 'fast-targets': 'recovery', 'output-dir': outputDir }
    })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/ACTIONS_RUNTIME_TOKEN is not set/)
    expect(existsSync(join(outputDir, 'results.json'))).toBe(true)
  })

  it('on cancellation kills the running test tree and keeps partial results', async () => {
    const outputDir = tempDir()
    const pidDir = tempDir()
    const run = await runAction({
      action: 'action-test',
      workspace: fixtureDir(),
      inputs: {
        mode: 'stress',
        'stress-cases': 'stress:stress_bucket_rounds\nstress:stress_evictor',
        'output-dir': outputDir,
        'artifact-name': 'tests-cancelled'
      },
      env: { ...service.env, FIXTURE_HANG: '1', FIXTURE_PID_DIR: pidDir },
      onStart: child => {
        const poll = setInterval(() => {
          if (readdirSync(pidDir).length > 0) {
            clearInterval(poll)
            child.kill('SIGINT')
          }
        }, 100)
      }
    })
    expect(run.exitCode).toBe(1)
    const result = JSON.parse(
      readFileSync(join(outputDir, 'results.json'), 'utf8')
    ) as TestRunResult
    expect(result.cancelled).toBe(true)
    // What was running when it stopped: the hanging case and its command.
    expect(result.running).toMatchObject({ step: 'case', case: 'stress:stress_evictor' })
    expect(result.running!.argv).toEqual(expect.arrayContaining(['stress_evictor', '--ignored']))
    expect(run.summary).toContain(
      '**Running when it stopped:** case <code>stress\\:stress\\_evictor</code>, for '
    )
    const cases = result.layers[0]!.cases
    expect(cases.map(c => c.id)).toEqual(['stress:stress_bucket_rounds', 'stress:stress_evictor'])
    expect(cases[0]!.status).toBe('passed')
    // The interrupted case is cancelled, never failed, in every document and output.
    expect(cases[1]!.status).toBe('cancelled')
    expect(cases[1]!.attempts[0]!.tests.map(t => [t.name, t.outcome])).toEqual([
      ['stress_evictor', 'cancelled']
    ])
    expect(result.failures).toEqual([])
    expect(run.outputs.failures).toBe('')
    expect(run.outputs.failed).toBe('0')
    expect(pidsIn(pidDir).length).toBeGreaterThan(0)
    expect(pidsIn(pidDir).filter(processAlive)).toEqual([])
    expect(service.uploads.some(u => u.name === 'tests-cancelled')).toBe(true)
  })
})
