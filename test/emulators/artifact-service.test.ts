import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { DefaultArtifactClient } from '@actions/artifact'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import {
  startArtifactService,
  type ArtifactService,
  type ArtifactServiceOptions,
  type RecordedUpload
} from './artifact-service.js'

const MiB = 1024 * 1024
const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/'

// @actions/artifact reads process.env when called: stub it per test and put it back after.
afterEach(() => {
  vi.unstubAllEnvs()
})

async function serviceInEnv(options?: ArtifactServiceOptions): Promise<ArtifactService> {
  const service = await startArtifactService(options)
  onTestFinished(() => service.close())
  for (const [key, value] of Object.entries(service.env)) vi.stubEnv(key, value)
  return service
}

async function workspace(files: Record<string, string | Buffer>): Promise<[string, string[]]> {
  const root = await mkdtemp(join(tmpdir(), 'artifact-service-'))
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

function only(uploads: RecordedUpload[]): RecordedUpload {
  expect(uploads).toHaveLength(1)
  return uploads[0] as RecordedUpload
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex')
const texts = (files: Map<string, Buffer>): Record<string, string> =>
  Object.fromEntries([...files].map(([path, data]) => [path, data.toString('utf8')]))

describe('the real @actions/artifact client against the emulated service', () => {
  it('a small set of files arrives as one single-block zip with each file at its relative path', async () => {
    const service = await serviceInEnv()
    const [root, files] = await workspace({
      'summary.json': '{"passed":true}',
      'cases/unit.log': 'test a ... ok\n'
    })
    const response = await new DefaultArtifactClient().uploadArtifact('results', files, root)

    const upload = only(service.uploads)
    expect(upload).toMatchObject({ id: response.id, name: 'results', size: response.size })
    expect(upload.sha256).toBe(response.digest)
    expect(upload.blocks).toBe(1)
    expect(texts(upload.files)).toEqual({
      'summary.json': '{"passed":true}',
      'cases/unit.log': 'test a ... ok\n'
    })
    expect(service.requests.map(r => `${r.operation} ${r.status}`)).toEqual([
      'CreateArtifact 200',
      'PutBlock 201',
      'PutBlockList 201',
      'FinalizeArtifact 200'
    ])
  })

  it('an upload larger than one block arrives whole and in order', async () => {
    const service = await serviceInEnv()
    // Random bytes do not compress, so the zip spans three 8 MiB blocks.
    const big = randomBytes(20 * MiB + 123)
    const [root, files] = await workspace({ 'soak/trace.bin': big, 'soak/summary.txt': 'done' })
    const response = await new DefaultArtifactClient().uploadArtifact('soak', files, root)

    const upload = only(service.uploads)
    expect(upload.blocks).toBe(3)
    expect(service.requests.filter(r => r.operation === 'PutBlock')).toHaveLength(3)
    expect(upload.size).toBe(response.size)
    expect(upload.sha256).toBe(sha256(upload.content))
    expect(upload.sha256).toBe(response.digest)
    expect(sha256(upload.files.get('soak/trace.bin') ?? '')).toBe(sha256(big))
    expect(upload.files.get('soak/summary.txt')?.toString()).toBe('done')
  })

  it('an uploaded artifact can be listed, downloaded and deleted, which frees its name', async () => {
    await serviceInEnv()
    const [root, files] = await workspace({ 'report.md': '# Report\n' })
    const client = new DefaultArtifactClient()
    const { id } = await client.uploadArtifact('report', files, root)

    const { artifacts } = await client.listArtifacts()
    expect(artifacts).toMatchObject([{ id, name: 'report' }])
    const [into] = await workspace({})
    await client.downloadArtifact(id ?? 0, { path: into })
    expect(await readFile(join(into, 'report.md'), 'utf8')).toBe('# Report\n')

    await client.deleteArtifact('report')
    expect((await client.listArtifacts()).artifacts).toEqual([])
    await expect(client.uploadArtifact('report', files, root)).resolves.toHaveProperty('id')
  })

  it('a second artifact with the same name in the run is refused as GitHub does (409)', async () => {
    const service = await serviceInEnv()
    const [root, files] = await workspace({ 'a.txt': 'a' })
    const client = new DefaultArtifactClient()
    await client.uploadArtifact('results', files, root)
    await expect(client.uploadArtifact('results', files, root)).rejects.toThrow(
      '(409) Conflict: an artifact with this name already exists on the workflow run'
    )
    expect(service.uploads).toHaveLength(1)
  })

  it('a simulated service failure is a 4xx the client gives up on at once', async () => {
    const service = await serviceInEnv({ failCreate: true })
    const [root, files] = await workspace({ 'a.txt': 'a' })
    await expect(
      new DefaultArtifactClient().uploadArtifact('results', files, root)
    ).rejects.toThrow('Received non-retryable error: Failed request: (403)')
    expect(service.requests.map(r => r.operation)).toEqual(['CreateArtifact'])
  })
})

describe('requests the real service would refuse get a 4xx', () => {
  async function twirp(
    service: ArtifactService,
    method: string,
    body: object,
    headers: Record<string, string> = {}
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${service.url}${TWIRP}${method}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${service.env.ACTIONS_RUNTIME_TOKEN}`,
        'Content-Type': 'application/json',
        ...headers
      },
      body: JSON.stringify(body)
    })
    return { status: response.status, body: await response.json() }
  }

  const ids = (s: ArtifactService): object => ({
    workflow_run_backend_id: s.runId,
    workflow_job_run_backend_id: s.jobId
  })
  const createBody = (s: ArtifactService, fields: object = {}): object => ({
    ...ids(s),
    name: 'notes.txt',
    version: 7,
    mime_type: 'text/plain',
    ...fields
  })

  it.each([
    ['an unknown field', { retention: 5 }, 400, 'invalid_argument'],
    ['a version other than 7', { version: 6 }, 400, 'invalid_argument'],
    ['version as a string', { version: '7' }, 400, 'invalid_argument'],
    ['a name with a slash', { name: 'a/b' }, 400, 'invalid_argument'],
    ['an expiry in the past', { expires_at: '2020-01-01T00:00:00Z' }, 400, 'invalid_argument'],
    ['the ids of another run', { workflow_run_backend_id: 'other' }, 403, 'permission_denied']
  ])('CreateArtifact with %s', async (_case, fields, status, code) => {
    const service = await startArtifactService()
    onTestFinished(() => service.close())
    const response = await twirp(service, 'CreateArtifact', createBody(service, fields))
    expect(response).toMatchObject({ status, body: { code } })
  })

  it('a wrong token, a wrong Content-Type or a missing field is refused', async () => {
    const service = await startArtifactService()
    onTestFinished(() => service.close())
    const body = createBody(service)
    expect(
      await twirp(service, 'CreateArtifact', body, { Authorization: 'Bearer forged' })
    ).toMatchObject({ status: 401, body: { code: 'unauthenticated' } })
    expect(
      await twirp(service, 'CreateArtifact', body, { 'Content-Type': 'text/plain' })
    ).toMatchObject({ status: 404, body: { code: 'bad_route' } })
    expect(await twirp(service, 'CreateArtifact', { ...ids(service), version: 7 })).toMatchObject({
      status: 400,
      body: { code: 'invalid_argument', msg: 'missing field name' }
    })
    expect(service.requests.every(r => r.status < 500)).toBe(true)
  })

  async function createdBlob(service: ArtifactService): Promise<string> {
    const response = await twirp(service, 'CreateArtifact', createBody(service))
    return (response.body as { signed_upload_url: string }).signed_upload_url
  }

  async function put(url: string, query: string, body: string, headers = {}): Promise<Response> {
    const init = { method: 'PUT', body, headers: { 'x-ms-version': '2025-11-05', ...headers } }
    return fetch(`${url}&${query}`, init)
  }

  const blockList = (...ids: string[]): string =>
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><BlockList>${ids
      .map(id => `<Latest>${id}</Latest>`)
      .join('')}</BlockList>`
  const commit = (url: string, body: string): Promise<Response> =>
    put(url, 'comp=blocklist', body, { 'x-ms-blob-content-type': 'text/plain' })

  it('blocks are assembled in block-list order, and finalize checks size and hash', async () => {
    const service = await startArtifactService()
    onTestFinished(() => service.close())
    const url = await createdBlob(service)
    // Staged out of order, as concurrent block uploads may arrive.
    expect((await put(url, 'comp=block&blockid=YmJi', 'world')).status).toBe(201)
    expect((await put(url, 'comp=block&blockid=YWFh', 'hello ')).status).toBe(201)
    expect((await commit(url, blockList('YWFh', 'YmJi'))).status).toBe(201)

    const finalize = (size: string, hash: string): Promise<{ status: number; body: unknown }> =>
      twirp(service, 'FinalizeArtifact', { ...ids(service), name: 'notes.txt', size, hash })
    const good = `sha256:${sha256('hello world')}`
    expect(await finalize('11', `sha256:${sha256('world hello ')}`)).toMatchObject({ status: 400 })
    expect(await finalize('12', good)).toMatchObject({ status: 400 })
    expect(service.uploads).toEqual([])
    expect(await finalize('11', good)).toMatchObject({ status: 200, body: { ok: true } })
    expect(texts(only(service.uploads).files)).toEqual({ 'notes.txt': 'hello world' })
  })

  it('a block list naming a block that was never staged is refused', async () => {
    const service = await startArtifactService()
    onTestFinished(() => service.close())
    const url = await createdBlob(service)
    await put(url, 'comp=block&blockid=YWFh', 'hello')
    const response = await commit(url, blockList('YWFh', 'Y2Nj'))
    expect(response.status).toBe(400)
    expect(response.headers.get('x-ms-error-code')).toBe('InvalidBlockList')
  })

  it('a blob PUT whose signature was tampered with is refused', async () => {
    const service = await startArtifactService()
    onTestFinished(() => service.close())
    const url = (await createdBlob(service)).replace(/sig=[^&]+/, 'sig=forged')
    const response = await put(url, 'comp=block&blockid=YWFh', 'hello')
    expect(response.status).toBe(403)
    expect(response.headers.get('x-ms-error-code')).toBe('AuthenticationFailed')
  })
})
