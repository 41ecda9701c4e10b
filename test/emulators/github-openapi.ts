/**
 * GitHub's REST API as published in its OpenAPI description (`@octokit/openapi`): a loopback HTTP
 * front that matches every request against all documented routes, checks its parameters and body
 * against the operation's schemas, answers refusals in GitHub's error shapes, records what it was
 * asked, and hands valid requests to the emulated repository (github-api.ts), whose answers are
 * checked against the response schemas in turn.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import formats from 'ajv-formats'

// The file with `$ref`s (13 MB) rather than the dereferenced one (73 MB): resolving the refs of
// the dozen operations emulated gives the same schemas (checked for all 1,223 operations: only
// two parameter descriptions differ) at a fifth of the memory and a quarter of the parse time.
const SPEC_FILE = createRequire(import.meta.url).resolve(
  '@octokit/openapi/generated/api.github.com.json'
)
const METHODS = ['get', 'put', 'post', 'patch', 'delete']
// GitHub caps `per_page` at 100 and silently serves 100 when asked for more; refusing it here
// catches code that would then believe it had read everything.
const PAGE_LIMITS: Record<string, Schema> = {
  per_page: { minimum: 1, maximum: 100 },
  page: { minimum: 1 }
}

type Schema = Record<string, unknown>

/** The general REST docs page, for answers that belong to no operation. */
export const DOCS = 'https://docs.github.com/rest'

/** One problem with a request, in the shape of an entry of GitHub's 422 `errors` list. */
export interface FieldError {
  code: 'missing_field' | 'invalid' | 'unprocessable' | 'custom'
  field: string
  message: string
}

/** A documented operation that a request matched, with its path parameters decoded. */
export interface MatchedRoute {
  operationId: string
  template: string
  params: Record<string, string>
}

/** The checks the published description implies for one operation. */
export interface Contract {
  operationId: string
  /** The operation's page on docs.github.com, as GitHub puts in `documentation_url`. */
  docsUrl: string
  /** Path parameters that fail their schema (GitHub answers 404 for those). */
  pathErrors(params: Record<string, string>): string[]
  queryErrors(query: Record<string, string>): FieldError[]
  bodyErrors(body: unknown): FieldError[]
  /** Where a response the emulator is about to send strays from the published schema. */
  responseErrors(status: number, body: unknown): string[]
}

/** The loaded description: route matching over all of it, contracts for the emulated operations. */
export interface GitHubOpenApi {
  match(method: string, path: string): MatchedRoute | undefined
  contract(operationId: string): Contract | undefined
  /** How long reading, parsing and compiling took, for the curious. */
  loadMs: number
}

interface Route {
  method: string
  template: string
  operationId: string
  pattern: RegExp
  names: string[]
}

const loaded = new Map<string, Promise<GitHubOpenApi>>()

/**
 * Loads the description once per process (the first call takes about a second) and
 * keeps only the route table and the compiled checks of `emulated` operations.
 */
export function loadGitHubOpenApi(emulated: readonly string[]): Promise<GitHubOpenApi> {
  const key = [...emulated].sort().join(' ')
  let spec = loaded.get(key)
  if (!spec) {
    spec = load(new Set(emulated))
    loaded.set(key, spec)
  }
  return spec
}

async function load(emulated: Set<string>): Promise<GitHubOpenApi> {
  const started = performance.now()
  const document = JSON.parse(await readFile(SPEC_FILE, 'utf8')) as Schema
  const routes: Route[] = []
  const contracts = new Map<string, Contract>()
  const ajv = newAjv(false)
  const coercing = newAjv(true)
  for (const [template, item] of Object.entries(document.paths as Record<string, Schema>)) {
    for (const method of METHODS) {
      const operation = item[method] as Schema | undefined
      if (!operation) continue
      const operationId = operation.operationId as string
      routes.push({ method: method.toUpperCase(), template, operationId, ...compilePath(template) })
      if (emulated.has(operationId)) {
        const resolved = resolveRefs(document, operation) as Schema
        contracts.set(operationId, compileContract(resolved, ajv, coercing))
      }
    }
  }
  const missing = [...emulated].filter(id => !contracts.has(id))
  if (missing.length > 0) throw new Error(`not in GitHub's OpenAPI description: ${missing.join()}`)
  // Fewer parameters first: `/issues/comments` must win over `/issues/{issue_number}`.
  routes.sort((a, b) => a.names.length - b.names.length)
  return {
    match: (method, path) => matchRoute(routes, method, path),
    contract: operationId => contracts.get(operationId),
    loadMs: Math.round(performance.now() - started)
  }
}

