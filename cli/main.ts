#!/usr/bin/env node
/**
 * The `hwnas` executable. Sets the exit code rather than calling process.exit so piped
 * output is flushed before the process ends.
 */
import { commands } from './commands/index.js';
import { runCli } from './router.js';

process.exitCode = await runCli(process.argv.slice(2), commands);
