/**
 * The stored form of one weight tensor, written for real (so the size hwnas reports is
 * the size of bytes that exist and load back). Layout, byte-aligned per tensor:
 *
 *   header (12 bytes, little endian): u32 element count, u32 coded entries,
 *     u8 flags (bits 0-1 value kind: 0 float32, 1 float16, 2 integer, 3 codebook;
 *     bit 2 sparse; bit 3 Huffman; bit 4 per-channel scales; bit 5 zero symbol appended),
 *     u8 value bits, u8 index bits, u8 codebook size - 1
 *   scales (integer kind: f32 per output channel or one per tensor)
 *   codebook (codebook kind: f32 per centroid, ascending)
 *   bit stream (LSB first): with Huffman, 5-bit code lengths for every value symbol
 *     (and every gap symbol when sparse); then the entries.
 *
 * Dense storage codes every element. Sparse storage codes each nonzero as (gap to the
 * previous nonzero, value), Deep Compression's relative indices; a gap that does not fit
 * the index field is bridged by filler entries, coded as gap 0 (advance 2^bits - 1, no
 * value), so fillers cost index bits only. The writer tries dense/sparse with and
 * without Huffman and keeps the smallest.
 */
import { BitReader, BitWriter } from './bits.js';
import { float16Bits, fromFloat16Bits } from './float16.js';
import { HuffmanCode } from './huffman.js';

export type ValueKind = 'float32' | 'float16' | 'int' | 'codebook';

export interface TensorEncoding {
  kind: ValueKind;
  /** Integer kind: the quantization width (1..15). Ignored for the others. */
  bits?: number;
  /** Integer kind: one scale per tensor, or one per output channel (last axis). */
  scales?: Float32Array;
  /** Codebook kind: the centroids, ascending. */
  codebook?: Float32Array;
  /** Relative-index width tried for sparse storage (0 = dense only). */
  indexBits: number;
  /** Try Huffman coding of values and gaps. */
  huffman: boolean;
}

export const TENSOR_HEADER_BYTES = 12;
const KINDS: ValueKind[] = ['float32', 'float16', 'int', 'codebook'];
const FLAG_SPARSE = 4, FLAG_HUFFMAN = 8, FLAG_PER_CHANNEL = 16, FLAG_ZERO_SYMBOL = 32;
/** Huffman tables for alphabets beyond 2^8 would outweigh what they save. */
const MAX_HUFFMAN_VALUE_BITS = 8;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (n: number) => (n <= 1 ? 0 : Math.ceil(Math.log2(n)));

interface Alphabet {
  /** Symbols of the nonzero values (and of zeros, when `zeroSymbol` is set). */
  symbols: Uint32Array;
  valueBits: number;
  zeroSymbol: number | null;
  appendedZero: boolean;
}

/** Maps every element to its value symbol; zeros get one only when dense storage needs it. */
function symbolize(values: Float32Array, shape: number[], enc: TensorEncoding, needZero: boolean): Alphabet {
  const n = values.length;
  const symbols = new Uint32Array(n);
  const hasZero = needZero && values.some((v) => v === 0);
  switch (enc.kind) {
    case 'float32':
      for (let i = 0; i < n; i++) { f32[0] = values[i] === 0 ? 0 : values[i]!; symbols[i] = u32[0]!; }
      return { symbols, valueBits: 32, zeroSymbol: 0, appendedZero: false };
    case 'float16':
      for (let i = 0; i < n; i++) {
        symbols[i] = values[i] === 0 ? 0 : float16Bits(values[i]!);
        if (fromFloat16Bits(symbols[i]!) !== values[i]) throw new Error(`value ${values[i]} is not a float16`);
      }
      return { symbols, valueBits: 16, zeroSymbol: 0, appendedZero: false };
    case 'int': {
      const bits = enc.bits!, scales = enc.scales!;
      const channels = shape[shape.length - 1] ?? 1;
      const group = (i: number) => (scales.length > 1 ? i % channels : 0);
      if (bits === 1) {
        for (let i = 0; i < n; i++) symbols[i] = values[i] === 0 ? 2 : values[i]! > 0 ? 1 : 0;
        return { symbols, valueBits: hasZero ? 2 : 1, zeroSymbol: hasZero ? 2 : null, appendedZero: hasZero };
      }
      const levels = 2 ** (bits - 1) - 1;
      for (let i = 0; i < n; i++) {
        const s = scales[group(i)]!;
        const q = s === 0 ? 0 : Math.round(values[i]! / s);
        if (Math.abs(q) > levels || Math.fround(q * s) !== values[i]) throw new Error(`value ${values[i]} is not on the ${bits}-bit grid`);
        symbols[i] = q + levels;
      }
      return { symbols, valueBits: bits, zeroSymbol: levels, appendedZero: false };
    }
    case 'codebook': {
      const book = enc.codebook!;
      const index = new Map<number, number>();
      book.forEach((c, k) => index.set(c, k));
      for (let i = 0; i < n; i++) {
        if (values[i] === 0) { symbols[i] = book.length; continue; }
        const k = index.get(values[i]!);
        if (k === undefined) throw new Error(`value ${values[i]} is not in the codebook`);
        symbols[i] = k;
      }
      return { symbols, valueBits: bitsOf(book.length + (hasZero ? 1 : 0)), zeroSymbol: hasZero ? book.length : null, appendedZero: hasZero };
    }
  }
}

