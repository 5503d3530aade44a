/**
 * End-to-end searches through the built CLI on real data (mnist, the mlp space: small
 * enough that a trial trains in about a second).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite.js';
import { assertCliBuilt, cliMain, hwnas } from '../helpers/run-cli.js';

beforeAll(assertCliBuilt);

const fast = ['--space', 'mlp', '--epochs', '0.15', '--dataset', 'mnist'];
const tmpDb = () => join(mkdtempSync(join(tmpdir(), 'hwnas-search-')), 'runs.db');

function readRun(db: string) {
  const store = SqliteStore.open(db, { readonly: true });
  const run = store.latestRun()!;
  const trials = store.trials(run.id);
  const detail = trials.map((t) => ({ ...t, epochs: store.epochs(t.id).length, costs: store.costs(t.id).length }));
  store.close();
  return { run, trials: detail };
}

/** Starts a search, sends `signal` once `trials` trials are reported, and checks it stopped as Ctrl-C stops it. */
async function stopAfterTrials(args: string[], trials: number, signal: NodeJS.Signals) {
  const db = args[args.indexOf('--db') + 1]!;
  const child = spawn(process.execPath, [cliMain, 'search', ...fast, '--seed', '6', ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = 0, sent = false;
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').filter((l) => l.includes('"kind":"trial"')).length;
      if (seen >= trials && !sent) { sent = true; child.kill(signal); resolve(); }
    });
    setTimeout(() => reject(new Error('search made no progress')), 120_000);
  });
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  expect(code).toBe(130);
  const stopped = readRun(db);
  expect(stopped.run.status).toBe('interrupted');
  expect(stopped.trials.filter((t) => t.status === 'running' || t.status === 'queued')).toEqual([]);
  return stopped;
}

