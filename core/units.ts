/**
 * Strict parsers and compact formatters for the quantities hwnas reads from flags and
 * profiles: durations (search budgets), latencies, sizes and energies.
 *
 * The parsers accept a non-negative decimal number, at most one space, and a unit:
 * no bare numbers (is `500` ms or s?), no exponents, signs, NaN or Infinity. A bad value
 * is a UserError that names it and shows valid examples, so every flag reports the same way.
 * Formatters produce strings the matching parser reads back.
 */
import { UserError } from './errors.js';

/** Options shared by the parsers. */
export interface ParseOptions {
  /** What is being parsed, for the error (a flag name such as `--max-latency`). */
  label?: string;
}

interface UnitSpec {
  kind: string;
  /** Unit -> factor to the result unit. Keys are lower-case when `caseSensitive` is false. */
  units: Readonly<Record<string, number>>;
  caseSensitive: boolean;
  examples: string;
  hint: string;
}

const DURATION: UnitSpec = {
  kind: 'duration',
  units: { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 },
  caseSensitive: false,
  examples: '8h, 90m, 30s, 1h30m, 500ms',
  hint: 'units: d, h, m, s, ms; combine them largest first, as in 1h30m',
};

const LATENCY: UnitSpec = {
  kind: 'latency',
  units: { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000 },
  caseSensitive: false,
  examples: '2ms, 500us, 0.5s',
  hint: 'units: ns, us (or µs), ms, s',
};

// KB, MB, GB, TB are decimal (1000^n, as SI and disk vendors use them); KiB, MiB, GiB,
// TiB are binary (1024^n). Microcontroller datasheets often write "KB" for 1024 bytes:
// write KiB for those. Case matters: flash is often sold in megabits, and "16Mb" read as
// megabytes would pass an 8x larger model.
const BYTES: UnitSpec = {
  kind: 'size',
  units: {
    B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12,
    KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4,
  },
  caseSensitive: true,
  examples: '64KB, 1.5MiB, 512B, 2MB',
  hint: 'units: B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024); case matters: Mb would be megabits',
};

// Case-sensitive: MJ would be megajoules, not millijoules.
const ENERGY: UnitSpec = {
  kind: 'energy',
  units: { nJ: 1e-6, uJ: 1e-3, 'µJ': 1e-3, 'μJ': 1e-3, mJ: 1, J: 1000 },
  caseSensitive: true,
  examples: '3mJ, 1.2J, 800uJ',
  hint: 'units: nJ, uJ (or µJ), mJ, J; case matters',
};

interface Term {
  value: number;
  unit: string;
}

// One term: a plain decimal, at most one space, then letters (a rate may end in /s). Sticky so terms must abut.
const TERM = /(\d+(?:\.\d+)?|\.\d+) ?([a-zA-Zµμ]+(?:\/s)?)/y;

function invalid(spec: UnitSpec, text: string, reason: string, options: ParseOptions): UserError {
  const label = options.label ?? spec.kind;
  return new UserError(`invalid ${label} '${text}': ${reason}; expected e.g. ${spec.examples}`, spec.hint);
}

/** Splits `text` into number+unit terms, each unit known to `spec`; throws on anything else. */
function readTerms(spec: UnitSpec, text: string, options: ParseOptions): Term[] {
  const source = text.trim();
  if (source === '') throw invalid(spec, text, 'empty value', options);
  if (source.startsWith('-')) throw invalid(spec, text, 'must not be negative', options);
  // 1e-3s read as 1 and a unit 'e-3s'; say what is really wrong.
  if (/\d[eE][+-]?\d/.test(source)) throw invalid(spec, text, 'no exponents: write the number out', options);
  const terms: Term[] = [];
  let at = 0;
  while (at < source.length) {
    TERM.lastIndex = at;
    const match = TERM.exec(source);
    if (match === null) {
      const reason = /^\d+(\.\d+)?$/.test(source) ? 'missing unit' : 'not a number followed by a unit';
      throw invalid(spec, text, reason, options);
    }
    const [whole, digits = '', rawUnit = ''] = match;
    const unit = spec.caseSensitive ? rawUnit : rawUnit.toLowerCase();
    if (!Object.hasOwn(spec.units, unit)) {
      const near = Object.keys(spec.units).find((known) => known.toLowerCase() === unit.toLowerCase());
      throw invalid(spec, text, `unknown unit '${rawUnit}'${near !== undefined ? ` (case matters: did you mean ${near}?)` : ''}`, options);
    }
    const value = Number(digits);
    if (!Number.isFinite(value)) throw invalid(spec, text, 'number too large', options);
    terms.push({ value, unit });
    at += whole.length;
  }
  return terms;
}

