/**
 * A small seeded pseudo-random number generator (xoshiro128**, seeded through splitmix32), so that
 * Thompson sampling is reproducible under a seed. Not for cryptography.
 */

/** A source of uniform numbers in [0, 1). Each call advances its state. */
export type Uniform = () => number

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k))

/** A generator seeded with the low 32 bits of `seed`; the same seed gives the same sequence. */
export const make = (seed: number): Uniform => {
  let s = Math.trunc(seed) >>> 0
  const splitmix32 = (): number => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = splitmix32()
  let b = splitmix32()
  let c = splitmix32()
  let d = splitmix32()
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0
    const t = b << 9
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = rotl(d, 11)
    return result / 4294967296
  }
}
