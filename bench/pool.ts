/**
 * npm run bench:pool [-- --json] [--trials 48] [--epochs 3] [--rounds 3] [--warmup 4]
 *
 * Trials per hour of a real search with 1 and with 2 pool workers: `hwnas search` run as
 * a user runs it (a fresh process each time; random strategy on a fixed cheap space,
 * bench/pool-space.json, on mnist, fixed seed, so both runs train exactly the same
 * trials). Trials/hour is reported over the steady state, after each worker has
 * finished `--warmup` trials, and also over the whole run, start-up included. Worker
 * start-up compiles tfjs's wasm module and V8 keeps tiering up tfjs's JS and wasm on
 * background threads for the first several trials; with every core training those
 * threads compete with the trials (the same trial ran 1.1-1.3x slower with 2 workers
 * than with 1 over its first few trials, 1.0-1.1x afterwards), which an overnight run
 * pays once and a 24-trial benchmark would count as if it lasted.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './args.js';
import { benchTempDir, removeBenchTempDir } from './temp-dir.js';

const values = benchArgs('npm run bench:pool [-- --json] [--trials 48] [--epochs 3] [--rounds 3] [--warmup 4]', {
  json: { type: 'boolean', default: false }, trials: { type: 'string', default: '48' }, epochs: { type: 'string', default: '3' }, rounds: { type: 'string', default: '3' },
  warmup: { type: 'string', default: '4' },
});
const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const space = fileURLToPath(new URL('../../bench/pool-space.json', import.meta.url));
// Run the CLI as its bin does: with the node flags on its shebang line.
const nodeFlags = (readFileSync(cli, 'utf8').split('\n')[0]!.match(/node\s+(.*)$/)?.[1] ?? '').split(/\s+/).filter(Boolean);

interface Measurement { workers: number; seconds: number; trialsPerHour: number; steadyTrialsPerHour: number; trialSeconds: number }

async function measure(workers: number): Promise<Measurement> {
  const dir = benchTempDir('pool');
  const started = performance.now();
  const finishedAt: number[] = [];
  let trialSeconds = 0;
  const child = spawn(process.execPath, [...nodeFlags, cli, 'search', '--space', space, '--strategy', 'random', '--seed', '5', '--trials', values.trials,
    '--epochs', values.epochs, '--workers', String(workers), '--db', join(dir, 'pool.db'), '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (!line.includes('"kind":"trial"')) continue;
      finishedAt.push(performance.now());
      trialSeconds += (JSON.parse(line) as { seconds: number }).seconds;
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`hwnas search exited with ${code}`);
  // Fewer trials than asked (a space too small for --trials ends the run early) would skew every figure.
  if (finishedAt.length !== Number(values.trials)) throw new Error(`hwnas search finished ${finishedAt.length} trials, not --trials ${values.trials}: bench/pool-space.json must hold at least that many genotypes`);
  const seconds = (performance.now() - started) / 1000;
  removeBenchTempDir(dir);
  const warm = Number(values.warmup) * workers;
  const steadySeconds = (finishedAt[finishedAt.length - 1]! - finishedAt[warm - 1]!) / 1000;
  return { workers, seconds, trialsPerHour: finishedAt.length / seconds * 3600, steadyTrialsPerHour: (finishedAt.length - warm) / steadySeconds * 3600, trialSeconds };
}

// Pairs of runs, 1 worker then 2, back to back: this VM's speed drifts over minutes, so each
// speed-up compares runs taken together, and the median pair is reported.
const rounds = Number(values.rounds);
if (!(rounds >= 1 && Number(values.warmup) >= 1)) {
  console.error('bench:pool: --rounds and --warmup must be whole numbers of at least 1');
  process.exit(2);
}
if (!(Number(values.trials) > 2 * Number(values.warmup) + 1)) {
  console.error(`bench:pool: --trials ${values.trials} leaves no steady state after 2 workers x --warmup ${values.warmup} trials: use --trials ${2 * Number(values.warmup) + 2} or more`);
  process.exit(2);
}
const pairs: Array<{ one: Measurement; two: Measurement; speedup: number; totalSpeedup: number }> = [];
for (let round = 0; round < rounds; round++) {
  const one = await measure(1);
  const two = await measure(2);
  pairs.push({ one, two, speedup: two.steadyTrialsPerHour / one.steadyTrialsPerHour, totalSpeedup: two.trialsPerHour / one.trialsPerHour });
  for (const r of [one, two]) {
    console.log(`round ${round + 1}, ${r.workers} worker${r.workers > 1 ? 's' : ' '}: ${r.steadyTrialsPerHour.toFixed(0)} trials/hour steady state; `
      + `${values.trials} trials in ${r.seconds.toFixed(1)} s = ${r.trialsPerHour.toFixed(0)} trials/hour with start-up (sum of trial times ${r.trialSeconds.toFixed(1)} s)`);
  }
}
const byRatio = [...pairs].sort((a, b) => a.speedup - b.speedup);
const median = byRatio[byRatio.length >> 1]!;
console.log(`speed-up with 2 workers: ${median.speedup.toFixed(2)}x steady state (median of ${rounds} pairs: ${pairs.map((p) => p.speedup.toFixed(2)).join(', ')}), `
  + `${median.totalSpeedup.toFixed(2)}x with start-up; bar 1.8x`);
if (values.json) {
  console.log(JSON.stringify({ trials: Number(values.trials), rounds, oneWorkerTrialsPerHour: Math.round(median.one.steadyTrialsPerHour), twoWorkersTrialsPerHour: Math.round(median.two.steadyTrialsPerHour),
    speedup: Number(median.speedup.toFixed(2)), speedups: pairs.map((p) => Number(p.speedup.toFixed(2))), speedupWithStartup: Number(median.totalSpeedup.toFixed(2)) }));
}
