#!/usr/bin/env -S node --single-threaded-gc
/**
 * The `hwnas` executable. Sets the exit code rather than calling process.exit so piped
 * output is flushed before the process ends. The shebang runs V8 with one GC thread:
 * pool workers keep every core training, and V8's parallel GC helpers would compete with
 * them (bench:pool, 2 workers on 2 cores). V8 flags cannot be set once node runs.
 */
import { commands } from './commands/index.js';
import { runCli } from './router.js';

// `hwnas show 3 | head`: a reader that stops early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  // A command that stops cleanly on a signal (search: running trials recorded as interrupted, the
  // run resumable) stops so now, its output dropped: exiting here left them running, with exit 0.
  if (process.listenerCount('SIGTERM') > 0) {
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.emit('SIGTERM', 'SIGTERM');
    return;
  }
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2), commands);
