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

/** `nowSeconds` and `host` are this process's clock and hostname; this process never counts as another owner. */
export function ownerAlive(owner: RunOwner, nowSeconds: number, host: string): boolean {
  const { ownerPid: pid, ownerHost, heartbeatAt } = owner;
  if (pid === null || heartbeatAt === null || nowSeconds - heartbeatAt > STALE_SECONDS) return false;
  if (ownerHost !== host) return true;
  return pid !== process.pid && processExists(pid);
}

/** A run stored as running whose owner is gone (killed, or its machine went down): it waits for `--resume`. */
export function runStopped(run: RunOwner & { status: string }, nowSeconds: number, host: string): boolean {
  const self = run.ownerPid === process.pid && run.ownerHost === host;
  return run.status === 'running' && run.ownerPid !== null && !self && !ownerAlive(run, nowSeconds, host);
}
