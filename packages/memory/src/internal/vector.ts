/**
 * Vectors as stored: little-endian float32, as a BLOB in SQL (what libSQL's `vector_distance_cos`
 * reads) and as base64 in events.
 */

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/** The bytes of a vector, little-endian float32 (a view when the platform is little-endian). */
export const toBlob = (v: Float32Array): Uint8Array => {
  if (littleEndian) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
  const out = new Uint8Array(v.length * 4)
  const view = new DataView(out.buffer)
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i]!, true)
  return out
}

/** A vector from little-endian float32 bytes (copied, so it owns aligned memory). */
export const fromBlob = (bytes: Uint8Array): Float32Array => {
  const n = bytes.byteLength >>> 2
  const out = new Float32Array(n)
  if (littleEndian) {
    new Uint8Array(out.buffer).set(bytes.subarray(0, n * 4))
    return out
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true)
  return out
}

export const toBase64 = (v: Float32Array): string => Buffer.from(toBlob(v)).toString("base64")

export const fromBase64 = (text: string): Float32Array => fromBlob(Buffer.from(text, "base64"))

export const dot = (a: Float32Array, b: Float32Array): number => {
  const n = Math.min(a.length, b.length)
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let i = 0
  for (; i + 3 < n; i += 4) {
    s0 += a[i]! * b[i]!
    s1 += a[i + 1]! * b[i + 1]!
    s2 += a[i + 2]! * b[i + 2]!
    s3 += a[i + 3]! * b[i + 3]!
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!
  return s0 + s1 + s2 + s3
}

/** Scales `v` to unit length in place (a zero vector stays zero); returns it. */
export const normalize = (v: Float32Array): Float32Array => {
  const norm = Math.sqrt(dot(v, v))
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm
  return v
}

/** Cosine similarity of two vectors of any length (0 when either is zero). */
export const cosine = (a: Float32Array, b: Float32Array): number => {
  const d = dot(a, b)
  const na = Math.sqrt(dot(a, a))
  const nb = Math.sqrt(dot(b, b))
  return na === 0 || nb === 0 ? 0 : d / (na * nb)
}

/** Whether every component is a finite number. */
export const isFinite32 = (v: Float32Array): boolean => {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false
  return true
}