interface Entries { gaps: Uint32Array | null; values: Uint32Array; coded: number }

function denseEntries(a: Alphabet): Entries {
  return { gaps: null, values: a.symbols, coded: a.symbols.length };
}

function sparseEntries(values: Float32Array, a: Alphabet, indexBits: number): Entries {
  const maxGap = 2 ** indexBits - 1;
  const gaps: number[] = [], vals: number[] = [];
  let previous = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) continue;
    let gap = i - previous;
    while (gap > maxGap) { gaps.push(0); gap -= maxGap; }
    gaps.push(gap);
    vals.push(a.symbols[i]!);
    previous = i;
  }
  return { gaps: Uint32Array.from(gaps), values: Uint32Array.from(vals), coded: gaps.length };
}

function histogram(symbols: Uint32Array, alphabet: number): Float64Array {
  const counts = new Float64Array(alphabet);
  for (const s of symbols) counts[s]!++;
  return counts;
}

interface Plan { entries: Entries; indexBits: number; valueCode: HuffmanCode | null; gapCode: HuffmanCode | null; bits: number }

function planBits(e: Entries, valueBits: number, indexBits: number, huffman: boolean): Plan {
  if (!huffman) {
    const gapBits = e.gaps === null ? 0 : e.gaps.length * indexBits;
    return { entries: e, indexBits, valueCode: null, gapCode: null, bits: gapBits + e.values.length * valueBits };
  }
  const valueCounts = histogram(e.values, 2 ** valueBits);
  const valueCode = HuffmanCode.fromCounts(valueCounts);
  let bits = valueCode.tableBits() + valueCode.costBits(valueCounts);
  let gapCode: HuffmanCode | null = null;
  if (e.gaps !== null) {
    const gapCounts = histogram(e.gaps, 2 ** indexBits);
    gapCode = HuffmanCode.fromCounts(gapCounts);
    bits += gapCode.tableBits() + gapCode.costBits(gapCounts);
  }
  return { entries: e, indexBits, valueCode, gapCode, bits };
}

function maxLengthOk(p: Plan): boolean {
  return [p.valueCode, p.gapCode].every((c) => c === null || c.lengths.every((l) => l <= 31));
}

export function encodeTensor(values: Float32Array, shape: number[], given: TensorEncoding): Uint8Array {
  // The header stores the codebook's size less one: an empty one (clustering an all-zero kernel) is stored as [0].
  const enc = given.kind === 'codebook' && given.codebook!.length === 0 ? { ...given, codebook: Float32Array.of(0) } : given;
  if (enc.kind === 'codebook' && enc.codebook!.length > 256) throw new RangeError(`a codebook holds at most 256 centroids, got ${enc.codebook!.length}`);
  const candidates: Array<{ plan: Plan; alphabet: Alphabet; sparse: boolean }> = [];
  const dense = symbolize(values, shape, enc, true);
  const huffmanOk = enc.huffman && (enc.kind === 'int' || enc.kind === 'codebook');
  for (const huffman of huffmanOk ? [false, true] : [false]) {
    if (huffman && dense.valueBits > MAX_HUFFMAN_VALUE_BITS) continue;
    candidates.push({ plan: planBits(denseEntries(dense), dense.valueBits, 0, huffman), alphabet: dense, sparse: false });
  }
  if (enc.indexBits > 0) {
    const bare = symbolize(values, shape, enc, false);
    const entries = sparseEntries(values, bare, enc.indexBits);
    for (const huffman of huffmanOk ? [false, true] : [false]) {
      if (huffman && bare.valueBits > MAX_HUFFMAN_VALUE_BITS) continue;
      candidates.push({ plan: planBits(entries, bare.valueBits, enc.indexBits, huffman), alphabet: bare, sparse: true });
    }
  }
  const best = candidates.filter((c) => maxLengthOk(c.plan)).reduce((a, b) => (b.plan.bits < a.plan.bits ? b : a));
  const { plan, alphabet, sparse } = best;

  const scales = enc.kind === 'int' ? enc.scales! : new Float32Array(0);
  const book = enc.kind === 'codebook' ? enc.codebook! : new Float32Array(0);
  const out = new BitWriter();
  plan.valueCode?.writeTable(out);
  plan.gapCode?.writeTable(out);
  const { gaps, values: symbols } = plan.entries;
  let v = 0;
  for (let e = 0; e < plan.entries.coded; e++) {
    if (gaps !== null) {
      const gap = gaps[e]!;
      if (plan.gapCode) plan.gapCode.write(out, gap); else out.write(gap, plan.indexBits);
      if (gap === 0) continue;
    }
    const symbol = symbols[v++]!;
    if (plan.valueCode) plan.valueCode.write(out, symbol); else out.write(symbol, alphabet.valueBits);
  }
  const stream = out.finish();
  const bytes = new Uint8Array(TENSOR_HEADER_BYTES + 4 * (scales.length + book.length) + stream.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, values.length, true);
  view.setUint32(4, plan.entries.coded, true);
  const flags = KINDS.indexOf(enc.kind) | (sparse ? FLAG_SPARSE : 0) | (plan.valueCode ? FLAG_HUFFMAN : 0)
    | (scales.length > 1 ? FLAG_PER_CHANNEL : 0) | (alphabet.appendedZero ? FLAG_ZERO_SYMBOL : 0);
  view.setUint8(8, flags);
  view.setUint8(9, alphabet.valueBits);
  view.setUint8(10, sparse ? plan.indexBits : 0);
  view.setUint8(11, Math.max(0, book.length - 1));
  let offset = TENSOR_HEADER_BYTES;
  for (const s of scales) { view.setFloat32(offset, s, true); offset += 4; }
  for (const c of book) { view.setFloat32(offset, c, true); offset += 4; }
  bytes.set(stream, offset);
  return bytes;
}

