/** `hwnas profile list|show|calibrate|validate` through the built CLI, on synthetic measurements. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { resolveProfile } from '../../hardware-profiles/registry.js';
import { createCostModel } from '../../hardware-profiles/roofline.js';
import { sample } from '../../spaces/operators.js';
import { fromArchString, nb201, toArchString } from '../../spaces/nb201.js';
import { assertCliBuilt, hwnas } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hwnas-profile-'));

/** A device hwnas does not ship: the Pi's numbers with different efficiencies and overhead. */
function writeMeasurements(file: string, count: number, seed: number): void {
  const pi = resolveProfile('raspberry-pi-4');
  const device = createCostModel({ ...pi, overheadSec: 80e-6, memory: { ...pi.memory, bandwidthBytesPerSec: null },
    efficiency: { conv2d: 0.12, pointwise: 0.3, depthwise: 0.05, dense: 0.2, other: 0.02 } });
  const rng = new Rng(seed);
  const rows: string[] = [];
  while (rows.length < count) {
    const g = sample(nb201.definition, rng);
    const latency = device.estimate(nb201.deploymentSpec!(g, { inputShape: [32, 32, 3], numClasses: 10 })).latencyMs;
    // Cells that fold away entirely cost nothing in the model; a real device still reports its call overhead.
    if (latency > 0) rows.push(`${toArchString(g)},${latency.toFixed(6)}`);
  }
  writeFileSync(file, `arch,latency_ms\n${rows.join('\n')}\n`);
}

beforeAll(() => {
  assertCliBuilt();
  writeMeasurements(join(dir, 'train.csv'), 40, 1);
  writeMeasurements(join(dir, 'test.csv'), 200, 2);
});

