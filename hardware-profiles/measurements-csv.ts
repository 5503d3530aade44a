/**
 * Measured latencies as users bring them: a CSV with the header `arch,latency_ms` (and
 * optionally `energy_mJ`), one architecture per row: a genotype as JSON (quoted, with
 * inner quotes doubled, as CSV writers do) or, for nb201, the architecture string.
 * Every problem names its line.
 */
import type { ModelSpec } from '../spaces/model-spec.js';
import type { Measurement } from './calibrate.js';

export interface MeasuredRow extends Measurement { line: number; energyMj: number | null }

/** Splits one CSV line into fields (RFC 4180 quoting). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"' && field.trim() === '') { quoted = true; field = ''; }
    else if (ch === ',') { fields.push(field); field = ''; } else field += ch;
  }
  if (quoted) throw new Error('unterminated quote');
  fields.push(field);
  return fields.map((f) => f.trim());
}

/** A plain decimal (scientific notation allowed, as Python writes floats); NaN for anything else ('0x10', 'Infinity', ''). */
function decimal(text: string): number {
  return /^\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * `specOf` turns an arch into its network and a key that is the same for two spellings of one
 * architecture (key order in a genotype): one measured twice with different latencies is an error
 * naming both lines (which is the device's?); a row repeated exactly is kept.
 */
export function parseMeasurementsCsv(text: string, source: string, specOf: (arch: string) => { spec: ModelSpec; key: string }): MeasuredRow[] {
  const lines = text.split(/\r\n|\r|\n/);
  const fail = (line: number, problem: string): never => { throw new Error(`${source}:${line}: ${problem}`); };
  const header = csvFields(lines[0] ?? '').map((h) => h.toLowerCase());
  const archAt = header.indexOf('arch'), latencyAt = header.indexOf('latency_ms'), energyAt = header.indexOf('energy_mj');
  if (archAt < 0 || latencyAt < 0) fail(1, `the header must name the columns arch and latency_ms (optionally energy_mJ), got '${lines[0] ?? ''}'`);
  const rows: MeasuredRow[] = [];
  const seen = new Map<string, MeasuredRow>();
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (raw.trim() === '') return;
    let fields: string[];
    try { fields = csvFields(raw); } catch (error) { return fail(line, (error as Error).message); }
    if (fields.length !== header.length) fail(line, `${fields.length} fields where the header has ${header.length} (quote a JSON genotype: "{""depth"": 2, ...}")`);
    const latency = decimal(fields[latencyAt]!);
    if (!(Number.isFinite(latency) && latency > 0)) fail(line, `latency_ms must be a positive number of milliseconds, got '${fields[latencyAt]}'`);
    const energyText = energyAt >= 0 ? fields[energyAt]! : '';
    const energy = energyText === '' ? null : decimal(energyText);
    if (energy !== null && !(Number.isFinite(energy) && energy > 0)) fail(line, `energy_mJ must be a positive number, got '${energyText}'`);
    let parsed: { spec: ModelSpec; key: string };
    try { parsed = specOf(fields[archAt]!); } catch (error) { return fail(line, `unknown architecture: ${(error as Error).message}`); }
    const earlier = seen.get(parsed.key);
    if (earlier !== undefined && (earlier.latencyMs !== latency || earlier.energyMj !== energy)) {
      const what = earlier.latencyMs !== latency ? `${latency} ms there ${earlier.latencyMs} ms` : `${energy ?? 'no'} mJ there ${earlier.energyMj ?? 'no'} mJ`;
      fail(line, `the architecture of line ${earlier.line} again, measured ${what}: keep one (or their median)`);
    }
    const row = { line, spec: parsed.spec, latencyMs: latency, energyMj: energy };
    if (earlier === undefined) seen.set(parsed.key, row);
    rows.push(row);
  });
  if (rows.length === 0) fail(2, 'no measurements');
  return rows;
}
