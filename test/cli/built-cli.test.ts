/**
 * Runs the built `hwnas` (dist/cli/main.js) as a user would. Build first: npx tsc -p tsconfig.json
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, hwnas } from '../helpers/run-cli.js';

beforeAll(assertCliBuilt);

describe('hwnas (built)', () => {
  it('prints usage listing doctor for --help', async () => {
    const run = await hwnas(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('usage: hwnas <command> [options]');
    expect(run.stdout).toMatch(/^ {2}doctor {2}/m);
  });

  it('prints the package version for --version', async () => {
    const run = await hwnas(['--version']);
    expect(run).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('prints a command\'s usage for <cmd> --help and help <cmd>', async () => {
    const viaFlag = await hwnas(['doctor', '--help']);
    const viaHelp = await hwnas(['help', 'doctor']);
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toContain('usage: hwnas doctor [--backend NAME] [--data DIR] [--json]');
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it('rejects an unknown flag with one line and exit 2', async () => {
    const run = await hwnas(['doctor', '--foo']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("hwnas: unknown option '--foo' for 'doctor' (see hwnas doctor --help)\n");
  });

  it('rejects an unknown command with one line and exit 2', async () => {
    const run = await hwnas(['doctr']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("hwnas: unknown command 'doctr'; did you mean 'doctor'? (see hwnas --help)\n");
  });

  it('reports an unknown --backend as a usage error', async () => {
    const run = await hwnas(['doctor', '--backend', 'cuda']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(/^hwnas: unknown backend 'cuda'; valid backends: /);
  });

  it('refuses a --data directory that does not exist, rather than reporting every dataset missing', async () => {
    for (const args of [['doctor'], ['data', 'list'], ['train'], ['search']]) {
      const run = await hwnas([...args, '--data', '/nonexistent-data-dir']);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^hwnas: --data \/nonexistent-data-dir is not a directory\n {2}hint: give the directory that holds/);
    }
  });

  it('doctor --json is one JSON object naming wasm', async () => {
    const run = await hwnas(['doctor', '--json']);
    expect(run.code).toBe(0);
    const report: unknown = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      hwnas: '0.1.0',
      ok: true,
      node: { ok: true },
      backend: { ok: true, name: 'wasm', tfBackendName: 'wasm', wasm: { simd: true } },
      training: { ok: true },
    });
  });

  it('doctor exits 0 and shows the backend and why native ones did not load', async () => {
    const run = await hwnas(['doctor']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^hwnas 0\.1\.0 doctor\n/);
    expect(run.stdout).toMatch(/^ {2}backend {5}wasm ✓ \(simd ✓/m);
    expect(run.stdout).toMatch(/^ {4}tensorflow-gpu {2}✗ not installed/m);
    expect(run.stdout).toMatch(/^ {2}kernels {5}Conv2DBackpropFilter/m);
    expect(run.stdout).toMatch(/^ {2}datasets {4}/m);
    for (const line of run.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('doctor with HWNAS_BACKEND=tensorflow exits 1 with a one-line error', async () => {
    const run = await hwnas(['doctor'], { HWNAS_BACKEND: 'tensorflow' });
    expect(run.code).toBe(1);
    const [message, hint, ...rest] = run.stderr.trimEnd().split('\n');
    expect(message).toMatch(/^hwnas: backend 'tensorflow' could not load: not installed \(@tensorflow\/tfjs-node;/);
    expect(hint).toMatch(/^ {2}hint: install it with 'npm install @tensorflow\/tfjs-node'/);
    expect(rest).toEqual([]);
    // Only the backend asked for was tried: wasm may well train here.
    expect(run.stdout).toMatch(/^ {2}backend {5}✗ tensorflow \(asked for\) cannot load; others not tried$/m);
    for (const line of run.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('doctor --backend cpu exits 0 without tfjs\'s "install tfjs-node" banner', async () => {
    const run = await hwnas(['doctor', '--backend', 'cpu']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}backend {5}cpu ✓/m);
    expect(run.stderr).toBe('');
  });
});
