/** `hwnas profile list|show ID`: the device profiles the cost models know. */
import { UserError } from '../../core/errors.js';
import { formatTable } from '../../core/format.js';
import { counted } from '../../core/plural.js';
import { checkOutputFile, makeOutputDir, writeOutputFile } from '../../core/output-file.js';
import { formatBytes } from '../../core/units.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import type { Profile } from '../../hardware-profiles/profile.js';

const usage = `usage: hwnas profile list [--json]
       hwnas profile show ID|FILE [--json]
       hwnas profile calibrate --from ID|FILE|generic --space SPACE --measurements M.csv --out FILE [--id NAME] [--dataset NAME] [--force]
       hwnas profile validate --profile ID|FILE --space SPACE --measurements M.csv [--dataset NAME] [--json]
       hwnas profile measure [--out FILE] [--space SPACE[,SPACE...]] [--models N] [--backend NAME] [--json] [--force]

Device profiles for the latency, energy and memory cost models (--profile in search and
best). Built-in ones live in hardware-profiles/data/; \`local\` is this machine, as
\`hwnas profile measure\` last measured it; \`proxy\` is a MAC count, no device. A profile
file of your own uses the same format (every number with its unit) and is passed by path.
Values marked * are estimates, not sourced facts.

calibrate fits a profile's per-layer-kind efficiencies, per-kernel overheads and invoke
overhead to your measured latencies (non-negative least squares on relative error), picks
the graph rules (constant folding, zero edges, layer fusion) that fit best, and writes a
new profile: how to bring a device hwnas does not ship (--from generic when no built-in
profile is close). validate reports how well a profile
predicts measurements: Kendall tau, Spearman rho, MAPE, share within +-10%. The CSV has a
header arch,latency_ms (optionally energy_mJ); arch is a genotype as JSON (quoted) or, for
nb201, the architecture string. --dataset sets the input shape (default cifar10). --id
names the new profile (default FROM-calibrated, e.g. my-device-calibrated from generic;
not a built-in's id, and one per device: costs are stored by id). An existing --out
file is replaced only with --force.

measure times real tfjs inference (batch 1; median of 25 runs in rounds over all models,
each relative to a reference model timed around it, so the machine's drift cancels) of
--models models (default 80) sampled in turn from the --space list (default
mobile-cnn,tiny-cnn,mlp) at 32x32x3 on this machine, reports how a profile fitted on one
half predicts the other (two-fold cross-validation), and saves the profile fitted on all
of them as \`local\` (in $XDG_CONFIG_HOME/hwnas/profiles, by default ~/.config/hwnas/profiles),
and a copy in --out under the id local-HOSTNAME (elsewhere, 'local' is that machine).

examples:
  hwnas profile show raspberry-pi-4
  hwnas profile calibrate --from raspberry-pi-4 --space nb201 --measurements my-pi.csv --out my-pi.json`;

const sparseKernelsText = (kernels: Profile['native']['sparseKernels']): string => (kernels.length === 0 ? 'no sparse kernels'
  : `sparse kernels ${kernels.map((k) => `${k.pattern} from ${(k.minSparsity * 100).toFixed(0)}%${k.kinds === null ? '' : ` on ${k.kinds.join('/')}`}${k.precisions === null ? '' : ` in ${k.precisions.join('/')}`}`).join('; ')}`);
