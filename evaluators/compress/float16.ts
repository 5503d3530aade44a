/** IEEE 754 half precision: the bit pattern hwnas stores for 16-bit weights, and back. */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float16 bit pattern nearest to a float32 (round to nearest, ties to even). */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = x >>> 31, exponent = (x >>> 23) & 0xff, mantissa = x & 0x7fffff;
  if (exponent === 0xff) return (sign << 15) | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return (sign << 15) | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign << 15;
    // Subnormal: the bits shifted out decide the rounding, all of them (a pre-shift dropped some).
    const full = mantissa | 0x800000, shift = 14 - e;
    const rest = full & ((1 << shift) - 1), halfway = 1 << (shift - 1);
    let m = full >>> shift;
    if (rest > halfway || (rest === halfway && (m & 1))) m++;
    return (sign << 15) | m;
  }
  let half = (sign << 15) | (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++;
  return half;
}

export function fromFloat16Bits(half: number): number {
  const hs = (half >>> 15) & 1, he = (half >>> 10) & 0x1f, hm = half & 0x3ff;
  const magnitude = he === 0 ? hm * 2 ** -24 : he === 0x1f ? (hm ? Number.NaN : Infinity) : (1 + hm / 1024) * 2 ** (he - 15);
  return hs ? -magnitude : magnitude;
}

/** Rounds a float32 to the nearest float16 and back. */
export function toFloat16AndBack(value: number): number {
  return Number.isNaN(value) ? value : fromFloat16Bits(float16Bits(value));
}
