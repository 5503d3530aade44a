/**
 * Bit-level packing for the compressed artifact: fields of 1..32 bits written
 * least-significant bit first into a growing byte buffer, and read back the same way.
 */
export class BitWriter {
  private bytes = new Uint8Array(1024);
  private bitLength = 0;

  get bits(): number { return this.bitLength; }

  write(value: number, width: number): void {
    if (width === 0) return;
    if (width < 0 || width > 32) throw new RangeError(`bit width must be 0..32, got ${width}`);
    this.reserve(this.bitLength + width);
    // Byte-aligned whole bytes (float32/float16/int8 codes in dense tensors) go in a byte at a time.
    if ((this.bitLength & 7) === 0 && (width & 7) === 0) {
      for (let i = 0; i < width; i += 8) this.bytes[(this.bitLength + i) >>> 3] = (value >>> i) & 0xff;
      this.bitLength += width;
      return;
    }
    for (let i = 0; i < width; i++) {
      if ((value >>> i) & 1) this.bytes[this.bitLength >>> 3]! |= 1 << (this.bitLength & 7);
      this.bitLength++;
    }
  }

  /** Huffman codes are prefix codes read bit by bit from their most significant end. */
  writeMsbFirst(code: number, length: number): void {
    this.reserve(this.bitLength + length);
    for (let i = length - 1; i >= 0; i--) {
      if ((code >>> i) & 1) this.bytes[this.bitLength >>> 3]! |= 1 << (this.bitLength & 7);
      this.bitLength++;
    }
  }

  /** The bytes written so far, the last one zero-padded. */
  finish(): Uint8Array {
    return this.bytes.slice(0, Math.ceil(this.bitLength / 8));
  }

  private reserve(bits: number): void {
    const need = Math.ceil(bits / 8);
    if (need <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
    grown.set(this.bytes);
    this.bytes = grown;
  }
}

export class BitReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get bitsRead(): number { return this.position; }

  read(width: number): number {
    if ((this.position & 7) === 0 && (width & 7) === 0 && width > 0) {
      const at = this.position >>> 3;
      if (at + width / 8 > this.bytes.length) throw new RangeError('compressed tensor ends early (truncated or corrupt artifact)');
      let value = 0;
      for (let i = 0; i < width; i += 8) value |= this.bytes[at + i / 8]! << i;
      this.position += width;
      return value >>> 0;
    }
    let value = 0;
    for (let i = 0; i < width; i++) value |= this.bit() << i;
    return value >>> 0;
  }

  bit(): number {
    const p = this.position++;
    if (p >>> 3 >= this.bytes.length) throw new RangeError('compressed tensor ends early (truncated or corrupt artifact)');
    return (this.bytes[p >>> 3]! >>> (p & 7)) & 1;
  }
}
