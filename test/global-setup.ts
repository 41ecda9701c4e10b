/**
 * Runs once per `npm test`: copies the fixture crate into its own git repo
 * under .tmp/ and builds its test targets once, so every integration test
 * shares one build. The copy keeps timestamps, so a second run rebuilds nothing.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    fixtureDir: string
  }
}

/** Prepares the shared fixture copy and hands its path to the tests. */
export default function setup(project: TestProject): void {
  const root = resolve(import.meta.dirname, '..')
  const dir = join(root, '.tmp', 'fixture')
  mkdirSync(dir, { recursive: true })
  for (const entry of ['src', 'tests', 'benches', 'Cargo.toml', 'Cargo.lock']) {
    rmSync(join(dir, entry), { recursive: true, force: true })
    const from = join(root, 'fixture', entry)
    if (existsSync(from))
      cpSync(from, join(dir, entry), { recursive: true, preserveTimestamps: true })
  }
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  if (!existsSync(join(dir, '.git'))) {
    git('init', '-q', '-b', 'main')
    execFileSync('sh', ['-c', 'printf "target/\\n" > .gitignore'], { cwd: dir })
  }
  git('add', '-A')
  git(
    '-c',
    'user.name=fixture',
    '-c',
    'user.email=fixture@localhost',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'fixture'
  )
  for (const features of ['failpoints', 'failpoints,extra_check']) {
    execFileSync('cargo', ['test', '--features', features, '--tests', '--no-run', '--quiet'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit']
    })
  }
  project.provide('fixtureDir', dir)
}