function newAjv(coerceTypes: boolean): Ajv {
  // strict: false because the description carries OpenAPI keywords (`example`, `x-github`…).
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes, logger: false })
  formats.default(ajv)
  return ajv
}

function compilePath(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = []
  const source = template
    .split(/(\{[^}]+\})/)
    .map(part => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1]
      if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      names.push(name)
      return '([^/]+)'
    })
    .join('')
  return { pattern: new RegExp(`^${source}$`), names }
}

function matchRoute(routes: Route[], method: string, path: string): MatchedRoute | undefined {
  for (const route of routes) {
    if (route.method !== method) continue
    const found = route.pattern.exec(path)
    if (!found) continue
    const params = Object.fromEntries(
      route.names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')])
    )
    return { operationId: route.operationId, template: route.template, params }
  }
  return undefined
}

/** A copy of `node` with every local `$ref` replaced by what it points at. */
function resolveRefs(document: Schema, node: unknown, seen: readonly string[] = []): unknown {
  if (Array.isArray(node)) return node.map(item => resolveRefs(document, item, seen))
  if (node === null || typeof node !== 'object') return node
  const ref = (node as Schema).$ref
  if (typeof ref === 'string') {
    if (seen.includes(ref)) throw new Error(`recursive schema at ${ref}`)
    let target: unknown = document
    for (const part of ref.replace(/^#\//, '').split('/'))
      target = (target as Schema)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
    return resolveRefs(document, target, [...seen, ref])
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, resolveRefs(document, value, seen)])
  )
}

function compileContract(operation: Schema, ajv: Ajv, coercing: Ajv): Contract {
  const parameters = (operation.parameters ?? []) as Schema[]
  const inPlace = (where: string): Schema[] => parameters.filter(p => p.in === where)
  const objectOf = (params: Schema[], extra: Record<string, Schema> = {}): Schema => ({
    type: 'object',
    properties: Object.fromEntries(
      params.map(p => [p.name, { ...forAjv(p.schema), ...extra[p.name as string] }])
    ),
    required: params.filter(p => p.required === true).map(p => p.name),
    additionalProperties: false
  })
  const path = coercing.compile(objectOf(inPlace('path')))
  const query = coercing.compile(objectOf(inPlace('query'), PAGE_LIMITS))
  // Response schemas take up to a second each to compile, so each is compiled when first needed:
  // a test file then pays only for the operations it uses.
  const bodySchema = jsonSchema(operation.requestBody)
  const body = bodySchema && once(() => ajv.compile(strict(forAjv(bodySchema))))
  const responses = new Map<number, () => ValidateFunction>()
  for (const [status, response] of Object.entries(operation.responses as Schema)) {
    const schema = jsonSchema(response)
    // Refusals all come from one helper in GitHub's error shape; successes are what can drift.
    if (schema && /^2/.test(status))
      responses.set(
        Number(status),
        once(() => ajv.compile(forAjv(schema)))
      )
  }
  return {
    operationId: operation.operationId as string,
    docsUrl: ((operation.externalDocs as Schema | undefined)?.url as string) ?? DOCS,
    pathErrors: params => (path({ ...params }) ? [] : (path.errors ?? []).map(describe)),
    queryErrors: values => (query({ ...values }) ? [] : fieldErrors(query.errors)),
    bodyErrors: value => {
      const validate = body?.()
      if (validate) return validate(value) ? [] : fieldErrors(validate.errors)
      const empty = value === undefined || (isObject(value) && Object.keys(value).length === 0)
      return empty ? [] : [{ code: 'invalid', field: '', message: 'This endpoint takes no body.' }]
    },
    responseErrors: (status, value) => {
      const validate = responses.get(status)?.()
      return !validate || validate(value) ? [] : (validate.errors ?? []).map(describe)
    }
  }
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined
  return () => (made ??= { value: make() }).value
}

