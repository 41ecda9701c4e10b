/**
 * Build first: compile the test targets once with `cargo test --no-run`, under
 * its own timeout, so a compile error is reported as a build failure at the
 * compiler's own `file:line` and is never charged to a test timeout.
 */
import { featuresLabel } from './feature-flags.js'
import { existsSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import type { Logger } from '../shared/logger.js'
import { runProcess } from '../process/runner.js'
import type { CommandResult } from '../process/command-result.js'
import type { SourceLocation } from '../shared/source-location.js'

/** A compiler diagnostic from the build step. */
export interface BuildDiagnostic {
  level: 'error' | 'warning'
  message: string
  rendered?: string
  location?: SourceLocation
}

/** The build-first step: `cargo test --no-run` for one feature set. */
export interface BuildResult {
  features: string
  passed: boolean
  command: CommandResult
  diagnostics: BuildDiagnostic[]
}

/** What to build. */
export interface BuildRequest {
  /** `test` (default) builds test targets; `bench` builds bench targets. */
  command?: 'test' | 'bench'
  features: string
  /** Target selection, e.g. `['--tests']` or `['--test', 'basic']`. */
  targetArgs: string[]
  cargoArgs: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  timeoutSeconds: number
  repoRoot: string
  logPath: string
  logger: Logger
  signal?: AbortSignal
}

/** A compiled test binary. */
export interface TestExecutable {
  /** Target selector: `lib`, `bin:NAME` or the integration test name. */
  target: string
  executable: string
  manifestDir: string
}

/** The build result and the binaries it produced. */
export interface BuildOutcome {
  result: BuildResult
  executables: TestExecutable[]
}

/** `cargo test` arguments selecting features, or none for the default features. */
export function featureArgs(features: string): string[] {
  return features.trim() === '' ? [] : ['--features', features]
}

/** The command line `buildTests` runs for `req`. */
export function buildArgv(
  req: Pick<BuildRequest, 'command' | 'cargoArgs' | 'features' | 'targetArgs'>
): string[] {
  return [
    'cargo',
    req.command ?? 'test',
    ...req.cargoArgs,
    ...featureArgs(req.features),
    ...req.targetArgs,
    '--no-run',
    '--message-format=json-diagnostic-rendered-ansi'
  ]
}

/** Compiles the selected test targets and collects diagnostics and test binaries. */
export async function buildTests(req: BuildRequest): Promise<BuildOutcome> {
  const argv = buildArgv(req)
  const diagnostics: BuildDiagnostic[] = []
  const executables: TestExecutable[] = []
  let finished: boolean | undefined
  const cargoSaid = new CargoErrorLines()
  const onLine = (line: string): void => {
    if (!line.startsWith('{')) {
      req.logger.write(`${line}\n`)
      cargoSaid.add(line)
      return
    }
    let msg: CargoMessage
    try {
      msg = JSON.parse(line) as CargoMessage
    } catch {
      req.logger.write(`${line}\n`)
      return
    }
    if (msg.reason === 'compiler-message' && msg.message) {
      const d = toDiagnostic(msg, req)
      if (d) diagnostics.push(d)
      if (msg.message.rendered) req.logger.write(msg.message.rendered)
    } else if (msg.reason === 'compiler-artifact' && msg.executable && isRunnable(msg, req)) {
      const target = targetSelector(msg.target?.kind ?? [], msg.target?.name ?? '')
      if (target) {
        executables.push({
          target,
          executable: msg.executable,
          manifestDir: dirname(msg.manifest_path ?? resolve(req.cwd, 'Cargo.toml'))
        })
      }
    } else if (msg.reason === 'build-finished') {
      finished = msg.success === true
    }
  }
  req.logger.startGroup(
    `Build ${req.command === 'bench' ? 'benches' : 'tests'} in ${req.cwd} (features: ${featuresLabel(req.features, req.cargoArgs).replace('(none)', 'default')})`
  )
  const outcome = await runProcess({
    argv,
    cwd: req.cwd,
    env: req.env,
    timeoutSeconds: req.timeoutSeconds,
    logPath: req.logPath,
    onLine,
    maxLineBytes: 4 * 1024 * 1024,
    signal: req.signal,
    heartbeat: line => req.logger.info(line)
  })
  req.logger.endGroup()
  const passed = outcome.exitCode === 0 && !outcome.timedOut && finished !== false
  return {
    result: {
      features: req.features,
      passed,
      command: {
        argv,
        cwd: req.cwd,
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        timedOut: outcome.timedOut,
        timeoutSeconds: req.timeoutSeconds,
        durationMs: outcome.durationMs,
        logPath: req.logPath
      },
      diagnostics: keptDiagnostics(diagnostics, cargoSaid, passed)
    },
    executables
  }
}

/**
 * The compiler's errors (and warnings, when the build failed), else cargo's
 * own refusal (an unknown target, feature or package), which is no compiler
 * message; each once, at most 200.
 */
function keptDiagnostics(
  compiler: BuildDiagnostic[],
  cargo: CargoErrorLines,
  passed: boolean
): BuildDiagnostic[] {
  const failedSilently = !passed && !compiler.some(d => d.level === 'error')
  // `cargo test` compiles a library twice (for its unit tests and as the
  // integration tests' dependency): the same error comes twice, kept once.
  const seen = new Set<string>()
  return [...compiler, ...(failedSilently ? cargo.diagnostics() : [])]
    .filter(d => d.level === 'error' || !passed)
    .filter(d => {
      const key = JSON.stringify([d.level, d.rendered ?? d.message, d.location])
      return seen.has(key) ? false : (seen.add(key), true)
    })
    .slice(0, 200)
}

/**
 * Cargo's own `error: …` lines on stderr (not compiler messages), each with
 * the `help:` and indented lines after it: `error: no test target named
 * \`x\`` then `help: available test targets:` and the list.
 */
class CargoErrorLines {
  private readonly found: string[][] = []
  private open = false

  add(line: string): void {
    if (line.startsWith('error:')) {
      this.found.push([line])
      this.open = true
    } else if (this.open && /^(help:|note:|Caused by:|\s+\S)/.test(line) && this.found.length) {
      this.found[this.found.length - 1]!.push(line)
    } else {
      this.open = false
    }
  }

  diagnostics(): BuildDiagnostic[] {
    return this.found.slice(0, 5).map(lines => {
      const text = lines.slice(0, 40).join('\n')
      return { level: 'error', message: lines[0]!.replace(/^error:\s*/, ''), rendered: text }
    })
  }
}

interface CargoMessage {
  reason?: string
  manifest_path?: string
  executable?: string | null
  success?: boolean
  profile?: { test?: boolean }
  target?: { kind?: string[]; name?: string }
  message?: {
    level?: string
    message?: string
    rendered?: string
    spans?: { file_name: string; line_start: number; column_start: number; is_primary: boolean }[]
  }
}

/** Test binaries for `cargo test`; bench binaries (harness or not) for `cargo bench`. */
function isRunnable(msg: CargoMessage, req: BuildRequest): boolean {
  const kind = msg.target?.kind ?? []
  return req.command === 'bench' ? kind.includes('bench') : msg.profile?.test === true
}

function targetSelector(kind: string[], name: string): string | undefined {
  if (kind.includes('bench')) return `bench:${name}`
  if (kind.includes('test')) return name
  if (kind.includes('bin')) return `bin:${name}`
  if (kind.some(k => ['lib', 'rlib', 'dylib', 'cdylib', 'staticlib', 'proc-macro'].includes(k))) {
    return 'lib'
  }
  return undefined // benches and examples are not test layers
}

function toDiagnostic(msg: CargoMessage, req: BuildRequest): BuildDiagnostic | undefined {
  const m = msg.message!
  if (m.level !== 'error' && m.level !== 'warning') return undefined
  // The summary line "aborting due to N previous errors" carries no span and no news.
  if (!m.spans || m.spans.length === 0) {
    if (/^aborting due to|^could not compile/.test(m.message ?? '')) return undefined
  }
  const span = m.spans?.find(s => s.is_primary) ?? m.spans?.[0]
  const location = span
    ? repoLocation(span.file_name, span.line_start, span.column_start, msg, req)
    : undefined
  return {
    level: m.level,
    message: m.message ?? '',
    ...(m.rendered ? { rendered: stripAnsi(m.rendered) } : {}),
    ...(location ? { location } : {})
  }
}

/** Span paths are relative to the workspace root; keep only files inside the repository. */
function repoLocation(
  file: string,
  line: number,
  column: number,
  msg: CargoMessage,
  req: BuildRequest
): SourceLocation | undefined {
  const candidates = isAbsolute(file)
    ? [file]
    : spanBases(msg.manifest_path, req).map(b => resolve(b, file))
  const found = candidates.find(p => existsSync(p))
  if (!found) return undefined
  const rel = relative(req.repoRoot, found)
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined
  return { file: rel.split('\\').join('/'), line, column }
}

/** The package dir and its parents up to the repo root: one of them is the workspace root. */
function spanBases(manifestPath: string | undefined, req: BuildRequest): string[] {
  const bases: string[] = []
  let dir = manifestPath ? dirname(manifestPath) : req.cwd
  for (;;) {
    bases.push(dir)
    const up = dirname(dir)
    if (
      up === dir ||
      relative(req.repoRoot, dir) === '' ||
      relative(req.repoRoot, dir).startsWith('..')
    )
      break
    dir = up
  }
  return [...bases, req.cwd]
}

/** Removes ANSI colour codes (cargo renders diagnostics in colour for the log). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '')
}
