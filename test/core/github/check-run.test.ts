import { describe, expect, it, onTestFinished } from 'vitest'
import {
  publishCheckRun,
  type CheckAnnotation,
  type CheckRunOptions,
  type CheckRunResult
} from '../../../src/core/github/check-run.js'
import { createGitHubClient } from '../../../src/core/github/client.js'
import { silentLogger, type Logger } from '../../../src/core/shared/logger.js'
import {
  startGitHubApi,
  type GitHubApi,
  type GitHubApiOptions
} from '../../emulators/github-api.js'

const SHA = 'c0ffee'.padEnd(40, '0')
const LEVELS = ['notice', 'warning', 'failure'] as const

interface Setup {
  api: GitHubApi
  warnings: string[]
  publish: (overrides?: Partial<CheckRunOptions>) => Promise<CheckRunResult>
}

async function repository(options?: GitHubApiOptions): Promise<Setup> {
  const api = await startGitHubApi(options)
  onTestFinished(() => api.close())
  const warnings: string[] = []
  const logger: Logger = { ...silentLogger, warning: m => void warnings.push(m) }
  const publish: Setup['publish'] = overrides =>
    publishCheckRun({
      octokit: createGitHubClient(api.token, api.env),
      owner: api.owner,
      repo: api.repo,
      headSha: SHA,
      name: 'perf gate (bench)',
      conclusion: 'failure',
      title: '2 regressions',
      summary: '| case | Δ |\n|---|---|',
      logger,
      ...overrides
    })
  return { api, warnings, publish }
}

const annotations = (count: number): CheckAnnotation[] =>
  Array.from({ length: count }, (_, i) => ({
    path: 'benches/perf.rs',
    start_line: i + 1,
    end_line: i + 1,
    annotation_level: LEVELS[i % 3] ?? 'notice',
    title: `case ${i + 1} regressed`,
    message: `+${i + 1}% over the baseline`
  }))

const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1)
  return items[0] as T
}

describe('publishing a check run', () => {
  it('creates one completed run with its conclusion, title, summary and text', async () => {
    const { api, publish } = await repository()

    const result = await publish({ text: 'details' })

    const run = only(api.state.checkRuns)
    expect(run).toMatchObject({
      name: 'perf gate (bench)',
      headSha: SHA,
      status: 'completed',
      conclusion: 'failure',
      output: { title: '2 regressions', summary: '| case | Δ |\n|---|---|', text: 'details' }
    })
    expect(result).toEqual({
      action: 'created',
      id: run.id,
      url: `https://github.com/${api.owner}/${api.repo}/runs/${run.id}`,
      annotations: 0
    })
  })

  it('sends 120 annotations in 3 requests of at most 50, all arriving in order', async () => {
    const { api, publish } = await repository()

    const result = await publish({ annotations: annotations(120) })

    const sent = api.requests.map(r => [
      r.operationId,
      (r.body as { output: { annotations: unknown[] } }).output.annotations.length
    ])
    expect(sent).toEqual([
      ['checks/create', 50],
      ['checks/update', 50],
      ['checks/update', 20]
    ])
    const run = only(api.state.checkRuns)
    expect(run.annotations).toEqual(annotations(120))
    expect(new Set(run.annotations.map(a => a.annotation_level))).toEqual(new Set(LEVELS))
    expect(run.output.summary).toBe('| case | Δ |\n|---|---|')
    expect(result).toMatchObject({ action: 'created', annotations: 120 })
  })

  it('cuts a title to 255 characters and a summary or text to 65,535, saying so', async () => {
    const { api, publish } = await repository()

    await publish({
      title: 't'.repeat(300),
      summary: 's'.repeat(70_000),
      text: 'x'.repeat(65_535),
      annotations: [{ ...annotations(1)[0]!, title: 'a'.repeat(256), message: 'm'.repeat(70_000) }]
    })

    const run = only(api.state.checkRuns)
    expect(run.output.title).toHaveLength(255)
    expect(run.output.summary).toHaveLength(65_535)
    expect(run.output.summary).toMatch(/cut to fit GitHub's limit of 65535 characters\.$/)
    expect(run.output.text).toBe('x'.repeat(65_535))
    const annotation = only(run.annotations)
    expect(annotation.title).toHaveLength(255)
    expect(Buffer.byteLength(annotation.message)).toBeLessThanOrEqual(64 * 1024)
  })

  it('leaves out annotations with no usable location and says how many in the summary', async () => {
    const { api, publish } = await repository()
    const [good] = annotations(1)
    const at = (where: Partial<CheckAnnotation>): CheckAnnotation => ({ ...good!, ...where })

    await publish({
      annotations: [
        at({ start_line: Number.NaN, end_line: Number.NaN }),
        at({ start_line: 0, end_line: 0 }),
        at({ path: '/home/runner/work/mace/src/lib.rs' }),
        at({ path: '' }),
        at({ path: '.\\src\\lib.rs', start_line: 7, end_line: 3, start_column: 2 }),
        at({ start_line: 4, end_line: 4, start_column: 2, end_column: 9 })
      ]
    })

    const run = only(api.state.checkRuns)
    expect(run.annotations.map(a => [a.path, a.start_line, a.end_line, a.start_column])).toEqual([
      ['src/lib.rs', 7, 7, 2],
      ['benches/perf.rs', 4, 4, 2]
    ])
    expect(run.output.summary).toMatch(/4 annotations had no file and line to point at/)
  })

  it('without `checks: write` warns and skips without throwing', async () => {
    const { api, publish, warnings } = await repository({ readOnly: true })

    const result = await publish({ annotations: annotations(3) })

    expect(result).toMatchObject({ action: 'skipped' })
    expect(api.state.checkRuns).toEqual([])
    expect(only(warnings)).toMatch(/Resource not accessible by integration.*checks: write/)
  })

  it('keeps the run and warns when appending annotations fails part way', async () => {
    const { api, publish, warnings } = await repository({ failures: { 'checks/update': 502 } })

    const result = await publish({ annotations: annotations(70) })

    expect(result).toMatchObject({ action: 'created', annotations: 50 })
    expect(only(api.state.checkRuns).annotations).toHaveLength(50)
    expect(only(warnings)).toMatch(/got 50 of 70 annotations/)
  })
})
