/**
 * A loopback emulation of the GitHub Actions artifact service: the results-service twirp API and
 * the Azure blob endpoints its signed URLs point at, held to exactly what `@actions/artifact` 6
 * sends. Every refusal is a JSON (twirp) or XML (blob) 4xx: the client retries 5xx for ~20 s,
 * which would turn a protocol mistake into a slow timeout.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import yauzl from 'yauzl'

/** One artifact the client finalized: the blob as committed and the files inside it. */
export interface RecordedUpload {
  id: number
  name: string
  size: number
  sha256: string
  mimeType: string
  expiresAt: string | undefined
  createdAt: string
  /** How many blocks the blob was committed from (uploads over 8 MiB take several). */
  blocks: number
  /** The blob exactly as committed (the zip, unless the client skipped archiving). */
  content: Buffer
  /** Files by their path inside the zip; for an unarchived upload, the single file by name. */
  files: Map<string, Buffer>
}

/** One request the emulator answered, in arrival order. */
export interface RecordedRequest {
  method: string
  path: string
  /** The twirp method (`CreateArtifact`…) or blob operation (`PutBlock`, `PutBlockList`, `GetBlob`). */
  operation: string
  status: number
}

/**
 * A fault the service plays instead of its answer, for the next `times` requests of one
 * operation (a twirp method, or `PutBlock`, `PutBlockList`, `GetBlob`): a status, in twirp JSON
 * or Azure XML as the side answers, or `hang`: read and never answered.
 */
export interface ArtifactFault {
  operation: string
  answer: number | 'hang'
  /** How many of the next requests of the operation it takes (Infinity: every one). */
  times: number
}

/** Ways to make the emulated service misbehave. */
export interface ArtifactServiceOptions {
  /** Refuse every CreateArtifact with a 4xx twirp error, as a service outage the client won't retry. */
  failCreate?: boolean
  faults?: ArtifactFault[]
}

/** A running emulator and what it has seen. */
export interface ArtifactService {
  url: string
  /** The environment a process needs to upload here (token, results URL, an accepted server URL). */
  env: Record<string, string>
  runId: string
  jobId: string
  uploads: RecordedUpload[]
  requests: RecordedRequest[]
  /**
   * A signed URL reading the blob of finished artifact `id`, as the REST API's artifact download
   * redirects to; undefined for an id it does not hold.
   */
  readUrl(id: number): string | undefined
  /** Adds a fault for the next requests of an operation (after those already waiting). */
  fault(rule: ArtifactFault): void
  /**
   * Stores `content` as a finished artifact, as if a job had uploaded it: for a zip no client
   * would write (a zip bomb). Its files are not read.
   */
  seed(name: string, content: Buffer): RecordedUpload
  close(): Promise<void>
}

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/'
// Azurite-style path: with an IP host the Azure SDK reads the account from the first segment.
const CONTAINER = '/devstoreaccount1/actions-results'
const ARTIFACT_VERSION = 7
// The characters the client itself refuses in names (path-and-artifact-name-validation.ts).
const INVALID_NAME_CHARS = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/']

type FieldType = 'string' | 'int32' | 'int64' | 'timestamp'
type Field = { type: FieldType; required: boolean }
type Message = Record<string, string | number | undefined>
const need = (type: FieldType): Field => ({ type, required: true })
const may = (type: FieldType): Field => ({ type, required: false })
const IDS = { workflow_run_backend_id: need('string'), workflow_job_run_backend_id: need('string') }
// Proto field names, as the client sends them (useProtoFieldName). In proto3 JSON the wrappers
// (StringValue, Int64Value) are bare scalars and int64 is a decimal string.
const SCHEMAS: Record<string, Record<string, Field>> = {
  CreateArtifact: {
    ...IDS,
    name: need('string'),
    expires_at: may('timestamp'),
    version: need('int32'),
    mime_type: may('string')
  },
  FinalizeArtifact: { ...IDS, name: need('string'), size: need('int64'), hash: need('string') },
  ListArtifacts: { ...IDS, name_filter: may('string'), id_filter: may('int64') },
  GetSignedArtifactURL: { ...IDS, name: need('string') },
  DeleteArtifact: { ...IDS, name: need('string') }
}
const TYPE_CHECKS: Record<FieldType, (value: unknown) => boolean> = {
  string: v => typeof v === 'string',
  int32: v => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 31,
  int64: v => typeof v === 'string' && /^-?\d{1,19}$/.test(v),
  timestamp: v =>
    typeof v === 'string' &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/.test(v) &&
    !Number.isNaN(Date.parse(v))
}

