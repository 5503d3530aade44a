/**
 * Canonical Huffman coding (Deep Compression's last stage): optimal prefix-code lengths
 * from symbol counts, canonical codes from the lengths alone (so a table is just one
 * length per symbol), and a table-driven decoder.
 */
import type { BitReader, BitWriter } from './bits.js';

/** Longest code the 5-bit length field can hold. */
export const MAX_CODE_LENGTH = 31;
export const LENGTH_FIELD_BITS = 5;

/** Optimal code lengths for `counts` (0 for unused symbols; a lone symbol gets length 1). */
export function huffmanLengths(counts: ArrayLike<number>): Uint8Array {
  const lengths = new Uint8Array(counts.length);
  // Nodes: leaves 0..n-1, internal nodes after; parent links give each leaf's depth.
  const weight: number[] = [], parent: number[] = [];
  const queue: number[] = [];
  for (let s = 0; s < counts.length; s++) {
    if (counts[s]! > 0) { weight.push(counts[s]!); parent.push(-1); queue.push(weight.length - 1); }
  }
  const symbols = [...Array(counts.length).keys()].filter((s) => counts[s]! > 0);
  if (symbols.length === 0) return lengths;
  if (symbols.length === 1) { lengths[symbols[0]!] = 1; return lengths; }
  // Two sorted queues (leaves, then merged nodes) build the tree in O(n log n).
  const leaves = queue.sort((a, b) => weight[a]! - weight[b]! || a - b);
  const merged: number[] = [];
  let li = 0, mi = 0;
  const takeSmallest = () => (mi >= merged.length || (li < leaves.length && weight[leaves[li]!]! <= weight[merged[mi]!]!) ? leaves[li++]! : merged[mi++]!);
  while (leaves.length - li + merged.length - mi > 1) {
    const a = takeSmallest(), b = takeSmallest();
    weight.push(weight[a]! + weight[b]!);
    parent.push(-1);
    parent[a] = parent[b] = weight.length - 1;
    merged.push(weight.length - 1);
  }
  symbols.forEach((symbol, leaf) => {
    let depth = 0;
    for (let node = leaf; parent[node]! !== -1; node = parent[node]!) depth++;
    lengths[symbol] = depth;
  });
  return lengths;
}

/** Canonical codes: symbols sorted by (length, symbol) get consecutive codes. */
export function canonicalCodes(lengths: Uint8Array): Uint32Array {
  const codes = new Uint32Array(lengths.length);
  const order = [...lengths.keys()].filter((s) => lengths[s]! > 0).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  let code = 0, previous = order.length > 0 ? lengths[order[0]!]! : 0;
  for (const s of order) {
    code <<= lengths[s]! - previous;
    previous = lengths[s]!;
    codes[s] = code++;
  }
  return codes;
}

/** A prefix code ready to write symbols and read them back. */
export class HuffmanCode {
  readonly codes: Uint32Array;
  // Decoding tables per length: first code, count, and the symbols in canonical order.
  private readonly firstCode = new Int32Array(MAX_CODE_LENGTH + 2);
  private readonly countAt = new Int32Array(MAX_CODE_LENGTH + 2);
  private readonly offsetAt = new Int32Array(MAX_CODE_LENGTH + 2);
  private readonly sorted: number[];

  constructor(readonly lengths: Uint8Array) {
    if (lengths.some((l) => l > MAX_CODE_LENGTH)) throw new RangeError(`Huffman code longer than ${MAX_CODE_LENGTH} bits`);
    this.codes = canonicalCodes(lengths);
    this.sorted = [...lengths.keys()].filter((s) => lengths[s]! > 0).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
    for (const s of this.sorted) this.countAt[lengths[s]!]!++;
    let code = 0, offset = 0;
    for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
      code = (code + this.countAt[len - 1]!) << 1;
      this.firstCode[len] = code;
      this.offsetAt[len] = offset;
      offset += this.countAt[len]!;
    }
  }

  static fromCounts(counts: ArrayLike<number>): HuffmanCode { return new HuffmanCode(huffmanLengths(counts)); }

  /** Bits needed to code symbols with these counts. */
  costBits(counts: ArrayLike<number>): number {
    let bits = 0;
    for (let s = 0; s < counts.length; s++) bits += counts[s]! * this.lengths[s]!;
    return bits;
  }

  tableBits(): number { return this.lengths.length * LENGTH_FIELD_BITS; }

  writeTable(out: BitWriter): void { for (const l of this.lengths) out.write(l, LENGTH_FIELD_BITS); }

  static readTable(input: BitReader, alphabet: number): HuffmanCode {
    const lengths = new Uint8Array(alphabet);
    for (let s = 0; s < alphabet; s++) lengths[s] = input.read(LENGTH_FIELD_BITS);
    return new HuffmanCode(lengths);
  }

  write(out: BitWriter, symbol: number): void {
    const length = this.lengths[symbol]!;
    if (length === 0) throw new RangeError(`symbol ${symbol} has no Huffman code`);
    out.writeMsbFirst(this.codes[symbol]!, length);
  }

  read(input: BitReader): number {
    let code = 0;
    for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
      code = (code << 1) | input.bit();
      const index = code - this.firstCode[len]!;
      if (index >= 0 && index < this.countAt[len]!) return this.sorted[this.offsetAt[len]! + index]!;
    }
    throw new RangeError('invalid Huffman code (corrupt artifact)');
  }
}