function jsonSchema(holder: unknown): Schema | undefined {
  const content = (holder as Schema | undefined)?.content as Schema | undefined
  return (content?.['application/json'] as Schema | undefined)?.schema as Schema | undefined
}

const isObject = (value: unknown): value is Schema =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** Makes OpenAPI 3.0 `nullable` mean what GitHub means by it, in terms ajv compiles. */
function forAjv(node: unknown): Schema {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk)
    if (!isObject(value)) return value
    const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]))
    if (copy.nullable !== true) return copy
    // GitHub means `nullable` to admit null even past an `enum` (`state_reason` is null when open).
    const values: unknown = copy.enum
    if (Array.isArray(values) && !values.includes(null))
      copy.enum = [...(values as unknown[]), null]
    if ('type' in copy) return copy
    const rest = { ...copy }
    delete rest.nullable
    return { anyOf: [rest, { type: 'null' }] }
  }
  return walk(node) as Schema
}

/**
 * Closes every request object to the keys it lists. GitHub's request schemas mostly leave
 * `additionalProperties` unset, and GitHub then ignores or refuses unknown keys: either way
 * code that sends one is relying on something that does not happen.
 */
function strict(node: Schema): Schema {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk)
    if (!isObject(value)) return value
    const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]))
    if (copy.type !== 'object' || !isObject(copy.properties) || 'additionalProperties' in copy)
      return copy
    // Keys a branch of anyOf/oneOf/allOf or `required` names are allowed too.
    const named = [copy.anyOf, copy.oneOf, copy.allOf]
      .flatMap(branches => (Array.isArray(branches) ? (branches as unknown[]) : []))
      .flatMap(branch =>
        isObject(branch) && isObject(branch.properties) ? [branch.properties] : []
      )
      .flatMap(properties => Object.keys(properties))
      .concat(Array.isArray(copy.required) ? (copy.required as string[]) : [])
    const properties = { ...Object.fromEntries(named.map(key => [key, {}])), ...copy.properties }
    return { ...copy, properties, additionalProperties: false }
  }
  return walk(node) as Schema
}

function fieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  return (errors ?? []).map(error => {
    const at = error.instancePath.replace(/^\//, '').replace(/\//g, '.')
    const within = (key: string): string => (at ? `${at}.${key}` : key)
    switch (error.keyword) {
      case 'required': {
        const field = within((error.params as { missingProperty: string }).missingProperty)
        return { code: 'missing_field', field, message: `"${field}" wasn't supplied.` }
      }
      case 'additionalProperties': {
        const field = within((error.params as { additionalProperty: string }).additionalProperty)
        return { code: 'invalid', field, message: `"${field}" is not a permitted key.` }
      }
      default:
        return { code: 'invalid', field: at, message: `${at || 'body'} ${error.message ?? ''}` }
    }
  })
}

const describe = (error: ErrorObject): string =>
  `${error.instancePath || '(root)'} ${error.message ?? error.keyword}`

/** One request the emulator answered, in arrival order. */
export interface RecordedRequest {
  method: string
  path: string
  /** The documented path template matched, e.g. `/repos/{owner}/{repo}/issues/{issue_number}`. */
  route: string
  operationId: string
  query: Record<string, string>
  body: unknown
  status: number
}

/** A request that passed every check, handed to the emulated repository. */
export interface OperationRequest {
  operationId: string
  params: Record<string, string>
  query: Record<string, string>
  body: unknown
  /** The full URL asked for: API URLs in answers and Link headers are built from it. */
  url: URL
}

/** What the emulated repository answers. */
export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/** Thrown by the emulated repository to refuse: a plain GitHub error, or a 422 with `errors`. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: FieldError[]
  ) {
    super(message)
  }
}

/**
 * A fault the front plays instead of GitHub's answer, for the next `times` requests of one
 * operation: a status in GitHub's shape (403 and 429 are its secondary rate limit, with its
 * wording), with `retry-after` when given; or `hang`: the request is read and never answered.
 */
