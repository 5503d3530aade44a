/** Runs the built `hwnas` (dist/cli/main.js) as a user would. Build first: npx tsc -p tsconfig.json */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const cliMain = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function assertCliBuilt(): void {
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: build first with npx tsc -p tsconfig.json`);
}

/** Runs hwnas with `args` (in `cwd`, or this process's directory); HWNAS_BACKEND is cleared unless `env` sets it. */
export function hwnas(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000, cwd?: string): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('HWNAS_BACKEND' in env)) delete childEnv['HWNAS_BACKEND'];
  return new Promise((resolve) => {
    execFile(process.execPath, [cliMain, ...args], { env: childEnv, timeout: timeoutMs, ...(cwd !== undefined ? { cwd } : {}) }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}