function factorOf(spec: UnitSpec, unit: string): number {
  return spec.units[unit] ?? Number.NaN;
}

function single(spec: UnitSpec, text: string, options: ParseOptions): number {
  const terms = readTerms(spec, text, options);
  const [term] = terms;
  if (term === undefined || terms.length !== 1) throw invalid(spec, text, 'expected one number and one unit', options);
  const result = term.value * factorOf(spec, term.unit);
  if (!Number.isFinite(result)) throw invalid(spec, text, 'number too large', options);
  return result;
}

/**
 * Parses a duration such as `8h`, `90m`, `30s`, `1h30m` or `500ms` into milliseconds.
 * Terms combine largest unit first, each unit at most once (`1h30m`, not `30m1h`).
 */
export function parseDuration(text: string, options: ParseOptions = {}): number {
  const terms = readTerms(DURATION, text, options);
  let total = 0;
  let previousFactor = Number.POSITIVE_INFINITY;
  for (const term of terms) {
    const factor = factorOf(DURATION, term.unit);
    if (factor >= previousFactor) {
      throw invalid(DURATION, text, 'combine units once each, largest first', options);
    }
    previousFactor = factor;
    total += term.value * factor;
  }
  if (!Number.isFinite(total)) throw invalid(DURATION, text, 'number too large', options);
  return total;
}

/** Parses a latency such as `2ms`, `500us` or `0.5s` into milliseconds. */
export function parseLatency(text: string, options: ParseOptions = {}): number {
  return single(LATENCY, text, options);
}

/**
 * Parses a size such as `64KB`, `1.5MiB`, `512B` or `2MB` into bytes.
 * KB/MB/GB/TB are powers of 1000; KiB/MiB/GiB/TiB are powers of 1024.
 * The result must be a whole number of bytes (`1.5B` is an error).
 */
export function parseBytes(text: string, options: ParseOptions = {}): number {
  const bytes = single(BYTES, text, options);
  const whole = Math.round(bytes);
  // Decimal inputs such as 1.1KB multiply to 1100.0000000000002: allow float noise only.
  if (Math.abs(bytes - whole) > 1e-9 * Math.max(1, bytes)) {
    throw invalid(BYTES, text, 'not a whole number of bytes', options);
  }
  return whole;
}

/**
 * A byte budget: as parseBytes, but a size as hwnas prints it (6.3 KiB, 6,451.2 bytes) is
 * taken, rounded down: nothing larger than the budget fits it.
 */
export function parseByteBudget(text: string, options: ParseOptions = {}): number {
  const bytes = single(BYTES, text, options);
  // Decimal inputs such as 1.1KB multiply to 1100.0000000000002: float noise is not a fraction.
  return Math.floor(bytes + 1e-9 * Math.max(1, bytes));
}

/** Parses an energy such as `3mJ`, `1.2J` or `800uJ` into millijoules (units are case-sensitive). */
export function parseEnergy(text: string, options: ParseOptions = {}): number {
  return single(ENERGY, text, options);
}

/** Rounds to three significant digits and prints without trailing zeros: 2.35, 12.3, 123. */
function threeDigits(value: number): string {
  return String(Number(value.toPrecision(3)));
}

function signed(value: number, format: (magnitude: number) => string): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 0 ? `-${format(-value)}` : format(value);
}

/** Options for {@link formatBytes}. */
export interface FormatBytesOptions {
  /** Use powers of 1000 (kB, MB) instead of the default powers of 1024 (KiB, MiB). */
  si?: boolean;
}

/**
 * Formats bytes with one decimal below 100 of the unit: `512 B`, `64 KiB`, `1.5 MiB`,
 * `23.4 GiB` (or `64 kB`, `2 MB` with `si`). Parses back with {@link parseBytes} up to rounding.
 */
export function formatBytes(bytes: number, options: FormatBytesOptions = {}): string {
  const base = options.si === true ? 1000 : 1024;
  const names = options.si === true ? ['B', 'kB', 'MB', 'GB', 'TB'] : ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  return signed(bytes, (magnitude) => {
    let index = 0;
    let value = magnitude;
    // Compare the rounded value so 1023.96 KiB prints as 1 MiB, not 1024 KiB.
    while (index < names.length - 1 && Number(value.toFixed(value >= 100 ? 0 : 1)) >= base) {
      value /= base;
      index += 1;
    }
    if (index === 0) return `${Math.round(value)} B`;
    const digits = value >= 100 ? 0 : 1;
    return `${String(Number(value.toFixed(digits)))} ${names[index] ?? ''}`;
  });
}

/**
 * Formats a latency in milliseconds with three significant digits: `850 µs`, `2.35 ms`,
 * `1.25 s`; a minute or more is formatted as a duration (`2m05s`).
 */