export interface FaultRule {
  /** The operation, e.g. `issues/create-comment`. */
  operationId: string
  answer: number | 'hang'
  /** How many of the next requests of the operation it takes (Infinity: every one). */
  times: number
  /** Seconds, sent as the `retry-after` header. */
  retryAfter?: number
  /** Other headers to send, e.g. `x-ratelimit-remaining`. */
  headers?: Record<string, string>
  /** The answer's message, instead of GitHub's own for the status. */
  message?: string
}

// What GitHub says with each status it answers when it cannot serve a request.
const FAULT_MESSAGES: Record<number, string> = {
  403: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0400:2A1B:C0FFEE:1D2E3F:65A1B2C3.',
  429: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0400:2A1B:C0FFEE:1D2E3F:65A1B2C3.',
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
  504: "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists."
}

/** How the front is set up: which repository, token and operations, and how to misbehave. */
export interface FrontOptions {
  emulated: readonly string[]
  /** Operations whose answers are deliberately partial, so not checked against the schema. */
  uncheckedResponses: ReadonlySet<string>
  owner: string
  repo: string
  token: string
  /** A second token that may read but not write, as a fork's pull request gets. */
  readOnlyToken?: string
  readOnly: boolean
  failures: Record<string, number>
  /** Faults to play, in order; a rule is dropped once it has taken its `times` requests. */
  faults: FaultRule[]
  carryOut(request: OperationRequest): Reply
}

