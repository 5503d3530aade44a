/**
 * JSON values, their canonical text (keys sorted at every level, no whitespace) and a
 * stable hash of it. Genotypes, configs and results cross worker threads, the store and
 * files as plain JSON, so `Json` makes a non-JSON field a compile error.
 */
import { createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** JSON text with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`not JSON: ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.filter((k) => value[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
}

/** First 16 hex digits of the SHA-256 of the canonical text: stable across runs and machines. */
export function stableHash(value: Json): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/**
 * The JSON in a file a user wrote (a profile, a space, a table): a byte-order mark, as some
 * Windows editors write, is not JSON but not the user's mistake either. A key written twice
 * in one object is refused (JSON.parse would keep the last silently, so an edit near the
 * top of a file could do nothing) unless `duplicateKeys` is false: generated files, such
 * as tables of many megabytes, skip the scan.
 */
export function parseJsonFile(text: string, options: { duplicateKeys?: boolean } = {}): Json {
  const source = text.replace(/^\uFEFF/, '');
  let value: Json;
  try {
    value = JSON.parse(source) as Json;
  } catch (error) {
    const at = /at position (\d+)/.exec((error as Error).message);
    if (at === null) throw error;
    throw new SyntaxError(`${(error as Error).message.replace(/ (in JSON )?at position \d+.*$/, '')} at ${lineAndColumn(source, Number(at[1]))}`);
  }
  if (options.duplicateKeys !== false) {
    const repeated = firstRepeatedKey(source);
    if (repeated !== null) {
      throw new SyntaxError(`key ${JSON.stringify(repeated.key)}${repeated.path === '' ? '' : ` in ${repeated.path}`} appears twice, again at ${lineAndColumn(source, repeated.offset)}; JSON keeps only the last, so remove one`);
    }
  }
  return value;
}

/** Where a character offset is, as a person editing the file looks for it. */
function lineAndColumn(source: string, offset: number): string {
  const before = source.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/** The first key an object repeats in JSON text already known to be valid, with its path and offset. */
function firstRepeatedKey(source: string): { key: string; path: string; offset: number } | null {
  interface Open { keys: Set<string> | null; path: string; expectKey: boolean; lastKey: string; index: number }
  const open: Open[] = [];
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    const top = open[open.length - 1];
    if (ch === '"') {
      let end = i + 1;
      while (source[end] !== '"') end += source[end] === '\\' ? 2 : 1;
      if (top?.keys != null && top.expectKey) {
        const key = JSON.parse(source.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return { key, path: top.path, offset: i };
        top.keys.add(key); top.lastKey = key; top.expectKey = false;
      }
      i = end;
    } else if (ch === '{' || ch === '[') {
      // A key that would read ambiguously in a dotted path (empty, or with a dot, bracket, quote, space or control character) is quoted.
      const key = top?.keys != null ? (/^[^\s.[\]"\\\p{Cc}]+$/u.test(top.lastKey) ? top.lastKey : JSON.stringify(top.lastKey)) : '';
      const path = top === undefined ? '' : top.keys !== null ? (top.path === '' ? key : `${top.path}.${key}`) : `${top.path}[${top.index}]`;
      open.push({ keys: ch === '{' ? new Set() : null, path, expectKey: true, lastKey: '', index: 0 });
    } else if (ch === '}' || ch === ']') open.pop();
    else if (ch === ',' && top !== undefined) { if (top.keys !== null) top.expectKey = true; else top.index++; }
  }
  return null;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
