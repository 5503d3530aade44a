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
 * Windows editors write, is not JSON but not the user's mistake either.
 */
export function parseJsonFile(text: string): Json {
  const source = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(source) as Json;
  } catch (error) {
    // V8 says where by character offset; a person editing the file looks for a line and column.
    const at = /at position (\d+)/.exec((error as Error).message);
    if (at === null) throw error;
    const before = source.slice(0, Number(at[1])).split('\n');
    throw new SyntaxError(`${(error as Error).message.replace(/ (in JSON )?at position \d+.*$/, '')} at line ${before.length}, column ${before.at(-1)!.length + 1}`);
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