describe('hwnas profile', () => {
  it('lists and shows the built-in profiles, marking estimates', async () => {
    const list = await hwnas(['profile', 'list']);
    expect(list.stdout).toMatch(/^raspberry-pi-4 +cpu +fp32\/int8 +62\.2 GOPS\* +1 MiB +Raspberry Pi 4/m);
    expect(list.stdout).toMatch(/^proxy .* MAC count/m);
    const show = await hwnas(['profile', 'show', 'stm32h743']);
    expect(show.stdout).toMatch(/peak +fp32 77\.0 MOPS\*, int8 307 MOPS\*/);
    expect(show.stdout).toMatch(/\(hard limits\)/);
    const json = JSON.parse((await hwnas(['profile', 'list', '--json'])).stdout) as Array<{ id: string; class?: string; peakOpsPerSec?: number }>;
    expect(json.map((p) => p.id).slice(0, 2)).toEqual(['proxy', 'local']);
    expect(json.find((p) => p.id === 'stm32h743')).toMatchObject({ class: 'mcu', peakOpsPerSec: 307e6 });
    const bare = await hwnas(['profile', 'show']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^hwnas: profile show needs a profile id or file\n/);
    expect((await hwnas(['profile', 'show', 'raspberry-pi-4', 'extra'])).stderr).toMatch(/^hwnas: unexpected argument 'extra' for 'profile show'\n/);
  });

  it('calibrates a profile for an unknown device and validates it on held-out measurements', async () => {
    const out = join(dir, 'mine.json');
    const calibrated = await hwnas(['profile', 'calibrate', '--from', 'raspberry-pi-4', '--space', 'nb201', '--measurements', join(dir, 'train.csv'), '--out', out, '--id', 'mine']);
    expect(calibrated.stderr).toBe('');
    // NB201 cells make per-kind overheads and efficiencies partly interchangeable: the fit is exact, not unique.
    expect(calibrated.stdout).toMatch(/^calibrated mine from raspberry-pi-4 on 40 measurements \(fit MAPE 0\.0%; graph rules folding \w+, zeros \w+, fusion [\w-]+\): invoke [\d.]+ us, overhead conv2d [\d.]+ us/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ id: 'mine', overheadPerKind: { conv2d: expect.stringMatching(/us$/) } });
    const before = JSON.parse((await hwnas(['profile', 'validate', '--profile', 'raspberry-pi-4', '--space', 'nb201', '--measurements', join(dir, 'test.csv'), '--json'])).stdout) as { mape: number };
    const after = JSON.parse((await hwnas(['profile', 'validate', '--profile', out, '--space', 'nb201', '--measurements', join(dir, 'test.csv'), '--json'])).stdout) as { n: number; kendallTau: number; mape: number; within10: number };
    // 40 cells do not show every kind of kernel in every graph context: nearly all, not all, of the rest land within 10%.
    expect(after.n).toBe(200);
    expect(after.within10).toBeGreaterThan(0.95);
    expect(after.kendallTau).toBeGreaterThan(0.99);
    expect(after.mape).toBeLessThan(before.mape);
  });

  // HW-NAS-Bench's FPGA: a device no profile describes, calibrated from nothing, as the README tells a user to.
  const nb201Table = fileURLToPath(new URL('../../../shared/benchmarks/nb201.json', import.meta.url));
  it.skipIf(!existsSync(nb201Table))('calibrates HW-NAS-Bench\'s FPGA from a generic start on 20% of its measurements and ranks the rest', async () => {
    const table = JSON.parse(readFileSync(nb201Table, 'utf8')) as { archs: Array<{ arch: string; hw: { cifar10: Record<string, number | null> } }> };
    const rows = table.archs.filter((a) => (a.hw.cifar10.fpga_latency ?? 0) > 0).map((a) => `${a.arch},${a.hw.cifar10.fpga_latency}`);
    const rng = new Rng(11);
    for (let i = rows.length - 1; i > 0; i--) { const j = rng.int(i + 1); [rows[i], rows[j]] = [rows[j]!, rows[i]!]; }
    const cut = Math.round(rows.length / 5);
    writeFileSync(join(dir, 'fpga-train.csv'), `arch,latency_ms\n${rows.slice(0, cut).join('\n')}\n`);
    writeFileSync(join(dir, 'fpga-test.csv'), `arch,latency_ms\n${rows.slice(cut).join('\n')}\n`);
    const out = join(dir, 'fpga.json');
    const calibrated = await hwnas(['profile', 'calibrate', '--from', 'generic', '--id', 'fpga', '--space', 'nb201', '--measurements', join(dir, 'fpga-train.csv'), '--out', out], {}, 120_000);
    expect(calibrated.stderr).toBe('');
    expect(calibrated.stdout).toMatch(/^calibrated fpga from generic starting figures on \d+ measurements/);
    const check = JSON.parse((await hwnas(['profile', 'validate', '--profile', out, '--space', 'nb201', '--measurements', join(dir, 'fpga-test.csv'), '--json'], {}, 120_000)).stdout) as { n: number; kendallTau: number };
    expect(check.n).toBe(rows.length - cut);
    expect(check.kendallTau).toBeGreaterThanOrEqual(0.75);
  });
  if (!existsSync(nb201Table)) console.log(`skipping the HW-NAS-Bench FPGA calibration: ${nb201Table} not found`);

  it.each([
    ['arch,latency_ms\n|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|,1.5\n|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|,-2\n', /bad.csv:3: latency_ms must be a positive number/],
    ['arch,latency\nx,1\n', /bad.csv:1: the header must name the columns arch and latency_ms/],
    ['arch,latency_ms\n|nor_conv_3x3~0|,1\n', /bad.csv:2: unknown architecture/],
    ['arch,latency_ms\r|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|,0x10\r', /bad.csv:2: latency_ms must be a positive number of milliseconds, got '0x10'/],
    ['arch,latency_ms\n|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|,1.5\n|avg_pool_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|,1.1\n|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|,999\n',
      /bad.csv:4: the architecture of line 2 again, measured 999 ms there 1.5 ms/],
  ])('rejects a malformed measurements file with its line number', async (csv, message) => {
    writeFileSync(join(dir, 'bad.csv'), csv);
    const r = await hwnas(['profile', 'calibrate', '--from', 'raspberry-pi-4', '--space', 'nb201', '--measurements', join(dir, 'bad.csv'), '--out', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('refuses too few measurements, and a profile file with a number missing its unit', async () => {
    writeFileSync(join(dir, 'two.csv'), 'arch,latency_ms\n|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|nor_conv_1x1~2|,1.5\n|nor_conv_1x1~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|nor_conv_1x1~2|,1.1\n');
    const few = await hwnas(['profile', 'calibrate', '--from', 'raspberry-pi-4', '--space', 'nb201', '--measurements', join(dir, 'two.csv'), '--out', join(dir, 'x.json')]);
    expect(few.stderr).toMatch(/needs at least \d+ measurements/);
    const profile = JSON.parse(readFileSync(join(dir, 'mine.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'nounit.json'), JSON.stringify({ ...profile, overhead: 80 }));
    const bad = await hwnas(['profile', 'show', join(dir, 'nounit.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/nounit.json: overhead: 80 has no unit/);
  });

  it('measures this machine: times real tfjs inference of sampled models and saves the local profile', async () => {
    const out = join(dir, 'local.json');
    // The local profile lives in the user's configuration: here a scratch one.
    const config = { XDG_CONFIG_HOME: join(dir, 'config') };
    const before = await hwnas(['profile', 'show', 'local'], config);
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(/^hwnas: the local profile is not measured on this machine yet .*\n  hint: run hwnas profile measure/);
    expect((await hwnas(['profile', 'list'], config)).stdout).toMatch(/^local .* not measured yet \(hwnas profile measure\)$/m);
    const few = await hwnas(['profile', 'measure', '--out', out, '--models', '8', '--space', 'tiny-cnn', '--backend', 'wasm'], config);
    expect(few.code).toBe(2);
    expect(few.stderr).toMatch(/^hwnas: 8 models are too few: each half of the cross-validation fits \d+ parameters/);
    // Refused before timing anything.
    expect(few.stdout).not.toMatch(/timing|model +1\//);
    const r = await hwnas(['profile', 'measure', '--out', out, '--models', '40', '--space', 'tiny-cnn', '--backend', 'wasm', '--json'], config, 240_000);
    expect(r.stderr).not.toMatch(/hwnas:/);
    expect(r.code).toBe(0);
    const check = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { backend: string; models: number; heldOut: number; spearman: number };
    expect(check).toMatchObject({ backend: 'wasm', models: 40, heldOut: 40 });
    expect(check.spearman).toBeGreaterThanOrEqual(-1);
    // The copy has an id of its own: on another machine, 'local' is that machine.
    const copy = JSON.parse(readFileSync(out, 'utf8')) as { id: string; sources: string[] };
    expect(copy.id).toBe(`local-${hostname().replace(/[^\w.-]/g, '-')}`);
    expect(copy.sources.join(' ')).toMatch(/measured by hwnas profile measure: 40 tiny-cnn models, median of 25 runs in 5 rounds over all models, each run relative to a reference model/);
    const shown = await hwnas(['profile', 'show', out]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^${copy.id}: this machine`));
    const saved = JSON.parse(readFileSync(join(dir, 'config', 'hwnas', 'profiles', 'local.json'), 'utf8')) as { id: string };
    expect(saved).toEqual({ ...copy, id: 'local' });
    // A file under 'local' would have its costs stored, and read back, as this machine's.
    writeFileSync(join(dir, 'as-local.json'), JSON.stringify(saved));
    const asLocal = await hwnas(['profile', 'show', join(dir, 'as-local.json')]);
    expect(asLocal.code).toBe(2);
    expect(asLocal.stderr).toMatch(/as-local\.json has the id 'local' of this machine's measured profile\n  hint: give it an id of its own \("id": "local-mine"\)/);
    expect((await hwnas(['profile', 'show', 'local'], config)).stdout).toMatch(/^local: this machine/);
    expect((await hwnas(['profile', 'list'], config)).stdout).toMatch(/^local +host +fp32 +[\d.]+ [GMT]OPS\* +- +this machine/m);
  });

  it('fits energies when the measurements have them, and checks them in validate', async () => {
    // The synthetic device's energy: the Pi's MAC figures x 3, its per-byte figures x 0.5, no static draw.
    const pi = resolveProfile('raspberry-pi-4');
    const device = createCostModel({ ...pi, energy: { ...pi.energy, perMacPj: { fp32: 3 * pi.energy.perMacPj.fp32! }, perBytePj: { sram: 0.5 * pi.energy.perBytePj.sram, dram: 0.5 * pi.energy.perBytePj.dram }, staticWatts: 0 } });
    const withEnergy = (from: string, to: string) => {
      const lines = readFileSync(join(dir, from), 'utf8').trim().split('\n');
      writeFileSync(join(dir, to), `arch,latency_ms,energy_mJ\n${lines.slice(1).map((l) => {
        const arch = l.slice(0, l.lastIndexOf(','));
        return `${l},${device.estimate(nb201.deploymentSpec!(fromArchString(arch), { inputShape: [32, 32, 3], numClasses: 10 })).energyMj}`;
      }).join('\n')}\n`);
    };
    withEnergy('train.csv', 'train-energy.csv');
    withEnergy('test.csv', 'test-energy.csv');
    const out = join(dir, 'energy.json');
    const calibrated = await hwnas(['profile', 'calibrate', '--from', 'raspberry-pi-4', '--space', 'nb201', '--measurements', join(dir, 'train-energy.csv'), '--out', out]);
    // Not exact: the graph rules are chosen for latency, and with them a few kernels more or less run than on the device.
    expect(calibrated.stdout).toMatch(/^energy: per-MAC and per-byte figures scaled and static power [\d.e+-]+ W fitted to 40 measured energies \(fit MAPE \d\.\d%\)$/m);
    const check = JSON.parse((await hwnas(['profile', 'validate', '--profile', out, '--space', 'nb201', '--measurements', join(dir, 'test-energy.csv'), '--json'])).stdout) as { energy: { n: number; kendallTau: number; mape: number } };
    expect(check.energy.n).toBe(200);
    expect(check.energy.kendallTau).toBeGreaterThan(0.9);
    const text = await hwnas(['profile', 'validate', '--profile', 'raspberry-pi-4', '--space', 'nb201', '--measurements', join(dir, 'test-energy.csv')]);
    expect(text.stdout).toMatch(/^raspberry-pi-4 on 200 measured latencies: .*\nraspberry-pi-4 on 200 measured energies: Kendall tau [\d.]+, Spearman [\d.]+, MAPE (\d+)/);
    // Uncalibrated, MACs cost a third and bytes twice what they cost on the device, and the Pi's board draw is extra.
    expect(Number(/measured energies: .*MAPE ([\d.]+)%/.exec(text.stdout)![1]) / 100).toBeGreaterThan(2 * check.energy.mape);
  });

  it('says what is wrong, in one line and a hint, for an unwritable --out, a bad --id, proxy and too few rows to rank', async () => {
    const args = ['--space', 'nb201', '--measurements', join(dir, 'train.csv')];
    const missingDir = await hwnas(['profile', 'calibrate', '--from', 'raspberry-pi-4', ...args, '--out', join(dir, 'no-such-dir', 'x.json')]);
    expect(missingDir.code).toBe(2);
    expect(missingDir.stderr).toMatch(/^hwnas: cannot write .*no-such-dir\/x.json: its directory does not exist\n  hint: give --out a path in a directory you can write to\n$/);
    const badId = await hwnas(['profile', 'calibrate', '--from', 'generic', '--id', '', ...args, '--out', join(dir, 'x.json')]);
    expect(badId.stderr).toMatch(/^hwnas: --id must be a name of letters, digits/);
    expect((await hwnas(['profile', 'calibrate', '--from', 'proxy', ...args, '--out', join(dir, 'x.json')])).stderr).toMatch(/^hwnas: proxy is a MAC count, not a device profile/);
    expect((await hwnas(['profile', 'show', 'proxy'])).stdout).toMatch(/^proxy: MAC count/);
    const proxy = JSON.parse((await hwnas(['profile', 'validate', '--profile', 'proxy', ...args, '--json'])).stdout) as { n: number };
    expect(proxy.n).toBe(40);
    writeFileSync(join(dir, 'two-rows.csv'), readFileSync(join(dir, 'train.csv'), 'utf8').split('\n').slice(0, 3).join('\n'));
    const two = await hwnas(['profile', 'validate', '--profile', 'raspberry-pi-4', '--space', 'nb201', '--measurements', join(dir, 'two-rows.csv')]);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/2 measurements: ranking needs at least 3/);
    const folder = await hwnas(['profile', 'validate', '--profile', 'raspberry-pi-4', '--space', 'nb201', '--measurements', dir]);
    expect(folder.stderr).toMatch(/^hwnas: .* is a directory, not a measurements file\n/);
    expect((await hwnas(['profile', 'measure', '--seed', 'abc', '--models', '40'])).stderr).toMatch(/^hwnas: --seed must be a whole number >= 0, got 'abc'$/m);
    expect((await hwnas(['profile', 'measure', '--models', '1'])).stderr).toMatch(/^hwnas: --models must be a whole number of models, at least 2, got '1'$/m);
    expect((await hwnas(['profile', 'calibrate', '--from', 'Generic', '--space', 'nb201', '--measurements', join(dir, 'train.csv'), '--out', join(dir, 'g.json')])).stderr)
      .toMatch(/^hwnas: unknown profile 'Generic'; did you mean 'generic'\?$/m);
  });

  it('keeps profile ids apart, replaces files only with --force, and refuses latencies with no order', async () => {
    const args = ['--space', 'nb201', '--measurements', join(dir, 'train.csv')];
    const taken = await hwnas(['profile', 'calibrate', '--from', 'raspberry-pi-4', '--id', 'jetson-nano', ...args, '--out', join(dir, 'clash.json')]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/^hwnas: --id jetson-nano is a built-in profile's id\n  hint: give the calibrated profile an id of its own/);
    // A copy of a built-in profile, edited in place, still under the built-in's id.
    const pi = JSON.parse(readFileSync(fileURLToPath(new URL('../../hardware-profiles/data/raspberry-pi-4.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'copy.json'), JSON.stringify({ ...pi, id: 'jetson-nano' }));
    const copy = await hwnas(['profile', 'show', join(dir, 'copy.json')]);
    expect(copy.code).toBe(2);
    expect(copy.stderr).toMatch(/copy\.json has the id 'jetson-nano' of a built-in profile/);
    // A table's column is measured data: a file under its id would be read back as the table's measurements.
    writeFileSync(join(dir, 'table-id.json'), JSON.stringify({ ...pi, id: 'tabular:raspi4' }));
    expect((await hwnas(['profile', 'show', join(dir, 'table-id.json')])).stderr).toMatch(/has the id 'tabular:raspi4' of a table's measured column\n  hint: give it an id of its own \("id": "tabular-raspi4-mine"\)/);
    writeFileSync(join(dir, 'twin.json'), JSON.stringify({ ...pi, id: 'twin' }));
    const twice = await hwnas(['search', '--space', 'mlp', '--trials', '1', '--db', join(dir, 'twin.db'), '--profile', `${join(dir, 'twin.json')},${join(dir, 'twin.json')}`]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/both have the id 'twin'/);
    expect(existsSync(join(dir, 'twin.db'))).toBe(false);

    // An existing --out is checked before the fit, and replaced only with --force.
    writeFileSync(join(dir, 'kept.json'), 'mine\n');
    const kept = await hwnas(['profile', 'calibrate', '--from', 'raspberry-pi-4', ...args, '--out', join(dir, 'kept.json')]);
    expect(kept.stderr).toMatch(/kept\.json exists\n  hint: choose a new --out file, or add --force to overwrite it/);
    expect(readFileSync(join(dir, 'kept.json'), 'utf8')).toBe('mine\n');
    const forced = await hwnas(['profile', 'calibrate', '--from', 'raspberry-pi-4', ...args, '--out', join(dir, 'kept.json'), '--force']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'kept.json'), 'utf8'))).toMatchObject({ id: 'raspberry-pi-4-calibrated' });

    const rows = readFileSync(join(dir, 'train.csv'), 'utf8').trim().split('\n').slice(1, 6).map((l) => `${l.slice(0, l.lastIndexOf(','))},1.5`);
    writeFileSync(join(dir, 'flat.csv'), `arch,latency_ms\n${rows.join('\n')}\n`);
    const flat = await hwnas(['profile', 'validate', '--profile', 'raspberry-pi-4', '--space', 'nb201', '--measurements', join(dir, 'flat.csv')]);
    expect(flat.code).toBe(2);
    expect(flat.stderr).toMatch(/flat\.csv: all 5 measured latencies are 1\.5 ms: there is no order to check a profile against/);
    const flatFit = await hwnas(['profile', 'calibrate', '--from', 'raspberry-pi-4', '--space', 'nb201', '--measurements', join(dir, 'flat.csv'), '--out', join(dir, 'flat.json')]);
    expect(flatFit.code).toBe(2);
    expect(flatFit.stderr).toMatch(/flat\.csv: all 5 measured latencies are 1\.5 ms: nothing tells one kind of layer's cost from another's\n  hint: measure architectures/);
    expect(existsSync(join(dir, 'flat.json'))).toBe(false);

    // A damaged local profile spoils its own row of the list, not the list.
    const config = { XDG_CONFIG_HOME: join(dir, 'broken-config') };
    mkdirSync(join(dir, 'broken-config', 'hwnas', 'profiles'), { recursive: true });
    writeFileSync(join(dir, 'broken-config', 'hwnas', 'profiles', 'local.json'), '{ not json');
    const list = await hwnas(['profile', 'list'], config);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^local .* is unreadable \(hwnas profile measure again\)$/m);
    expect(list.stdout).toMatch(/^raspberry-pi-4 /m);
  });

  it('keeps a profile file with the run: the run refers to it by id, and a resume costs with it after the file is gone', async () => {
    const pi = JSON.parse(readFileSync(fileURLToPath(new URL('../../hardware-profiles/data/raspberry-pi-4.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
    const file = join(dir, 'gone.json'), db = join(dir, 'gone.db');
    writeFileSync(file, JSON.stringify({ ...pi, id: 'my-pi' }));
    const first = await hwnas(['search', '--space', 'mlp', '--trials', '1', '--epochs', '0.05', '--workers', '1', '--profile', file, '--max-latency', '5ms', '--db', db], {}, 120_000);
    expect(first.code).toBe(0);
    // The best trial within the run's budgets is looked up under the id its costs are stored by.
    expect(first.stdout).toMatch(/latency <= 5 ms \(my-pi\)/);
    expect(first.stdout).toMatch(/best trial 0: /);
    // The next morning, the same --profile value the search was given answers for that id.
    const byFile = JSON.parse((await hwnas(['best', '--db', db, '--profile', file, '--json'])).stdout) as { trial: number };
    expect(byFile.trial).toBe(0);
    expect((await hwnas(['pareto', '--db', db, '--profile', file])).code).toBe(0);
    // As if the run had been stopped with a trial to go; then the file is moved away.
    const sqlite = new Database(db);
    sqlite.prepare("UPDATE runs SET status = 'interrupted', config_json = json_set(config_json, '$.trials', 2)").run();
    sqlite.close();
    unlinkSync(file);
    const resumed = await hwnas(['search', '--resume', '--db', db], {}, 120_000);
    expect(resumed.stderr).toBe('');
    expect(resumed.stdout).toMatch(/^finished: 2 complete/m);
    const best = JSON.parse((await hwnas(['best', '--db', db, '--profile', 'my-pi', '--json'])).stdout) as { costs: Array<{ profile: string }> };
    expect(best.costs.map((c) => c.profile)).toEqual(['my-pi']);
  });

  it('costs every trial of a search on every --profile, with budgets on the first', async () => {
    const db = join(dir, 'multi.db');
    const search = await hwnas(['search', '--space', 'mlp', '--trials', '2', '--epochs', '0.1', '--workers', '2', '--seed', '3',
      '--profile', 'raspberry-pi-4,stm32h743', '--max-latency', '5ms', '--db', db], {}, 180_000);
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/latency <= 5 ms \(raspberry-pi-4\)/);
    const best = JSON.parse((await hwnas(['best', '--db', db, '--max-latency', '1s', '--profile', 'stm32h743', '--json'])).stdout) as { costs: Array<{ profile: string; latencyMs: number }> };
    expect(best.costs.map((c) => c.profile)).toEqual(['raspberry-pi-4', 'stm32h743']);
    expect(best.costs[1]!.latencyMs).toBeGreaterThan(best.costs[0]!.latencyMs); // a microcontroller is slower than a Pi
  });
});
