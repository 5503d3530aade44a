/**
 * Whether the process that owns a running run is still searching it. A search refreshes its
 * run's heartbeat every HEARTBEAT_SECONDS; `--resume` may take a run over only when its
 * owner is gone: on this host, when no process has its pid (a kill -9 can be resumed at
 * once); elsewhere, or when the pid is reused, once the heartbeat is STALE_SECONDS old.
 */
export const HEARTBEAT_SECONDS = 10;
export const STALE_SECONDS = 6 * HEARTBEAT_SECONDS;

export interface RunOwner { ownerPid: number | null; ownerHost: string | null; heartbeatAt: number | null }

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds a run: nobody, this process, another live process, or a process that is gone. */
export type OwnerState = 'none' | 'this process' | 'alive' | 'gone';

/** `nowSeconds` and `host` are this process's clock and hostname. */
export function ownerState(owner: RunOwner, nowSeconds: number, host: string): OwnerState {
  const { ownerPid: pid, ownerHost, heartbeatAt } = owner;
  if (pid === null) return 'none';
  if (pid === process.pid && ownerHost === host) return 'this process';
  if (heartbeatAt === null || nowSeconds - heartbeatAt > STALE_SECONDS) return 'gone';
  if (ownerHost !== host) return 'alive';
  return processExists(pid) ? 'alive' : 'gone';
}

/** A run stored as running whose owner is gone (killed, or its machine went down): it waits for `--resume`. */
export function runStopped(run: RunOwner & { status: string }, nowSeconds: number, host: string): boolean {
  return run.status === 'running' && ownerState(run, nowSeconds, host) === 'gone';
}
