import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { uploadArtifact } from '../../../src/core/github/artifact.js'
import { silentLogger, type Logger } from '../../../src/core/shared/logger.js'
import {
  startArtifactService,
  type ArtifactService,
  type ArtifactServiceOptions
} from '../../emulators/artifact-service.js'

type RecordingLogger = Logger & { infos: string[]; warnings: string[] }

function recordingLogger(): RecordingLogger {
  const infos: string[] = []
  const warnings: string[] = []
  return {
    ...silentLogger,
    info: m => void infos.push(m),
    warning: m => void warnings.push(m),
    infos,
    warnings
  }
}

async function service(options?: ArtifactServiceOptions): Promise<ArtifactService> {
  const started = await startArtifactService(options)
  onTestFinished(() => started.close())
  return started
}

async function results(files: Record<string, string>): Promise<[string, string[]]> {
  const root = await mkdtemp(join(tmpdir(), 'artifact-upload-'))
  onTestFinished(() => rm(root, { recursive: true, force: true }))
  const paths: string[] = []
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, content)
    paths.push(path)
  }
  return [root, paths]
}

const envFor = (s: ArtifactService): NodeJS.ProcessEnv => ({ ...process.env, ...s.env })

describe('uploadArtifact', () => {
  it('uploads the results as one artifact and reports its id and size', async () => {
    const artifacts = await service()
    const [rootDirectory, files] = await results({ 'results.json': '{}', 'junit/unit.xml': '<x/>' })
    const tokenBefore = process.env.ACTIONS_RUNTIME_TOKEN
    const logger = recordingLogger()

    const outcome = await uploadArtifact(
      { name: 'test-results', rootDirectory, files },
      logger,
      envFor(artifacts)
    )

    const [upload] = artifacts.uploads
    expect(outcome).toEqual({
      status: 'uploaded',
      id: upload?.id,
      size: upload?.size,
      name: 'test-results'
    })
    expect([...(upload?.files.keys() ?? [])].sort()).toEqual(['junit/unit.xml', 'results.json'])
    expect(logger.warnings).toEqual([])
    // The caller's env applies for the upload only; the process environment is left as it was.
    expect(process.env.ACTIONS_RUNTIME_TOKEN).toBe(tokenBefore)
  })

  it('without ACTIONS_RUNTIME_TOKEN the upload is skipped with a notice, not a warning', async () => {
    const [rootDirectory, files] = await results({ 'results.json': '{}' })
    const logger = recordingLogger()

    const outcome = await uploadArtifact({ name: 'test-results', rootDirectory, files }, logger, {})

    expect(outcome).toMatchObject({ status: 'skipped' })
    expect(logger.infos).toEqual([
      `Artifact service not available (ACTIONS_RUNTIME_TOKEN is not set): results stay in ${rootDirectory}`
    ])
    expect(logger.warnings).toEqual([])
  })

  it('a service error becomes a warning naming the artifact, and nothing is thrown', async () => {
    const artifacts = await service({ failCreate: true })
    const [rootDirectory, files] = await results({ 'results.json': '{}' })
    const logger = recordingLogger()

    const outcome = await uploadArtifact(
      { name: 'test-results', rootDirectory, files },
      logger,
      envFor(artifacts)
    )

    expect(outcome.status).toBe('failed')
    expect(outcome.status === 'failed' && outcome.reason).toContain('(403)')
    expect(logger.warnings).toHaveLength(1)
    expect(logger.warnings[0]).toMatch(/^Artifact 'test-results' was not uploaded: .*\(403\)/)
    expect(logger.warnings[0]).toContain(`Results stay in ${rootDirectory}`)
    expect(artifacts.uploads).toEqual([])
  })

  it('files that no longer exist are left out with a warning and the rest uploaded', async () => {
    const artifacts = await service()
    const [rootDirectory, files] = await results({ 'results.json': '{}' })
    const gone = join(rootDirectory, 'gone.json')
    const logger = recordingLogger()

    const outcome = await uploadArtifact(
      { name: 'test-results', rootDirectory, files: [...files, gone] },
      logger,
      envFor(artifacts)
    )

    expect(outcome.status).toBe('uploaded')
    expect([...(artifacts.uploads[0]?.files.keys() ?? [])]).toEqual(['results.json'])
    expect(logger.warnings).toEqual([
      `Not adding ${gone} to the artifact: it does not exist or is not a file`
    ])
  })

  it('an empty file list is skipped without contacting the service', async () => {
    const artifacts = await service()
    const [rootDirectory] = await results({})

    const outcome = await uploadArtifact(
      { name: 'test-results', rootDirectory, files: [] },
      recordingLogger(),
      envFor(artifacts)
    )

    expect(outcome).toMatchObject({ status: 'skipped' })
    expect(artifacts.requests).toEqual([])
  })

  it('a retention period reaches the service as an expiry that many days ahead', async () => {
    const artifacts = await service()
    const [rootDirectory, files] = await results({ 'results.json': '{}' })

    await uploadArtifact(
      { name: 'test-results', rootDirectory, files, retentionDays: 3 },
      silentLogger,
      envFor(artifacts)
    )

    const expiresAt = Date.parse(artifacts.uploads[0]?.expiresAt ?? '')
    const days = (expiresAt - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(2.9)
    expect(days).toBeLessThanOrEqual(3.05)
  })
})