const r4 = (x: number) => Number(x.toFixed(4));
const PROXY_DESCRIPTION = 'MAC count (1 GMAC/s, 1 pJ/MAC): orders candidates by work, no device';
const rate = (opsPerSec: number | undefined) => (opsPerSec === undefined ? '-' : opsPerSec >= 1e12 ? `${(opsPerSec / 1e12).toPrecision(3)} TOPS` : opsPerSec >= 1e9 ? `${(opsPerSec / 1e9).toPrecision(3)} GOPS` : `${(opsPerSec / 1e6).toPrecision(3)} MOPS`);

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('profile', {
    args: argv, allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false }, from: { type: 'string' }, profile: { type: 'string' }, space: { type: 'string' },
      measurements: { type: 'string' }, out: { type: 'string' }, id: { type: 'string' }, dataset: { type: 'string', default: 'cifar10' },
      models: { type: 'string', default: '80' }, backend: { type: 'string' }, seed: { type: 'string', default: '1' }, force: { type: 'boolean', default: false },
    },
  });
  const [action, target, ...rest] = positionals;
  // Bare `hwnas profile`: what it can do, as --help would say.
  if (action === undefined) { process.stdout.write(`${usage}\n`); return 0; }
  const { builtinProfileIds, costModelFor, isShippedProfileId, LOCAL_PROFILE, localProfilePath, resolveProfile } = await import('../../hardware-profiles/registry.js');
  if (action === 'show' && target === undefined) throw new UserError('profile show needs a profile id or file', 'e.g. hwnas profile show raspberry-pi-4 (hwnas profile list shows the ids)');
  if (action === 'list' && target === undefined) {
    interface Entry { id: string; class?: string; precisions?: string[]; peakOpsPerSec?: number; peakEstimated?: boolean; sramBytes?: number | null; device: string }
    const entry = (p: Profile): Entry => ({ id: p.id, class: p.class, precisions: p.native.precisions, peakOpsPerSec: Math.max(...Object.values(p.peakOpsPerSec)),
      peakEstimated: p.estimates.some((e) => e === 'peak' || e.startsWith('peak.')), sramBytes: p.memory.sramBytes, device: p.name });
    const { existsSync } = await import('node:fs');
    // A damaged local profile is one row's problem: the built-in profiles are still listed.
    const localEntry = (): Entry => {
      if (!existsSync(localProfilePath())) return { id: LOCAL_PROFILE, device: 'this machine: not measured yet (hwnas profile measure)' };
      try { return entry(resolveProfile(LOCAL_PROFILE)); } catch { return { id: LOCAL_PROFILE, device: `this machine: ${localProfilePath()} is unreadable (hwnas profile measure again)` }; }
    };
    const entries: Entry[] = [{ id: 'proxy', device: PROXY_DESCRIPTION }, localEntry(), ...builtinProfileIds().map((id) => entry(resolveProfile(id)))];
    if (values.json) { process.stdout.write(`${JSON.stringify(entries)}\n`); return 0; }
    const rows = entries.map((e) => [e.id, e.class ?? '-', e.precisions?.join('/') ?? '-', e.peakOpsPerSec === undefined ? '-' : `${rate(e.peakOpsPerSec)}${e.peakEstimated === true ? '*' : ''}`,
      e.sramBytes === undefined || e.sramBytes === null ? '-' : formatBytes(e.sramBytes), e.device]);
    for (const line of formatTable(['id', 'class', 'native', 'peak', 'SRAM', 'device'], rows)) process.stdout.write(`${line}\n`);
    return 0;
  }
  if (action === 'show' && target !== undefined && rest.length === 0) {
    if (target === 'proxy') { process.stdout.write(values.json ? `${JSON.stringify({ id: 'proxy', name: PROXY_DESCRIPTION })}\n` : `proxy: ${PROXY_DESCRIPTION}\n`); return 0; }
    const p = resolveProfile(target);
    if (values.json) { process.stdout.write(`${JSON.stringify(p)}\n`); return 0; }
    const est = (path: string) => (p.estimates.some((e) => path === e || path.startsWith(`${e}.`)) ? '*' : '');
    const lines = [
      `${p.id}: ${p.name}`, `  runtime      ${p.runtime} (${p.class})`,
      `  peak         ${Object.entries(p.peakOpsPerSec).map(([k, v]) => `${k} ${rate(v)}${est(`peak.${k}`)}`).join(', ')}`,
      `  native       ${p.native.precisions.join(', ')}; ${sparseKernelsText(p.native.sparseKernels)}${p.native.requiresQuantization ? '; quantized models only' : ''}`,
      `  graph        folding ${p.native.folding}${est('native.folding')}, zeros ${p.native.zeros}${est('native.zeros')}, fusion ${p.native.fusion}${est('native.fusion')}`
        + `${Object.keys(p.native.activationKernels).length > 0 ? `; activation kernels ${Object.entries(p.native.activationKernels).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}`
        + `${p.native.fusedActivations !== null ? `; weight layers fuse ${p.native.fusedActivations.join(', ') || 'no activation'}` : ''}`,
      `  memory       bandwidth ${p.memory.bandwidthBytesPerSec === null ? '-' : `${(p.memory.bandwidthBytesPerSec / 1e9).toPrecision(3)} GB/s`}${est('memory.bandwidth')}, SRAM ${p.memory.sramBytes === null ? '-' : formatBytes(p.memory.sramBytes)}${est('memory.sram')}, `
        + `flash ${p.memory.flashBytes === null ? '-' : formatBytes(p.memory.flashBytes)}, DRAM ${p.memory.dramBytes === null ? '-' : formatBytes(p.memory.dramBytes)} (${p.memory.limits} limits)`,
      `  overhead     ${(p.invokeOverheadSec * 1e6).toPrecision(3)} us per inference${est('invokeOverhead')}, ${(p.overheadSec * 1e6).toPrecision(3)} us per layer${est('overhead')}${Object.entries(p.overheadPerKindSec).length > 0
        ? `; ${Object.entries(p.overheadPerKindSec).map(([k, v]) => `${k} ${(v! * 1e6).toPrecision(3)} us`).join(', ')}` : ''}`,
      `  efficiency   ${Object.entries(p.efficiency).map(([k, v]) => `${k} ${v}`).join(', ')}${est('efficiency')}`,
      `  energy       per MAC ${Object.entries(p.energy.perMacPj).map(([k, v]) => `${k} ${v} pJ${est(`energy.perMac.${k}`)}`).join(', ')}; per byte SRAM ${p.energy.perBytePj.sram} pJ${est('energy.perByte.sram')}, DRAM ${p.energy.perBytePj.dram} pJ${est('energy.perByte.dram')}${p.energy.staticWatts ? `; static ${p.energy.staticWatts.toPrecision(3)} W${est('energy.static')}` : ''}`,
      `               (${p.energy.source})`,
      `  power        ${p.powerWatts === null ? '-' : `${p.powerWatts} W${est('power')}`}`,
      '  sources', ...p.sources.map((s) => `    ${s}`),
    ];
    for (const line of lines) process.stdout.write(`${line}\n`);
    return 0;
  }
  if ((action === 'calibrate' || action === 'validate') && target === undefined) {
    const { readMeasurements } = await import('../profile/read-measurements.js');
    const need = (name: string, value: string | undefined): string => value ?? (() => { throw new UserError(`profile ${action} needs --${name}`, `see hwnas profile --help`); })();
    const from = need(action === 'calibrate' ? 'from' : 'profile', action === 'calibrate' ? values.from : values.profile);
    const { agreement } = await import('../../hardware-profiles/metrics.js');
    if (action === 'validate') {
      const model = costModelFor(from);
      const file = need('measurements', values.measurements);
      const rows = readMeasurements(file, need('space', values.space), values.dataset);
      if (rows.length < 3) throw new UserError(`${file}: ${counted(rows.length, 'measurement')}: ranking needs at least 3`, 'measure more architectures');
      // Rank correlations of a constant are undefined (NaN): nothing says whether the profile orders these models right.
      requireDifferentLatencies(file, rows, 'there is no order to check a profile against');
      const costs = rows.map((r) => model.estimate(r.spec));
      const result = agreement(costs.map((c) => c.latencyMs), rows.map((r) => r.latencyMs));
      // Energies, where the file has them for at least 3 rows, are checked the same way.
      const withEnergy = rows.flatMap((r, i) => (r.energyMj === null ? [] : [[costs[i]!.energyMj, r.energyMj] as const]));
      const energy = withEnergy.length >= 3 ? agreement(withEnergy.map(([p]) => p), withEnergy.map(([, m]) => m)) : null;
      const figures = (a: typeof result) => ({ n: a.n, kendallTau: r4(a.kendallTau), spearman: r4(a.spearman), mape: r4(a.mape), within10: r4(a.within10) });
      const line = (what: string, a: typeof result) => `${model.profile} on ${a.n} measured ${what}: Kendall tau ${a.kendallTau.toFixed(3)}, Spearman ${a.spearman.toFixed(3)}, MAPE ${(100 * a.mape).toFixed(1)}%, within +-10% ${(100 * a.within10).toFixed(1)}%\n`;
      if (values.json) process.stdout.write(`${JSON.stringify({ ...figures(result), ...(energy === null ? {} : { energy: figures(energy) }) })}\n`);
      else process.stdout.write(`${line('latencies', result)}${energy === null ? '' : line('energies', energy)}`);
      return 0;
    }
    if (values.id !== undefined && !/^[\w.-]+$/.test(values.id)) throw new UserError(`--id must be a name of letters, digits, '.', '_' or '-', got '${values.id}'`, 'e.g. --id my-board');
    // Trials' costs are stored and queried by profile id: a calibrated profile under a shipped id would mix with that profile's.
    if (values.id !== undefined && (values.id === LOCAL_PROFILE || isShippedProfileId(values.id))) {
      throw new UserError(`--id ${values.id} is a built-in profile's id`, `give the calibrated profile an id of its own, e.g. --id ${values.id}-mine`);
    }
    checkOutputFile(need('out', values.out), '--out', values.force);
    // 'generic': a device with nothing to start from; every figure is fitted.
    const base = from === 'generic'
      ? (await import('../../hardware-profiles/generic.js')).genericProfile({ id: values.id ?? 'my-device', name: values.id ?? 'my device', runtime: 'unknown' })
      : resolveProfile(from, ['generic']);
    const rows = readMeasurements(need('measurements', values.measurements), need('space', values.space), values.dataset);
    // Models that all take the same time say nothing about what each kind of layer costs.
    requireDifferentLatencies(values.measurements!, rows, 'nothing tells one kind of layer\'s cost from another\'s');
    const out = need('out', values.out);
    const { calibrateProfile, TooFewMeasurementsError } = await import('../../hardware-profiles/calibrate.js');
    const { serializeProfile } = await import('../../hardware-profiles/serialize-profile.js');
    let calibration;
    try {
      calibration = calibrateProfile(base, rows, values.id ?? `${base.id}-calibrated`);
    } catch (error) {
      const hint = error instanceof TooFewMeasurementsError ? `measure at least ${error.needed - error.given} more architectures` : 'check the measurements file';
      throw new UserError(`${values.measurements}: ${(error as Error).message}`, hint);
    }
    writeOutputFile(out, `${JSON.stringify(serializeProfile(calibration.profile), null, 2)}\n`);
    const p = calibration.profile;
    const r = calibration.rules;
    // From generic, the base has no figures of its own: it takes the new profile's id.
    const source = from === 'generic' ? 'generic starting figures' : base.id;
    process.stdout.write(`calibrated ${p.id} from ${source} on ${rows.length} measurements (fit MAPE ${(100 * calibration.trainingMape).toFixed(1)}%; `
      + `graph rules folding ${r.folding}, zeros ${r.zeros}, fusion ${r.fusion}): invoke ${(p.invokeOverheadSec * 1e6).toPrecision(3)} us, overhead ${Object.entries(p.overheadPerKindSec).map(([k, v]) => `${k} ${(v! * 1e6).toPrecision(3)} us`).join(', ')}; efficiency ${Object.entries(p.efficiency).map(([k, v]) => `${k} ${v.toPrecision(3)}`).join(', ')}\n`
      + `${calibration.energy === null ? '' : `energy: per-MAC and per-byte figures scaled and static power ${(p.energy.staticWatts ?? 0).toPrecision(3)} W fitted to ${calibration.energy.n} measured energies (fit MAPE ${(100 * calibration.energy.trainingMape).toFixed(1)}%)\n`}`
      + `${calibration.unmeasured.length > 0 ? `not measured: ${calibration.unmeasured.join(', ')} (no model in the measurements runs them): they keep ${source === base.id ? `${base.id}'s figures` : 'the generic figures'}, uncalibrated\n` : ''}`
      + `wrote ${out}; use it with --profile ${out}\n`);
    return 0;
  }
  if (action === 'measure' && target === undefined) {
    const models = Number(values.models);
    // How many is enough depends on the spaces (each half of the cross-validation must fit the profile): measureLocal says.
    if (!Number.isInteger(models) || models < 2) throw new UserError(`--models must be a whole number of models, at least 2, got '${values.models}'`, 'e.g. --models 80');
    if (values.out !== undefined) checkOutputFile(values.out, '--out', values.force);
    const { DEFAULT_MEASURE_SPACES, measureLocal } = await import('../profile/measure-local.js');
    const { serializeProfile } = await import('../../hardware-profiles/serialize-profile.js');
    const say = (line: string) => { if (!values.json) process.stdout.write(`${line}\n`); };
    const seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new UserError(`--seed must be a whole number >= 0, got '${values.seed}'`);
    const result = await measureLocal({ spaces: values.space?.split(',').map((s) => s.trim()) ?? DEFAULT_MEASURE_SPACES, models, seed, say, ...(values.backend !== undefined ? { backend: values.backend } : {}) });
    const text = `${JSON.stringify(serializeProfile(result.profile), null, 2)}\n`;
    const local = localProfilePath();
    const { dirname } = await import('node:path');
    makeOutputDir(dirname(local), '$XDG_CONFIG_HOME');
    writeOutputFile(local, text, '$XDG_CONFIG_HOME');
    // The copy is this machine's profile for use elsewhere, where 'local' means that machine: it gets an id of its own.
    const { hostname } = await import('node:os');
    const copyId = `local-${hostname().replace(/[^\w.-]/g, '-')}`;
    if (values.out !== undefined) writeOutputFile(values.out, `${JSON.stringify(serializeProfile({ ...result.profile, id: copyId }), null, 2)}\n`);
    const saved = `saved as the local profile (${local}); use it with --profile local${values.out !== undefined ? `; a copy as ${copyId} in ${values.out} (--profile ${values.out})` : ''}`;
    const c = result.check;
    if (values.json) process.stdout.write(`${JSON.stringify({ backend: result.backend, models: result.models, heldOut: c.n, kendallTau: r4(c.kendallTau), spearman: r4(c.spearman), mape: r4(c.mape), within10: r4(c.within10) })}\n`);
    else process.stdout.write(`local profile (${result.backend}): fit MAPE ${(100 * result.fit).toFixed(1)}% on ${result.models} models; each predicted by a fit on the other half: `
      + `Spearman ${c.spearman.toFixed(3)}, Kendall tau ${c.kendallTau.toFixed(3)}, MAPE ${(100 * c.mape).toFixed(1)}%\n${saved}\n`);
    return 0;
  }
  if (['list', 'show', 'calibrate', 'validate', 'measure'].includes(action)) {
    const extra = action === 'show' ? rest[0] : target;
    throw new UserError(`unexpected argument '${extra ?? ''}' for 'profile ${action}'`, 'see hwnas profile --help');
  }
  throw new UserError(`unknown profile command '${positionals.join(' ')}'`, 'use hwnas profile list, show, calibrate, validate or measure');
}

function requireDifferentLatencies(file: string, rows: ReadonlyArray<{ latencyMs: number }>, consequence: string): void {
  if (rows.length > 0 && rows.every((r) => r.latencyMs === rows[0]!.latencyMs)) {
    throw new UserError(`${file}: all ${rows.length} measured latencies are ${rows[0]!.latencyMs} ms: ${consequence}`, 'measure architectures of different sizes, or check the latency_ms column');
  }
}

export const profile: Command = { name: 'profile', summary: 'device profiles for the latency, energy and memory cost models', usage, run };