export function formatMs(ms: number): string {
  return signed(ms, (magnitude) => {
    const us = Number((magnitude * 1000).toPrecision(3));
    if (us < 1000) return `${threeDigits(magnitude * 1000)} µs`;
    const milli = Number(magnitude.toPrecision(3));
    if (milli < 1000) return `${threeDigits(magnitude)} ms`;
    const seconds = Number((magnitude / 1000).toPrecision(3));
    if (seconds < 60) return `${threeDigits(magnitude / 1000)} s`;
    return formatDuration(magnitude);
  });
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * Formats a duration in milliseconds compactly, dropping detail as it grows: `850ms`,
 * `2.5s`, `45s`, `2m05s`, `1h30m`, `26h`. Parses back with {@link parseDuration}.
 */
export function formatDuration(ms: number): string {
  return signed(ms, (magnitude) => {
    // Each branch rounds first and falls through when rounding reaches the next unit.
    if (Math.round(magnitude) < 1000) return `${Math.round(magnitude)}ms`;
    const tenths = Math.round(magnitude / 100) / 10;
    if (tenths < 10) return `${tenths}s`;
    const seconds = Math.round(magnitude / 1000);
    if (seconds < 60) return `${seconds}s`;
    if (seconds < 3600) {
      const rest = seconds % 60;
      return `${Math.floor(seconds / 60)}m${rest === 0 ? '' : `${pad2(rest)}s`}`;
    }
    const minutes = Math.round(magnitude / 60_000);
    const rest = minutes % 60;
    return `${Math.floor(minutes / 60)}h${rest === 0 ? '' : `${pad2(rest)}m`}`;
  });
}

/** Formats millijoules with three significant digits: `800 µJ`, `3 mJ`, `1.2 J`. */
export function formatEnergy(mJ: number): string {
  return signed(mJ, (magnitude) => {
    if (Number((magnitude * 1000).toPrecision(3)) < 1000) return `${threeDigits(magnitude * 1000)} µJ`;
    if (Number(magnitude.toPrecision(3)) < 1000) return `${threeDigits(magnitude)} mJ`;
    return `${threeDigits(magnitude / 1000)} J`;
  });
}

// Device-profile quantities (hardware-profiles/ data files write every number with its unit).
const OPS_RATE: UnitSpec = {
  kind: 'throughput', units: { ops: 1, kops: 1e3, mops: 1e6, gops: 1e9, tops: 1e12, flops: 1, mflops: 1e6, gflops: 1e9, tflops: 1e12 },
  caseSensitive: false, examples: '47.9 GOPS, 4 TOPS', hint: 'units: OPS, MOPS, GOPS, TOPS (or FLOPS); 1 MAC = 2 ops',
};
// Bytes only, and case matters: 'Gb/s' and 'Gbps' are gigabits, which a roofline must not read as bytes.
const BANDWIDTH: UnitSpec = {
  kind: 'bandwidth', units: { 'B/s': 1, 'kB/s': 1e3, 'KB/s': 1e3, 'MB/s': 1e6, 'GB/s': 1e9, 'TB/s': 1e12, 'KiB/s': 1024, 'MiB/s': 1024 ** 2, 'GiB/s': 1024 ** 3 },
  caseSensitive: true, examples: '5.56 GB/s, 800 MB/s', hint: 'units: B/s, KB/s, MB/s, GB/s, TB/s (or KiB/s, MiB/s, GiB/s), in bytes; case matters',
};
const SMALL_ENERGY: UnitSpec = {
  kind: 'energy per operation', units: { fJ: 1e-3, pJ: 1, nJ: 1e3, uJ: 1e6, 'µJ': 1e6 },
  caseSensitive: true, examples: '3.7pJ, 200fJ, 1.3nJ', hint: 'units: fJ, pJ, nJ, uJ; case matters',
};
const POWER: UnitSpec = {
  kind: 'power', units: { uW: 1e-6, mW: 1e-3, W: 1 }, caseSensitive: true, examples: '7.2W, 47mW', hint: 'units: uW, mW, W; case matters',
};

/** `47.9 GOPS` -> operations per second. */
export function parseOpsPerSecond(text: string, options: ParseOptions = {}): number { return single(OPS_RATE, text, options); }
/** `5.56 GB/s` -> bytes per second. */
export function parseBandwidth(text: string, options: ParseOptions = {}): number { return single(BANDWIDTH, text, options); }
/** `3.7pJ` -> picojoules. */
export function parsePicojoules(text: string, options: ParseOptions = {}): number { return single(SMALL_ENERGY, text, options); }
/** `7.2W` -> watts. */
export function parseWatts(text: string, options: ParseOptions = {}): number { return single(POWER, text, options); }
