/**
 * Binary sketches of vectors for the candidate scan: a fixed random rotation (random signs, then
 * a fast Walsh–Hadamard transform over the next power of two) followed by one sign bit per
 * coordinate. The Hamming distance between two sketches estimates the angle between the vectors
 * (random-hyperplane LSH), at 32 bytes per 256-dimensional vector and a few integer operations per
 * comparison. The rotation matters: hashed embeddings of short texts have many zero coordinates,
 * whose raw signs carry nothing.
 *
 * Deterministic (fixed seed): the projection stores a memory's sketch (and its int8 form, below),
 * and a rebuild reproduces them.
 */
import { mulberry32 } from "./mulberry32.js"

const SEED = 0x5eed_cafe

/** Sketch length in bits for vectors of `dimension`: the next power of two, at least 32. */
export const sketchBits = (dimension: number): number => {
  let p = 32
  while (p < dimension) p *= 2
  return p
}

const signCache = new Map<number, Float64Array>()
const signsFor = (bits: number): Float64Array => {
  let signs = signCache.get(bits)
  if (signs === undefined) {
    const rand = mulberry32(SEED)
    signs = Float64Array.from({ length: bits }, () => (rand() < 0.5 ? -1 : 1))
    signCache.set(bits, signs)
  }
  return signs
}

/** The sketch of `v` as 32-bit words (bit i of word w is coordinate 32w + i of the rotated vector > 0). */
export const sketchOf = (v: Float32Array): Uint32Array => {
  const bits = sketchBits(v.length)
  const signs = signsFor(bits)
  const a = new Float64Array(bits)
  for (let i = 0; i < v.length; i++) a[i] = v[i]! * signs[i]!
  for (let h = 1; h < bits; h *= 2) {
    for (let i = 0; i < bits; i += h * 2) {
      for (let j = i; j < i + h; j++) {
        const x = a[j]!
        const y = a[j + h]!
        a[j] = x + y
        a[j + h] = x - y
      }
    }
  }
  const words = new Uint32Array(bits / 32)
  for (let w = 0; w < words.length; w++) {
    let word = 0
    for (let b = 0; b < 32; b++) if (a[w * 32 + b]! > 0) word |= 1 << b
    words[w] = word >>> 0
  }
  return words
}

/** A sketch's bytes for the database (little-endian words). */
export const sketchBlob = (words: Uint32Array): Uint8Array => {
  const out = new Uint8Array(words.length * 4)
  const view = new DataView(out.buffer)
  for (let i = 0; i < words.length; i++) view.setUint32(i * 4, words[i]!, true)
  return out
}

export const sketchFromBlob = (bytes: Uint8Array): Uint32Array => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const words = new Uint32Array(bytes.byteLength >>> 2)
  for (let i = 0; i < words.length; i++) words[i] = view.getUint32(i * 4, true)
  return words
}

/**
 * The vector scaled to int8 (q = round(127 · v / max|v|)): 1 byte per dimension, enough to rank a
 * few thousand sketch candidates in memory before the exact re-rank in SQL.
 */
export const quantize = (v: Float32Array): Int8Array => {
  let max = 0
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]!))
  const q = new Int8Array(v.length)
  if (max === 0) return q
  const scale = 127 / max
  for (let i = 0; i < v.length; i++) q[i] = Math.round(v[i]! * scale)
  return q
}

export const int8Blob = (q: Int8Array): Uint8Array => new Uint8Array(q.buffer, q.byteOffset, q.byteLength)

/** A view of the bytes as int8 (no copy: the index copies it into its own array). */
export const int8FromBlob = (bytes: Uint8Array): Int8Array => new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
