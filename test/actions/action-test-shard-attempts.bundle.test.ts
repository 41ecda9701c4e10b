/**
 * Shards across run attempts and failed uploads, as GitHub runs them: dist/test/index.js as
 * the jobs of a 2-shard matrix uploading to a loopback emulation of the artifact service, which
 * holds names unique within the run (upload-artifact v4+ immutability) and plays faults. "Re-run
 * failed jobs" (GITHUB_RUN_ATTEMPT 2) stores the failed shard's new results under a name of their
 * own and the merge takes the newest attempt, saying so; an upload that fails for good fails the
 * shard's step with the reason; a transient one is retried by the artifact client.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uploadArtifact } from '../../src/core/github/artifact.js'
import type { TestRunResult } from '../../src/core/layers/results.js'
import { silentLogger } from '../../src/core/shared/logger.js'
import {
  startArtifactService,
  type ArtifactFault,
  type ArtifactService
} from '../emulators/artifact-service.js'
import { fixtureDir, fixtureEnv } from '../harness/fixture.js'
import { runAction, type ActionRun } from '../harness/run-action.js'

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'mace-attempts-'))

/** The fixture's environment, with its failing fast test switched on or off. */
function env(failing: boolean): Record<string, string> {
  const all = fixtureEnv(failing ? { FIXTURE_FAIL: '1' } : {})
  return Object.fromEntries(
    Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined)
  )
}

/** Shard k of 2 in run attempt `attempt`, its results stored in `service`. */
function shard(
  service: ArtifactService,
  k: number,
  attempt: number,
  failing: boolean
): Promise<ActionRun> {
  return runAction({
    action: 'action-test',
    workspace: fixtureDir(),
    inputs: {
      mode: 'fast',
      threads: '2',
      runner: 'nextest',
      shard: `${k}/2`,
      'output-dir': tempDir(),
      'artifact-name': 'rerun'
    },
    env: { ...service.env, ...env(failing), GITHUB_RUN_ATTEMPT: String(attempt) }
  })
}

describe('a re-run of a failed shard', () => {
  let service: ArtifactService
  const first: ActionRun[] = []
  let failed: number
  let rerun: ActionRun
  beforeAll(async () => {
    service = await startArtifactService()
    for (const k of [1, 2]) first.push(await shard(service, k, 1, true))
    // The fixture's failing test lands in one shard: that job is the one re-run.
    failed = first.findIndex(r => r.exitCode !== 0) + 1
    rerun = await shard(service, failed, 2, false)
  })
  afterAll(async () => {
    await service.close()
  })

  it('stores the re-run’s results under a name of their own, beside the first attempt’s', () => {
    expect(failed).toBeGreaterThan(0)
    expect(first.filter(r => r.exitCode !== 0)).toHaveLength(1)
    expect(rerun.exitCode, rerun.stdout).toBe(0)
    expect(service.uploads.map(u => u.name).sort()).toEqual(
      [
        'rerun-shard-1-of-2-attempt-1',
        'rerun-shard-2-of-2-attempt-1',
        `rerun-shard-${failed}-of-2-attempt-2`
      ].sort()
    )
    expect(service.requests.filter(r => r.status === 409)).toEqual([])
  })

  it('is why: the first attempt’s name is taken for good (409), as upload-artifact v4+ holds', async () => {
    const results = first[failed - 1]!.outputs['results-path']!
    const again = await uploadArtifact(
      {
        name: `rerun-shard-${failed}-of-2-attempt-1`,
        rootDirectory: dirname(results),
        files: [results]
      },
      silentLogger,
      service.env
    )
    expect(again.status).toBe('failed')
    expect(again).toHaveProperty('reason', expect.stringContaining('(409) Conflict'))
  })

  it('merges the newest attempt of each shard, and says which attempt each came from', async () => {
    const outputDir = tempDir()
    const merge = await runAction({
      action: 'action-test',
      workspace: fixtureDir(),
      inputs: { mode: 'merge', 'artifact-name': 'rerun', 'output-dir': outputDir },
      env: { ...service.env, GITHUB_RUN_ATTEMPT: '2' }
    })
    expect(merge.exitCode, merge.stdout).toBe(0)
    expect(merge.outputs.result).toBe('success')
    const other = 3 - failed
    const said = `Took the newest attempt of each shard: ${[
      failed === 1 ? 'shard 1/2 from attempt 2 (attempt 1 set aside)' : 'shard 1/2 from attempt 1',
      failed === 2 ? 'shard 2/2 from attempt 2 (attempt 1 set aside)' : 'shard 2/2 from attempt 1'
    ].join(
      '; '
    )}. A shard taken from an attempt before this one (2) was not re-run, or its re-run stored no results.`
    expect(merge.stdout).toContain(said)
    expect(merge.summary).toContain('Took the newest attempt of each shard')
    const doc = JSON.parse(readFileSync(join(outputDir, 'results.json'), 'utf8')) as TestRunResult
    expect(doc.merged?.shards.map(s => s.source)).toEqual(
      [1, 2].map(k => `artifact 'rerun-shard-${k}-of-2-attempt-${k === other ? 1 : 2}'`)
    )
    expect(doc.notes).toContainEqual({ level: 'notice', message: said })
  })
})

describe('a shard whose results cannot be stored', () => {
  const jobs = new Map<string, { run: ActionRun; service: ArtifactService }>()
  /** Shard 1 of 2 (passing) against a service playing `fault`. */
  async function faulted(label: string, fault: ArtifactFault): Promise<void> {
    const service = await startArtifactService({ faults: [fault] })
    jobs.set(label, { run: await shard(service, 1, 1, false), service })
  }
  beforeAll(async () => {
    // The artifact client retries for about 30 s before giving up: the three run side by side.
    await Promise.all([
      faulted('blocks', { operation: 'PutBlock', answer: 500, times: Infinity }),
      faulted('finalize', { operation: 'FinalizeArtifact', answer: 500, times: Infinity }),
      faulted('transient', { operation: 'CreateArtifact', answer: 500, times: 1 })
    ])
  }, 240_000)
  afterAll(async () => {
    await Promise.all([...jobs.values()].map(j => j.service.close()))
  })

  it('fails the shard’s step when every PutBlock answers 500, saying why, though its tests passed', () => {
    const { run } = jobs.get('blocks')!
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('success')
    const errors = run.annotations.filter(a => a.command === 'error').map(a => a.message)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^Shard 1\/2 could not store its results as artifact 'rerun-shard-1-of-2-attempt-1': the artifact storage answered 500 after the client's retries: injected fault\. The merge job reads them from there, so it cannot judge this shard; they stay in .+\. Re-run this job\.$/
    )
  })

  it('fails the shard’s step when every FinalizeArtifact answers 500, with the client’s reason', () => {
    const { run } = jobs.get('finalize')!
    expect(run.exitCode).toBe(1)
    const errors = run.annotations.filter(a => a.command === 'error').map(a => a.message)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(
      "Shard 1/2 could not store its results as artifact 'rerun-shard-1-of-2-attempt-1': Failed to FinalizeArtifact: Failed to make request after 5 attempts: Failed request: (500) Internal Server Error: injected fault."
    )
  })

  it('stores them after the client’s retry when CreateArtifact answers 500 once', () => {
    const { run, service } = jobs.get('transient')!
    expect(run.exitCode, run.stdout).toBe(0)
    expect(service.uploads.map(u => u.name)).toEqual(['rerun-shard-1-of-2-attempt-1'])
    expect(
      service.requests.filter(r => r.operation === 'CreateArtifact').map(r => r.status)
    ).toEqual([500, 200])
  })
})
