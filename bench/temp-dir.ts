/**
 * Temporary directories for a bench's databases (bench:dashboard's alone is 25 MB). Each
 * is removed when the bench exits; one that Ctrl-C or a crash left behind is removed by
 * the next bench that starts. A signal handler cannot do it: the benches run synchronous
 * loops for tens of seconds, and a handler would only run (and Ctrl-C only stop them)
 * once the loop ended. Each directory holds its owner's pid, so a bench running beside
 * this one keeps its own.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'hwnas-bench-';
const open = new Set<string>();
let started = false;

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (error) { return (error as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Removes directories of benches that are no longer running. */
function removeAbandoned(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try { owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8')); } catch { continue; } // not ours, or being made
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) rmSync(dir, { recursive: true, force: true });
  }
}

export function benchTempDir(name: string): string {
  if (!started) {
    started = true;
    removeAbandoned();
    process.on('exit', () => { for (const dir of open) rmSync(dir, { recursive: true, force: true }); });
  }
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${name}-`));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  open.add(dir);
  return dir;
}

/** Removes one now (a bench that makes one per measurement). */
export function removeBenchTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  open.delete(dir);
}
