/**
 * A table of already-trained architectures (NAS-Bench-201 accuracies with HW-NAS-Bench's
 * measured costs, in ../shared/benchmarks/nb201.json's format): the `tabular` evaluator
 * answers a trial by lookup and `tabular:DEVICE` profiles cost it from the measured
 * columns, so strategies can be compared on thousands of searches in minutes.
 *
 *   { "archs": [ { "arch": "|nor_conv_3x3~0|+|...|",
 *                  "acc": { "cifar10": { "test200": 93.1, "valid200": 90.2, "test12": ..., "valid12": ... } },
 *                  "hw":  { "cifar10": { "raspi4_latency": 10.4, "edgegpu_energy": null, ... } } }, ... ] }
 *
 * Accuracies are percentages; latencies milliseconds; energies millijoules. null = not measured.
 */
import { existsSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { parseJsonFile } from '../../core/json.js';
import { readUserText } from '../../core/text-file.js';

export type Cell = number | null;

export interface TableRow {
  arch: string;
  acc: Record<string, Record<string, Cell>>;
  hw: Record<string, Record<string, Cell>>;
}

export interface Table {
  /** Where it was read from, for messages. */
  source: string;
  rows: TableRow[];
  byArch: Map<string, TableRow>;
}

const fail = (source: string, problem: string, hint: string): never => { throw new UserError(`${source}: ${problem}`, hint); };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the table's shape (every row: an arch string and acc/hw objects of numbers or nulls). */
export function parseTable(json: unknown, source: string): Table {
  const hint = 'a table is {"archs": [{"arch": "|...|", "acc": {DATASET: {COLUMN: number|null}}, "hw": {DATASET: {COLUMN: number|null}}}]}';
  if (!isObject(json) || !Array.isArray(json.archs)) return fail(source, 'not a table: no "archs" list', hint);
  if (json.archs.length === 0) return fail(source, 'the table has no rows', hint);
  const byArch = new Map<string, TableRow>();
  const rows = json.archs.map((raw: unknown, i: number): TableRow => {
    if (!isObject(raw) || typeof raw.arch !== 'string') return fail(source, `archs[${i}]: needs an "arch" string`, hint);
    for (const part of ['acc', 'hw'] as const) {
      const block = raw[part];
      if (block === undefined && part === 'hw') continue;
      if (!isObject(block)) return fail(source, `archs[${i}].${part}: must be an object of datasets`, hint);
      for (const [dataset, columns] of Object.entries(block)) {
        if (!isObject(columns)) return fail(source, `archs[${i}].${part}.${dataset}: must be an object of columns`, hint);
        for (const [column, value] of Object.entries(columns)) {
          if (value !== null && !(typeof value === 'number' && Number.isFinite(value))) return fail(source, `archs[${i}].${part}.${dataset}.${column}: must be a number or null, got ${JSON.stringify(value)}`, hint);
          // Accuracies are percentages and costs are amounts: out of range, a search would store and rank them as results.
          if (typeof value === 'number' && (part === 'acc' ? value < 0 || value > 100 : value < 0)) {
            return fail(source, `archs[${i}].${part}.${dataset}.${column}: ${value} is ${part === 'acc' ? 'not a percentage in [0, 100]' : 'negative'}`, part === 'acc' ? 'accuracies are percentages, as NAS-Bench-201 gives them' : 'latencies, energies and sizes are not negative; use null where there is no measurement');
          }
        }
      }
    }
    const row = { arch: raw.arch, acc: raw.acc as TableRow['acc'], hw: (raw.hw ?? {}) as TableRow['hw'] };
    byArch.set(row.arch, row);
    return row;
  });
  return { source, rows, byArch };
}

const cache = new Map<string, Table>();

/** Reads (once per process) and checks a table file; any problem is one line naming the file. */
export function readTable(path: string): Table {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  if (!existsSync(path)) return fail(path, 'no such table file', 'give --table the path of a table JSON file, e.g. ../shared/benchmarks/nb201.json');
  let json: unknown;
  try {
    json = parseJsonFile(readUserText(path), { duplicateKeys: false });
  } catch (error) {
    return fail(path, `not valid JSON (${(error as Error).message})`, 'check the file is complete and is a table');
  }
  const table = parseTable(json, path);
  cache.set(path, table);
  return table;
}

/** The columns of one kind some row has for a dataset. */
export function columnsOf(table: Table, part: 'acc' | 'hw', dataset: string): string[] {
  const seen = new Set<string>();
  for (const row of table.rows) for (const column of Object.keys(row[part][dataset] ?? {})) seen.add(column);
  return [...seen].sort();
}

/** Fails in one line, listing what the table has, when no row has this column. */
export function requireColumn(table: Table, part: 'acc' | 'hw', dataset: string, column: string): void {
  const columns = columnsOf(table, part, dataset);
  if (columns.includes(column)) return;
  const datasets = [...new Set(table.rows.flatMap((r) => Object.keys(r[part])))].sort();
  fail(table.source, `no ${part === 'acc' ? 'accuracy' : 'hardware'} column '${column}' for ${dataset}`,
    columns.length > 0 ? `its ${dataset} columns are ${columns.join(', ')}` : `it has ${part} data for ${datasets.join(', ') || 'no dataset'}`);
}

/** A cell, or null when the row or the column has no value. */
export function cell(row: TableRow, part: 'acc' | 'hw', dataset: string, column: string): Cell {
  return row[part][dataset]?.[column] ?? null;
}