/** The listening front. */
export interface Front {
  url: string
  requests: RecordedRequest[]
  beforeNext: (operationId: string, action: () => void) => void
  close: () => Promise<void>
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Listens on 127.0.0.1 at a free port; the first start in a process loads the description. */
export async function serveGitHubRest(options: FrontOptions): Promise<Front> {
  const openApi = await loadGitHubOpenApi(options.emulated)
  const requests: RecordedRequest[] = []
  const hooks = new Map<string, () => void>()
  const server = createServer((req, res) => {
    void readBody(req).then(raw => {
      const url = new URL(req.url ?? '/', origin)
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        route: '',
        operationId: '',
        query: Object.fromEntries(url.searchParams),
        body: undefined,
        status: 0
      }
      let reply: Reply | 'hang'
      try {
        reply = answer(record, url, req.headers.authorization, raw)
      } catch (error) {
        reply = refusal(
          500,
          `Emulator bug: ${error instanceof Error ? error.stack : String(error)}`
        )
      }
      if (reply === 'hang') {
        // Accepted and never answered: the connection stays open until the emulator closes.
        requests.push(record)
        return
      }
      record.status = reply.status
      requests.push(record)
      const text = reply.body === undefined ? '' : JSON.stringify(reply.body)
      res.writeHead(reply.status, {
        ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
        ...reply.headers,
        'Content-Length': Buffer.byteLength(text)
      })
      res.end(text)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  function answer(
    record: RecordedRequest,
    url: URL,
    auth: string | undefined,
    raw: string
  ): Reply | 'hang' {
    const [scheme = '', credential] = (auth ?? '').split(' ')
    const readOnly = options.readOnly || credential === options.readOnlyToken
    if (
      !/^(token|bearer)$/i.test(scheme) ||
      (credential !== options.token && credential !== options.readOnlyToken)
    )
      return refusal(401, 'Bad credentials')
    const route = openApi.match(record.method, url.pathname)
    if (!route) return refusal(404, 'Not Found')
    record.route = route.template
    record.operationId = route.operationId
    const contract = openApi.contract(route.operationId)
    if (!contract) return refusal(501, `The emulator does not implement ${route.operationId}.`)
    const docs = contract.docsUrl
    const fault = takeFault(options.faults, route.operationId)
    if (fault) {
      try {
        record.body = raw ? JSON.parse(raw) : undefined
      } catch {
        // Recorded as far as it can be; the fault is the answer either way.
      }
      return fault === 'hang' ? 'hang' : fault
    }
    try {
      record.body = raw ? JSON.parse(raw) : undefined
    } catch {
      return refusal(400, 'Problems parsing JSON', docs)
    }
    const { params } = route
    const here = (name: string, value: string): boolean =>
      params[name]?.toLowerCase() === value.toLowerCase()
    if (!here('owner', options.owner) || !here('repo', options.repo))
      return refusal(404, 'Not Found', docs)
    if (contract.pathErrors(params).length > 0) return refusal(404, 'Not Found', docs)
    const invalid = [...contract.queryErrors(record.query), ...contract.bodyErrors(record.body)]
    if (invalid.length > 0) return validationFailed(contract, invalid)
    if (readOnly && WRITES.has(record.method))
      return refusal(403, 'Resource not accessible by integration', docs)
    const failure = options.failures[route.operationId]
    if (failure !== undefined) return refusal(failure, `Injected failure (${failure}).`, docs)
    hooks.get(route.operationId)?.()
    hooks.delete(route.operationId)
    let reply: Reply
    try {
      reply = options.carryOut({ ...route, query: record.query, body: record.body, url })
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      if (error.errors) return validationFailed(contract, error.errors)
      return refusal(error.status, error.message, docs)
    }
    if (options.uncheckedResponses.has(route.operationId)) return reply
    const wrong = contract.responseErrors(reply.status, reply.body)
    if (wrong.length === 0) return reply
    // An answer the emulator got wrong is a loud 500, never a silent pass.
    return refusal(500, `Emulator bug: ${route.operationId} answered ${wrong.join('; ')}`)
  }

  return {
    url: origin,
    requests,
    beforeNext: (operationId, action) => void hooks.set(operationId, action),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close(error => (error ? reject(error) : resolve()))
      })
  }
}

/** The fault the next request of `operationId` meets, if a rule holds one; the rule counts it. */
function takeFault(faults: FaultRule[], operationId: string): Reply | 'hang' | undefined {
  const index = faults.findIndex(f => f.operationId === operationId && f.times > 0)
  const rule = faults[index]
  if (!rule) return undefined
  rule.times -= 1
  if (rule.times <= 0) faults.splice(index, 1)
  if (rule.answer === 'hang') return 'hang'
  const message = rule.message ?? FAULT_MESSAGES[rule.answer] ?? `Injected fault (${rule.answer}).`
  const headers: Record<string, string> = { ...rule.headers }
  if (rule.retryAfter !== undefined) headers['retry-after'] = String(rule.retryAfter)
  const docs =
    rule.answer === 403 || rule.answer === 429
      ? 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'
      : DOCS
  return { ...refusal(rule.answer, message, docs), headers }
}

/** The shape of every GitHub error answer. */
function refusal(status: number, message: string, documentationUrl = DOCS): Reply {
  return { status, body: { message, documentation_url: documentationUrl, status: `${status}` } }
}

function validationFailed(contract: Contract, errors: FieldError[]): Reply {
  const resource = resourceOf(contract.operationId)
  const { body } = refusal(422, 'Validation Failed', contract.docsUrl)
  return {
    status: 422,
    body: { ...(body as Schema), errors: errors.map(e => ({ resource, ...e })) }
  }
}

function resourceOf(operationId: string): string {
  if (operationId.includes('comment')) return 'IssueComment'
  if (operationId.startsWith('checks/')) return 'CheckRun'
  return operationId.startsWith('pulls/') ? 'PullRequest' : 'Issue'
}

/** One page of `items` as GitHub serves it: `per_page` (default 30) and `page`, Link header. */
export function paginated(items: unknown[], request: OperationRequest): Reply {
  const perPage = Number(request.query.per_page ?? 30)
  const page = Number(request.query.page ?? 1)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const body = items.slice((page - 1) * perPage, page * perPage)
  // Like GitHub, no Link header when everything fits on one page.
  if (last === 1) return { status: 200, body }
  const link = (to: number, rel: string): string => {
    const url = new URL(request.url)
    url.searchParams.set('page', String(to))
    return `<${url.href}>; rel="${rel}"`
  }
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
    ...(page > 1 ? [link(1, 'first')] : [])
  ]
  return { status: 200, body, headers: { Link: links.join(', ') } }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