/** A request the real service would refuse: status and code, sent as twirp JSON or blob XML. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

interface Reply {
  status: number
  headers?: Record<string, string>
  body?: Buffer | string
}

interface Artifact {
  id: number
  name: string
  mimeType: string
  expiresAt: string | undefined
  path: string
  staged: Map<string, Buffer>
  committed?: { content: Buffer; blocks: number }
  upload?: RecordedUpload
}

/** Starts the emulator on 127.0.0.1 at a free port; one emulator is one job of one workflow run. */
export async function startArtifactService(
  options: ArtifactServiceOptions = {}
): Promise<ArtifactService> {
  const emulator = new Emulator(options)
  const server = createServer((req, res) => {
    void emulator.handle(req).then(reply => {
      // Accepted and never answered: the connection stays open until the emulator closes.
      if (reply === 'hang') return
      const body = reply.body ?? ''
      res.writeHead(reply.status, { ...reply.headers, 'Content-Length': Buffer.byteLength(body) })
      res.end(body)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  emulator.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: emulator.origin,
    env: {
      ACTIONS_RUNTIME_TOKEN: emulator.token,
      ACTIONS_RESULTS_URL: `${emulator.origin}/`,
      // The client refuses any server host but github.com, *.ghe.com and *.localhost (isGhes).
      GITHUB_SERVER_URL: 'http://github.localhost'
    },
    runId: emulator.runId,
    jobId: emulator.jobId,
    uploads: emulator.uploads,
    requests: emulator.requests,
    readUrl: id => emulator.readUrl(id),
    fault: rule => void emulator.faults.push({ ...rule }),
    seed: (name, content) => emulator.seed(name, content),
    close: () =>
      new Promise((resolve, reject) => {
        // The Azure SDK keeps connections alive; without this, close() waits for them to idle out.
        server.closeAllConnections()
        server.close(error => (error ? reject(error) : resolve()))
      })
  }
}

class Emulator {
  readonly runId = randomUUID()
  readonly jobId = randomUUID()
  // jwt-decode only base64url-decodes the payload, so an unsigned token is all the client needs.
  readonly token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({
    scp: `Actions.Results:${this.runId}:${this.jobId}`
  })}.`
  readonly uploads: RecordedUpload[] = []
  readonly requests: RecordedRequest[] = []
  readonly faults: ArtifactFault[]
  origin = ''
  private readonly secret = randomBytes(32)
  private readonly byName = new Map<string, Artifact>()
  private readonly byPath = new Map<string, Artifact>()
  private nextId = 1

  constructor(private readonly options: ArtifactServiceOptions) {
    this.faults = [...(options.faults ?? [])]
  }

  async handle(req: IncomingMessage): Promise<Reply | 'hang'> {
    const url = new URL(req.url ?? '/', this.origin)
    const twirpMethod = url.pathname.startsWith(TWIRP_PREFIX)
      ? url.pathname.slice(TWIRP_PREFIX.length)
      : undefined
    const entry = { method: req.method ?? '', path: url.pathname, operation: '', status: 0 }
    entry.operation = twirpMethod ?? blobOperation(entry.method, url.searchParams.get('comp'))
    this.requests.push(entry)
    let reply: Reply
    try {
      const body = await readBody(req)
      const fault = this.takeFault(entry.operation)
      if (fault === 'hang') return 'hang'
      if (fault !== undefined) {
        throw new Refusal(fault, fault >= 500 ? 'InternalError' : 'injected', 'injected fault')
      }
      if (twirpMethod !== undefined) reply = await this.twirp(req, twirpMethod, body)
      else reply = this.blob(req, url, body)
    } catch (error) {
      reply = errorReply(error, twirpMethod !== undefined)
    }
    entry.status = reply.status
    return reply
  }

  private async twirp(req: IncomingMessage, method: string, body: Buffer): Promise<Reply> {
    const schema = SCHEMAS[method]
    if (req.method !== 'POST' || !schema) {
      throw new Refusal(404, 'bad_route', `no route for ${req.method} ${method}`)
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      throw new Refusal(401, 'unauthenticated', 'missing or wrong Bearer token')
    }
    const contentType = req.headers['content-type']?.split(';')[0]?.trim()
    if (contentType !== 'application/json') {
      throw new Refusal(404, 'bad_route', `unexpected Content-Type: ${contentType}`)
    }
    const m = parseMessage(body, schema)
    // The ids come from the token's scp claim; anything else is another run's (or a forged) id.
    if (m.workflow_run_backend_id !== this.runId || m.workflow_job_run_backend_id !== this.jobId) {
      throw new Refusal(403, 'permission_denied', 'backend ids do not match the runtime token')
    }
    if (method === 'CreateArtifact') return json(200, this.create(m))
    if (method === 'FinalizeArtifact') return json(200, await this.finalize(m))
    if (method === 'ListArtifacts') return json(200, this.list(m))
    const artifact = this.finished(m.name)
    if (method === 'GetSignedArtifactURL') {
      return json(200, { signed_url: this.signedUrl('r', artifact.path) })
    }
    this.byName.delete(artifact.name)
    this.byPath.delete(artifact.path)
    return json(200, { ok: true, artifact_id: String(artifact.id) })
  }

  seed(name: string, content: Buffer): RecordedUpload {
    const id = this.nextId++
    const path = `${CONTAINER}/${this.runId}/${id}.zip`
    const sha256 = createHash('sha256').update(content).digest('hex')
    const upload: RecordedUpload = {
      id,
      name: validName(name),
      size: content.length,
      sha256,
      mimeType: 'application/zip',
      expiresAt: undefined,
      createdAt: new Date().toISOString(),
      blocks: 1,
      content,
      files: new Map()
    }
    const { mimeType } = upload
    const artifact: Artifact = { id, name, mimeType, expiresAt: undefined, path, staged: new Map() }
    artifact.upload = upload
    this.byName.set(name, artifact)
    this.byPath.set(path, artifact)
    this.uploads.push(upload)
    return upload
  }

  private takeFault(operation: string): number | 'hang' | undefined {
    const index = this.faults.findIndex(f => f.operation === operation && f.times > 0)
    const rule = this.faults[index]
    if (!rule) return undefined
    rule.times -= 1
    if (rule.times <= 0) this.faults.splice(index, 1)
    return rule.answer
  }

  readUrl(id: number): string | undefined {
    const artifact = [...this.byName.values()].find(a => a.id === id && a.upload)
    return artifact && this.signedUrl('r', artifact.path)
  }

  private create(m: Message): unknown {
    if (this.options.failCreate) {
      throw new Refusal(403, 'permission_denied', 'artifact storage is unavailable (failCreate)')
    }
    if (m.version !== ARTIFACT_VERSION) {
      throw invalid(`version must be ${ARTIFACT_VERSION}, got ${m.version}`)
    }
    const name = validName(m.name)
    const expiresAt = m.expires_at === undefined ? undefined : String(m.expires_at)
    if (expiresAt !== undefined && Date.parse(expiresAt) <= Date.now()) {
      throw invalid(`expires_at ${expiresAt} is in the past`)
    }
    if (this.byName.has(name)) {
      // GitHub's own wording: the client surfaces it as "(409) Conflict: <msg>".
      const msg = 'an artifact with this name already exists on the workflow run'
      throw new Refusal(409, 'already_exists', msg)
    }
    const id = this.nextId++
    const path = `${CONTAINER}/${this.runId}/${id}.zip`
    const mimeType = m.mime_type === undefined ? 'application/zip' : String(m.mime_type)
    const artifact: Artifact = { id, name, mimeType, expiresAt, path, staged: new Map() }
    this.byName.set(name, artifact)
    this.byPath.set(path, artifact)
    return { ok: true, signed_upload_url: this.signedUrl('cw', path) }
  }

  private async finalize(m: Message): Promise<unknown> {
    const artifact = this.byName.get(validName(m.name))
    if (!artifact || artifact.upload) {
      throw new Refusal(404, 'not_found', `no artifact ${String(m.name)} is being uploaded`)
    }
    if (!artifact.committed) {
      throw new Refusal(412, 'failed_precondition', 'no block list was committed for the artifact')
    }
    const { content, blocks } = artifact.committed
    if (m.size !== String(content.length)) {
      throw invalid(`size ${m.size} does not match the ${content.length} bytes committed`)
    }
    const sha256 = createHash('sha256').update(content).digest('hex')
    if (m.hash !== `sha256:${sha256}`) {
      throw invalid(`hash ${m.hash} does not match the committed blob (sha256:${sha256})`)
    }
    const files =
      artifact.mimeType === 'application/zip'
        ? await unzip(content)
        : new Map([[artifact.name, content]])
    const { id, name, mimeType, expiresAt } = artifact
    const createdAt = new Date().toISOString()
    const upload = { id, name, size: content.length, sha256, mimeType, expiresAt, createdAt }
    artifact.upload = { ...upload, blocks, content, files }
    this.uploads.push(artifact.upload)
    return { ok: true, artifact_id: String(id) }
  }

  private list(m: Message): unknown {
    const uploads = [...this.byName.values()].flatMap(a => (a.upload ? [a.upload] : []))
    const matching = uploads.filter(
      u =>
        (m.name_filter === undefined || u.name === m.name_filter) &&
        (m.id_filter === undefined || String(u.id) === m.id_filter)
    )
    return {
      artifacts: matching.map(u => ({
        workflow_run_backend_id: this.runId,
        workflow_job_run_backend_id: this.jobId,
        database_id: String(u.id),
        name: u.name,
        size: String(u.size),
        created_at: u.createdAt,
        digest: `sha256:${u.sha256}`
      }))
    }
  }

  private finished(name: unknown): Artifact & { upload: RecordedUpload } {
    const artifact = this.byName.get(validName(name))
    const upload = artifact?.upload
    if (!artifact || !upload) throw new Refusal(404, 'not_found', `no artifact ${String(name)}`)
    return { ...artifact, upload }
  }

  private blob(req: IncomingMessage, url: URL, body: Buffer): Reply {
    const artifact = this.byPath.get(url.pathname)
    const permissions = req.method === 'GET' ? 'r' : 'cw'
    const sig = url.searchParams.get('sig')
    const signed = url.searchParams.get('sp') === permissions
    if (!artifact || !signed || sig !== this.sign(permissions, url.pathname)) {
      throw new Refusal(403, 'AuthenticationFailed', 'signature does not match blob and operation')
    }
    if (req.method === 'GET' && artifact.upload) {
      const headers = { 'Content-Type': artifact.mimeType }
      return { status: 200, headers, body: artifact.upload.content }
    }
    if (req.method !== 'PUT' || artifact.upload) {
      throw new Refusal(409, 'OperationNotAllowed', `${req.method} is not allowed on this blob now`)
    }
    const version = req.headers['x-ms-version']
    if (typeof version !== 'string') {
      throw new Refusal(400, 'MissingRequiredHeader', 'x-ms-version is required')
    }
    const created: Reply = { status: 201, headers: { 'x-ms-version': version } }
    const comp = url.searchParams.get('comp')
    if (comp === 'block') {
      const blockId = url.searchParams.get('blockid') ?? ''
      checkBlock(artifact, blockId, req.headers['content-length'], body)
      artifact.staged.set(blockId, body)
      return created
    }
    if (comp !== 'blocklist') {
      throw new Refusal(400, 'InvalidQueryParameterValue', `unexpected comp=${comp}`)
    }
    if (req.headers['x-ms-blob-content-type'] !== artifact.mimeType) {
      throw new Refusal(400, 'InvalidHeaderValue', 'x-ms-blob-content-type is not the mime_type')
    }
    const ids = parseBlockList(body.toString('utf8'))
    const unknown = ids.filter(id => !artifact.staged.has(id))
    if (unknown.length > 0) {
      throw new Refusal(400, 'InvalidBlockList', `blocks never staged: ${unknown.join(', ')}`)
    }
    const content = Buffer.concat(ids.map(id => artifact.staged.get(id) ?? Buffer.alloc(0)))
    artifact.committed = { content, blocks: ids.length }
    artifact.staged.clear()
    return created
  }

  private sign(permissions: string, path: string): string {
    return createHmac('sha256', this.secret).update(`${permissions}\n${path}`).digest('base64')
  }

  private signedUrl(permissions: string, path: string): string {
    const sig = encodeURIComponent(this.sign(permissions, path))
    return `${this.origin}${path}?sp=${permissions}&sig=${sig}`
  }
}

function blobOperation(method: string, comp: string | null): string {
  if (method === 'GET') return 'GetBlob'
  if (comp === 'block') return 'PutBlock'
  if (comp === 'blocklist') return 'PutBlockList'
  return `${method} comp=${comp}`
}

function parseMessage(body: Buffer, schema: Record<string, Field>): Message {
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    throw new Refusal(400, 'malformed', 'request body is not JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Refusal(400, 'malformed', 'request body is not a JSON object')
  }
  const message = parsed as Record<string, unknown>
  for (const [key, value] of Object.entries(message)) {
    const field = schema[key]
    if (!field) throw invalid(`unknown field ${key}`)
    if (!TYPE_CHECKS[field.type](value)) {
      throw invalid(`field ${key} must be ${field.type}, got ${JSON.stringify(value)}`)
    }
  }
  const missing = Object.keys(schema).filter(k => schema[k]?.required && !(k in message))
  if (missing.length > 0) throw invalid(`missing field ${missing.join(', ')}`)
  return message as Message
}

// Azure: block ids are base64 of at most 64 bytes, all of one length within a blob.
function checkBlock(artifact: Artifact, id: string, length: unknown, body: Buffer): void {
  const [first] = artifact.staged.keys()
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(id) || Buffer.from(id, 'base64').length > 64) {
    throw new Refusal(400, 'InvalidQueryParameterValue', `blockid is not valid: ${id}`)
  }
  if (first !== undefined && first.length !== id.length) {
    throw new Refusal(400, 'InvalidBlobOrBlock', 'block ids of one blob differ in length')
  }
  if (length !== String(body.length)) {
    throw new Refusal(400, 'InvalidHeaderValue', 'Content-Length does not match the block')
  }
}

// The SDK commits `{ latest: ids }`. Nothing is ever committed before, so Latest and Uncommitted
// both mean staged blocks; anything else (Committed, stray text) is refused.
function parseBlockList(xml: string): string[] {
  const inner = /^(?:<\?xml[^>]*\?>)?\s*<BlockList>([\s\S]*)<\/BlockList>\s*$/.exec(xml)?.[1]
  if (inner === undefined) throw new Refusal(400, 'InvalidXmlDocument', 'not a BlockList')
  const ids: string[] = []
  const rest = inner.replace(/<(Latest|Uncommitted)>([^<]*)<\/\1>/g, (...match: string[]) => {
    ids.push(match[2] ?? '')
    return ''
  })
  if (rest.trim() !== '') {
    throw new Refusal(400, 'InvalidXmlDocument', `unexpected block list content: ${rest.trim()}`)
  }
  return ids
}

async function unzip(content: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  try {
    const zip = await yauzl.fromBufferPromise(content, { lazyEntries: true, strictFileNames: true })
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry()
        zip
          .openReadStreamPromise(entry)
          .then(stream => stream.toArray())
          .then(chunks => {
            files.set(entry.fileName, Buffer.concat(chunks as Buffer[]))
            zip.readEntry()
          }, reject)
      })
      zip.once('end', resolve).once('error', reject)
      zip.readEntry()
    })
  } catch (error) {
    throw invalid(`the committed blob is not a valid zip: ${String(error)}`)
  }
  return files
}

function validName(value: unknown): string {
  const name = typeof value === 'string' ? value : ''
  const bad = INVALID_NAME_CHARS.find(c => name.includes(c))
  if (name === '' || bad !== undefined) {
    throw invalid(`artifact name ${JSON.stringify(name)} is empty or contains ${bad}`)
  }
  return name
}

// Twirp errors are JSON `{code, msg}`; blob errors are Azure's XML. An emulator bug still
// answers 4xx: as a 500 the client would retry it for ~20 s and hide it behind a timeout.
function errorReply(error: unknown, twirp: boolean): Reply {
  const { status, code, message } =
    error instanceof Refusal
      ? error
      : new Refusal(400, 'internal', `emulator bug: ${String(error)}`)
  if (twirp) return json(status, { code, msg: message })
  const text = message.replace(/[<&>]/g, c => `&#${c.charCodeAt(0)};`)
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${text}</Message></Error>`
  return { status, headers: { 'Content-Type': 'application/xml', 'x-ms-error-code': code }, body }
}

const invalid = (msg: string): Refusal => new Refusal(400, 'invalid_argument', msg)

function json(status: number, value: unknown): Reply {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) }
}

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
