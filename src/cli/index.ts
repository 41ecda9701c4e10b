#!/usr/bin/env node
import { main } from './main.js'

// `mace-actions test --help | head` closes stdout early: no reason to crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: process.stdout,
  err: process.stderr
})