describe('hwnas search', () => {
  it('runs a real search with 2 workers and records every trial in the store', async () => {
    const db = tmpDb();
    const result = await hwnas(['search', ...fast, '--epochs', '0.6', '--trials', '6', '--workers', '2', '--seed', '1', '--db', db, '--json'], {}, 180_000);
    expect(result.code).toBe(0);
    const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
    expect(events.filter((e) => e.kind === 'trial')).toHaveLength(6);
    const { run, trials } = readRun(db);
    expect(run.status).toBe('complete');
    expect(run.strategyState).not.toBeNull();
    expect(trials).toHaveLength(6);
    expect(trials.map((t) => t.number).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    // 0.6 epochs (about 65 steps) is enough for the better candidates to learn, not for all of them.
    expect(Math.max(...trials.map((t) => t.accuracy!))).toBeGreaterThan(0.6);
    const best = await hwnas(['best', '--db', db, '--json']);
    expect(best.code).toBe(0);
    expect((JSON.parse(best.stdout) as { accuracy: number }).accuracy).toBe(Math.max(...trials.map((t) => t.accuracy!)));
    const budget = [...trials].sort((a, b) => a.macs! - b.macs!)[2]!.macs! / 1e6;
    const underBudget = await hwnas(['best', '--db', db, '--max-latency', `${budget}ms`, '--profile', 'proxy', '--json']);
    const answer = JSON.parse(underBudget.stdout) as { costs: Array<{ latencyMs: number }>; accuracy: number };
    expect(answer.costs[0]!.latencyMs).toBeLessThanOrEqual(budget);
    expect(answer.accuracy).toBe(Math.max(...trials.filter((t) => t.macs! / 1e6 <= budget).map((t) => t.accuracy!)));
    expect((await hwnas(['runs', '--db', db])).stdout).toMatch(/^run-1 +finished +mlp\/mnist\/evolution +6 complete, 0 failed/m);
    for (const t of trials) {
      expect(t.status).toBe('complete');
      expect(t.accuracy).toBeGreaterThan(0);
      expect(t.epochs).toBeGreaterThan(0);
      expect(t.costs).toBe(1);
      expect(new Set([1, 2])).toContain(t.worker);
    }
  });

  it('marks a throwing, a crashing and a diverging trial failed with their reasons and completes the rest', async () => {
    const db = tmpDb();
    const result = await hwnas(['search', ...fast, '--trials', '6', '--workers', '2', '--seed', '2', '--db', db, '--fault-trials', '1:throw,2:exit,3:diverge'], {}, 180_000);
    expect(result.code).toBe(0);
    const { trials } = readRun(db);
    const byNumber = new Map(trials.map((t) => [t.number, t]));
    expect(byNumber.get(1)).toMatchObject({ status: 'failed' });
    expect(byNumber.get(1)!.error).toMatch(/injected worker fault/);
    expect(byNumber.get(2)).toMatchObject({ status: 'failed' });
    expect(byNumber.get(2)!.error).toMatch(/worker crashed/);
    expect(byNumber.get(3)!.error).toMatch(/^diverged: training loss became (NaN|Infinity)/);
    expect(trials.filter((t) => t.status === 'complete').length).toBe(3);
    expect(result.stdout).toMatch(/finished: 3 complete, 3 failed/);
  });

  it('survives kill -9: resume keeps every completed trial exactly once and finishes the budget', async () => {
    const db = tmpDb();
    const child = spawn(process.execPath, [cliMain, 'search', ...fast, '--trials', '10', '--workers', '2', '--seed', '3', '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let completed = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        completed += chunk.toString().split('\n').filter((l) => l.includes('"kind":"trial"')).length;
        if (completed >= 3) { child.kill('SIGKILL'); resolve(); }
      });
      child.on('exit', () => resolve());
      setTimeout(() => reject(new Error('search made no progress')), 120_000);
    });
    await new Promise((r) => child.once('exit', r));
    const before = readRun(db).trials.filter((t) => t.status === 'complete');
    expect(before.length).toBeGreaterThanOrEqual(3);
    // Its process is gone: the run is stopped, not running, and resumes at once.
    const listed = (await hwnas(['runs', '--db', db])).stdout;
    expect(listed).toMatch(/^run-1 +stopped /);
    // The trials it was training when killed are counted, as unfinished, not left out.
    const left = readRun(db).trials.filter((t) => t.status === 'running' || t.status === 'queued');
    const unfinished = left.length;
    if (unfinished > 0) {
      expect(listed).toMatch(new RegExp(`, ${unfinished} unfinished$`, 'm'));
      // Not "running": its process is gone, and show and export say what will become of it.
      expect((await hwnas(['show', String(left[0]!.number), '--db', db])).stdout).toMatch(/^run 'run-1', trial \d+: unfinished \(its run stopped; hwnas search --resume --db .* --name run-1 trains it again\)$/m);
      expect((await hwnas(['export', String(left[0]!.number), '--db', db, '--out', join(dirname(db), 'unfinished')])).stderr).toMatch(/^hwnas: trial \d+ of run 'run-1' never finished: its run stopped\n  hint: hwnas search --resume/);
    }
    const resumed = await hwnas(['search', '--resume', '--db', db], {}, 180_000);
    expect(resumed.code).toBe(0);
    const { run, trials } = readRun(db);
    expect(run.status).toBe('complete');
    for (const t of before) expect(trials.find((u) => u.id === t.id)).toMatchObject({ number: t.number, status: 'complete', accuracy: t.accuracy });
    const numbers = trials.filter((t) => t.status === 'complete').map((t) => t.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.length).toBe(10);
  });

  it('stops cleanly on Ctrl-C: running trials become interrupted, nothing else changes, resume finishes', async () => {
    const db = tmpDb();
    // One Ctrl-C, as a user presses it (a second one means "force quit").
    const stopped = await stopAfterTrials(['--trials', '8', '--workers', '2', '--db', db], 2, 'SIGINT');
    const completed = stopped.trials.filter((t) => t.status === 'complete');
    expect(completed.length).toBeGreaterThanOrEqual(2);
    const resumed = await hwnas(['search', '--resume', '--db', db], {}, 180_000);
    expect(resumed.code).toBe(0);
    const after = readRun(db);
    for (const t of completed) expect(after.trials.find((u) => u.id === t.id)).toMatchObject({ status: 'complete', accuracy: t.accuracy });
    expect(after.trials.filter((t) => t.status === 'complete').length).toBe(8);
  });

  it('a Ctrl-C while the search starts (its run stored, the worker pool not up yet) records the run as interrupted, not running', async () => {
    const db = tmpDb();
    const child = spawn(process.execPath, [cliMain, 'search', ...fast, '--seed', '6', '--trials', '4', '--workers', '2', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The moment the run's row exists: the pool takes about half a second to start after it.
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        let runs = 0;
        try {
          const sqlite = new Database(db, { readonly: true, fileMustExist: true });
          runs = (sqlite.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
          sqlite.close();
        } catch { /* not created yet */ }
        if (runs > 0) { clearInterval(poll); child.kill('SIGINT'); resolve(); } else if (Date.now() - started > 60_000) { clearInterval(poll); reject(new Error('no run was stored')); }
      }, 5);
    });
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(130);
    const stopped = readRun(db);
    expect(stopped.run.status).toBe('interrupted');
    expect(stopped.trials.filter((t) => t.status === 'running' || t.status === 'queued')).toEqual([]);
  });

  const nb201Table = fileURLToPath(new URL('../../../shared/benchmarks/nb201.json', import.meta.url));
  if (!existsSync(nb201Table)) console.log(`skipping the table-lookup resume test: ${nb201Table} not found`);
  it.skipIf(!existsSync(nb201Table))('refuses to resume a table-lookup run whose table is gone, in one line, failing no trial', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hwnas-table-'));
    const table = join(dir, 'table.json'), db = join(dir, 'runs.db');
    copyFileSync(nb201Table, table);
    expect((await hwnas(['search', '--space', 'nb201', '--evaluator', 'tabular', '--table', table, '--trials', '3', '--db', db])).code).toBe(0);
    // As if it had been stopped with trials to go; then the table moves away.
    const sqlite = new Database(db);
    sqlite.prepare("UPDATE runs SET status = 'interrupted', config_json = json_set(config_json, '$.trials', 6)").run();
    sqlite.close();
    renameSync(table, join(dir, 'moved.json'));
    const r = await hwnas(['search', '--resume', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hwnas: .*table\.json: no such table file\n  hint: a resumed run reads the files it started with: put them back where they were, or start a new run\n$/);
    expect(readRun(db).trials.map((t) => t.status)).toEqual(['complete', 'complete', 'complete']);
  });

  it.skipIf(!existsSync(nb201Table))('refuses an energy budget on a table device without energies before the run', async () => {
    const db = tmpDb();
    const r = await hwnas(['search', '--space', 'nb201', '--evaluator', 'tabular', '--table', nb201Table, '--profile', 'tabular:raspi4', '--max-energy', '1mJ', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hwnas: --max-energy cannot be checked on tabular:raspi4: the table has no raspi4_energy column for cifar10\n/);
    expect(existsSync(db)).toBe(false);
  });

  it('stops as on Ctrl-C when its reader goes away (search | head -1), not with running trials and exit 0', async () => {
    const db = tmpDb();
    const child = spawn(process.execPath, [cliMain, 'search', ...fast, '--trials', '20', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    // The first line read, the pipe is closed: the next line written fails with EPIPE.
    await new Promise<void>((resolve) => child.stdout.once('data', () => { child.stdout.destroy(); resolve(); }));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(stderr).toBe('');
    expect(code).toBe(130);
    const stopped = readRun(db);
    expect(stopped.run.status).toBe('interrupted');
    expect(stopped.trials.filter((t) => t.status === 'running' || t.status === 'queued')).toEqual([]);
  });

  it('stops on SIGTERM as on Ctrl-C (docker stop, systemd, a cancelled CI job)', async () => {
    await stopAfterTrials(['--trials', '6', '--workers', '1', '--db', tmpDb()], 1, 'SIGTERM');
  });

  it('proposes the same genotypes for a seed with 1 or 2 workers', async () => {
    const hashes = async (workers: string) => {
      const db = tmpDb();
      const r = await hwnas(['search', ...fast, '--strategy', 'evolution', '--trials', '6', '--workers', workers, '--seed', '4', '--db', db], {}, 180_000);
      expect(r.code).toBe(0);
      return readRun(db).trials.sort((a, b) => a.number - b.number).map((t) => `${t.number}:${t.genotypeHash}:${t.seed}`);
    };
    expect(await hashes('2')).toEqual(await hashes('1'));
  }, 400_000); // two searches, each allowed 180 s: a loaded machine must not fail it on the default timeout

  it.each([
    [['--trials', '0'], /option '--trials' must be an integer >= 1, got '0'/],
    [['--max-latency', '2xs'], /--max-latency/],
    [['--strategy', 'bayes'], /unknown strategy 'bayes'/],
    [['--space', 'resnet'], /unknown space 'resnet'/],
    // Case and small typos get the name meant; anything else the list.
    [['--strategy', 'NSGA2'], /^hwnas: unknown strategy 'NSGA2'; did you mean 'nsga2'\?$/m],
    [['--space', 'MLP'], /^hwnas: unknown space 'MLP'; did you mean 'mlp'\?$/m],
    [['--profile', 'Raspberry-Pi-4'], /^hwnas: unknown profile 'Raspberry-Pi-4'; did you mean 'raspberry-pi-4'\?$/m],
    [['--optimizer', 'adamw'], /^hwnas: unknown optimizer 'adamw'; did you mean 'adam'\?\n {2}hint: use one of adam, sgd, momentum, rmsprop$/m],
    [['--schedule', 'linear'], /^hwnas: unknown schedule 'linear'\n {2}hint: use one of constant, cosine, step, exponential$/m],
    [['--resume', '--db', '/nonexistent-dir/x.db'], /^hwnas: no database at \/nonexistent-dir\/x.db/m],
    // parseArgs reads '-1' as an option; the check on the value must still be the one that answers.
    [['--trials', '-1'], /^hwnas: option '--trials' must be an integer >= 1, got '-1'$/m],
    [['--max-latency', '-2ms'], /^hwnas: invalid --max-latency '-2ms': must not be negative/m],
    [['--backend', 'foo'], /^hwnas: unknown backend 'foo'/m],
    [['--workers', '1000'], /^hwnas: --workers 1000 is more than 4 per core/m],
    [['--resume', '--trials', '50', '--seed', '2'], /^hwnas: --resume continues a run with the settings it was started with; drop --trials, --seed$/m],
    [['--time', '0s'], /^hwnas: option '--time' must be longer than 0, got '0s'$/m],
    [['--max-latency', '0ms'], /^hwnas: option '--max-latency' must be more than 0: no model fits a zero budget$/m],
    [['--trial-timeout', '0m'], /^hwnas: option '--trial-timeout' must be longer than 0, got '0m'$/m],
    [['--seed', '1e20'], /^hwnas: option '--seed' must be an integer >= 0 and at most 9007199254740991, got '1e20'$/m],
    [['--name', ' '], /^hwnas: --name must be a visible name without line breaks, got " "$/m],
    [['--name', 'a\nb'], /^hwnas: --name must be a visible name without line breaks, got "a\\nb"$/m],
    [['--profile', 'raspberry-pi-4,'], /^hwnas: --profile has an empty entry: 'raspberry-pi-4,'$/m],
    [['--db', ''], /^hwnas: --db '' names no file: SQLite would keep the results in memory and lose them on exit$/m],
  ])('rejects %j with a one-line error', async (args, message) => {
    const r = await hwnas(['search', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  // Offline, npm skips tfjs-node (its install downloads libtensorflow); where it installed, there is nothing to refuse.
  const tfjsNodeInstalled = (() => { try { createRequire(import.meta.url).resolve('@tensorflow/tfjs-node'); return true; } catch { return false; } })();
  it.skipIf(tfjsNodeInstalled)('refuses a named backend that cannot load before the run, not with a crashed worker per trial', async () => {
    const db = tmpDb();
    const r = await hwnas(['search', '--space', 'mlp', '--backend', 'node', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hwnas: backend 'tensorflow' could not load: not installed/m);
    expect(existsSync(db)).toBe(false);
  });

  it('creates no database, and no run, when a flag, the dataset or the run to resume is wrong', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--space', 'mlp', '--dataset', 'fashon-mnist'], /^hwnas: unknown dataset 'fashon-mnist'/],
      [['--space', 'mlp', '--profile', 'raspbery-pi-4'], /^hwnas: unknown profile 'raspbery-pi-4'/],
      [['--resume'], /^hwnas: no database at /],
    ];
    for (const [args, message] of cases) {
      const db = tmpDb();
      const r = await hwnas(['search', ...args, '--db', db]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(db), args.join(' ')).toBe(false);
    }
    // An empty file (touched, or truncated) is not made a store by a resume that finds no run in it.
    const empty = tmpDb();
    writeFileSync(empty, '');
    const nothing = await hwnas(['search', '--resume', '--db', empty]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/^hwnas: .* is an empty file: no run to resume$/m);
    expect(readFileSync(empty).length).toBe(0);
    // An existing database gets no run from a failed start either.
    const db = tmpDb();
    await hwnas(['search', '--space', 'mlp', '--trials', '1', '--epochs', '0.05', '--workers', '1', '--db', db]);
    await hwnas(['search', '--space', 'mlp', '--dataset', 'fashon-mnist', '--db', db]);
    expect((await hwnas(['runs', '--db', db])).stdout.trim().split('\n')).toHaveLength(1);
  });

  it('says when a multi-fidelity run was too short for any trial to reach full fidelity', async () => {
    const r = await hwnas(['search', ...fast, '--strategy', 'halving', '--trials', '2', '--workers', '1', '--db', tmpDb()], {}, 120_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/; best trial \d+: [\d.]+% test accuracy \(at reduced fidelity\)\nno trial reached full fidelity \(0\.15 epochs\): every accuracy above is a cheap estimate/);
  });

  it('says how far off a budget no proposal can meet is', async () => {
    const r = await hwnas(['search', '--space', 'mlp', '--trials', '2', '--max-latency', '0.001ms', '--profile', 'raspberry-pi-4', '--db', tmpDb()], {}, 120_000);
    expect(r.code).toBe(1);
    // Ten rejections shown, the other 1,990 counted in one line.
    expect(r.stdout.match(/rejected before training: predicted latency/g)).toHaveLength(10);
    expect(r.stdout).toMatch(/^ +\.\.\. and 1,990 more rejected before training$/m);
    expect(r.stdout).toMatch(/^finished: 0 complete, 0 failed, 2000 rejected before training\nno proposal fits latency <= 0.001 ms \(raspberry-pi-4\); the smallest predicted: latency [\d.]+ ms\nloosen the budgets/m);
  });

  it('stores a relative --data as an absolute path: resume and export --retrain run from any directory', async (context) => {
    const fashion = '/usr/share/datasets/fashion-mnist';
    if (!existsSync(fashion)) context.skip(`${fashion} is absent (apt-get install dataset-fashion-mnist)`);
    const dir = mkdtempSync(join(tmpdir(), 'hwnas-data-'));
    symlinkSync(fashion, join(dir, 'fm'));
    const r = await hwnas(['search', '--space', 'mlp', '--dataset', 'fashion-mnist', '--data', 'fm', '--trials', '1', '--workers', '1', '--fault-trials', '0:throw', '--db', 'runs.db'], {}, 120_000, dir);
    expect(r.stderr).toBe('');
    expect((readRun(join(dir, 'runs.db')).run.config as { dataset: { dataDir: string } }).dataset.dataDir).toBe(join(dir, 'fm'));
  });

  it('ends a run over a space smaller than --trials once every genotype was proposed, each once, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hwnas-small-'));
    const one = (values: unknown[]) => ({ type: 'categorical', values });
    // Two genotypes: depth 1, 32 units, relu or relu6, nothing compressed.
    writeFileSync(join(dir, 'two.json'), JSON.stringify({ name: 'two', base: 'mlp', params: {
      depth: { type: 'int', low: 1, high: 1 }, 'layer0.units': one([32]), activation: one(['relu', 'relu6']), 'prune.sparsity': one([0]), 'prune.channels': one([0]),
      'lowrank.rank': one([1]), 'quant.bits': one([32]), 'cluster.k': one([0]), 'distill.alpha': one([0]), 'encode.huffman': one([false]) } }));
    const db = join(dir, 'runs.db');
    const r = await hwnas(['search', '--space', join(dir, 'two.json'), '--strategy', 'random', '--trials', '6', '--workers', '1', '--fault-trials', '0:throw,1:throw', '--db', db], {}, 120_000);
    expect(r.stdout).toMatch(/^all 2 genotypes of the space were proposed, so the run ended before --trials 6$/m);
    expect(new Set(readRun(db).trials.map((t) => t.genotypeHash)).size).toBe(2);
    expect(readRun(db).trials).toHaveLength(2);
  });

  it('stops a run whose trials all fail, says why, keeps it resumable and exits 1', async () => {
    const db = tmpDb();
    // Every trial outlives a 1 ms limit: a cause every trial shares, as a backend that cannot load would be.
    const r = await hwnas(['search', '--space', 'mlp', '--trials', '40', '--epochs', '1', '--trial-timeout', '1ms', '--workers', '1', '--db', db], {}, 120_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^stopped: 10 trials in a row failed, the last with: timed out after 0\.001 s of training$/m);
    expect(r.stdout).toMatch(/^fix the cause, then continue with: hwnas search --resume --db .* --name run-1/m);
    const store = SqliteStore.open(db, { readonly: true });
    const run = store.latestRun()!;
    expect(run.status).toBe('interrupted');
    expect(store.counts(run.id).byStatus.failed).toBe(10);
    store.close();
  });

  it('does not blame the budgets when proposals fitted them and then failed in training', async () => {
    const faults = Array.from({ length: 60 }, (_, i) => `${i}:throw`).join(',');
    const r = await hwnas(['search', '--space', 'mlp', '--trials', '3', '--workers', '1', '--seed', '2', '--max-size', '20KB', '--profile', 'raspberry-pi-4',
      '--fault-trials', faults, '--db', tmpDb()], {}, 120_000);
    expect(r.stdout).toMatch(/rejected before training: predicted size [\d.]+ KiB > budget 20 kB/);
    expect(r.stdout).toMatch(/^finished: 0 complete, 3 failed, [1-9]\d* rejected before training$/m);
    expect(r.stdout).not.toMatch(/no proposal fits/);
  });

  it('says how to continue when the store fails under a running search (a lock held past the busy timeout)', async () => {
    const db = tmpDb();
    const search = hwnas(['search', ...fast, '--trials', '2', '--workers', '1', '--db', db], {}, 120_000);
    // Once the run is in the database, hold the write lock longer than the search waits for it (5 s).
    let locker: Database.Database | null = null;
    for (let i = 0; i < 300 && locker === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (!existsSync(db)) continue;
      const open = new Database(db);
      try {
        if ((open.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n > 0) { open.exec('BEGIN EXCLUSIVE'); locker = open; }
      } catch { /* not created yet, or busy: try again */ }
      if (locker === null) open.close();
    }
    expect(locker).not.toBeNull();
    const r = await search;
    locker!.exec('COMMIT');
    locker!.close();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hwnas: .*runs\.db is locked by another writer/m);
    expect(r.stdout).toMatch(/^the run stopped; once the cause below is fixed, continue with: hwnas search --resume --db .* --name run-1$/m);
    // Nothing it had stored is lost, and the resume finishes the run.
    const resumed = await hwnas(['search', '--resume', '--db', db], {}, 120_000);
    expect(resumed.code).toBe(0);
    expect(readRun(db).trials.filter((t) => t.status === 'complete')).toHaveLength(2);
  }, 180_000);
});