export interface DecodedTensor { values: Float32Array; bytesRead: number; kind: ValueKind; sparse: boolean; huffman: boolean; valueBits: number; indexBits: number }

/** Reads one tensor record at `offset`; `shape` comes from the model spec. */
export function decodeTensor(bytes: Uint8Array, offset: number, shape: number[]): DecodedTensor {
  if (offset + TENSOR_HEADER_BYTES > bytes.length) throw new RangeError('compressed artifact ends inside a tensor header (truncated file)');
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  const count = view.getUint32(0, true), coded = view.getUint32(4, true);
  const flags = view.getUint8(8), valueBits = view.getUint8(9), indexBits = view.getUint8(10);
  const kind = KINDS[flags & 3]!;
  const expected = shape.reduce((p, d) => p * d, 1);
  if (count !== expected) throw new RangeError(`compressed tensor holds ${count} values where the model expects ${expected} (corrupt artifact)`);
  const channels = shape[shape.length - 1] ?? 1;
  const scaleCount = kind === 'int' ? ((flags & FLAG_PER_CHANNEL) ? channels : 1) : 0;
  const bookSize = kind === 'codebook' ? view.getUint8(11) + 1 : 0;
  const scales = new Float32Array(scaleCount), book = new Float32Array(bookSize);
  let p = TENSOR_HEADER_BYTES;
  for (let i = 0; i < scaleCount; i++, p += 4) scales[i] = view.getFloat32(p, true);
  for (let i = 0; i < bookSize; i++, p += 4) book[i] = view.getFloat32(p, true);
  const sparse = (flags & FLAG_SPARSE) !== 0, huffman = (flags & FLAG_HUFFMAN) !== 0;
  const input = new BitReader(bytes.subarray(offset + p));
  const valueCode = huffman ? HuffmanCode.readTable(input, 2 ** valueBits) : null;
  const gapCode = huffman && sparse ? HuffmanCode.readTable(input, 2 ** indexBits) : null;
  const bits = kind === 'int' ? valueBits - ((flags & FLAG_ZERO_SYMBOL) ? 1 : 0) : 0;
  const levels = 2 ** (bits - 1) - 1;
  const decodeValue = (symbol: number, i: number): number => {
    switch (kind) {
      case 'float32': u32[0] = symbol; return f32[0]!;
      case 'float16': return fromFloat16Bits(symbol);
      case 'int': {
        const s = scales[scaleCount > 1 ? i % channels : 0]!;
        if (bits === 1) return symbol === 2 ? 0 : Math.fround((symbol === 1 ? 1 : -1) * s);
        return Math.fround((symbol - levels) * s);
      }
      case 'codebook': return symbol >= bookSize ? 0 : book[symbol]!;
    }
  };
  const readValue = () => (valueCode ? valueCode.read(input) : input.read(valueBits));
  const values = new Float32Array(count);
  let position = -1;
  for (let e = 0; e < coded; e++) {
    if (sparse) {
      const gap = gapCode ? gapCode.read(input) : input.read(indexBits);
      if (gap === 0) { position += 2 ** indexBits - 1; continue; }
      position += gap;
    } else position++;
    if (position >= count) throw new RangeError('compressed tensor indexes past its end (corrupt artifact)');
    values[position] = decodeValue(readValue(), position);
  }
  return { values, bytesRead: p + Math.ceil(input.bitsRead / 8), kind, sparse, huffman, valueBits, indexBits: sparse ? indexBits : 0 };
}
