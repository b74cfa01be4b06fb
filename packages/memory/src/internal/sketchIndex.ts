/**
 * The in-process candidate index: per memory of the current embedder, its binary sketch and its
 * int8 vector, with what searches filter on (collection, validity). A search
 *  1. computes the Hamming distance from the query's sketch to every eligible memory (8 integer
 *     popcounts for 256 dimensions) and keeps the `pool` nearest;
 *  2. ranks those by the dot product of the query with their int8 vectors and keeps `keep`;
 * the caller re-ranks these exactly in SQL with `vector_distance_cos`. Dense typed arrays with
 * swap-remove: about 300 bytes per memory of 256 dimensions, besides the id strings.
 */

export interface IndexEntry {
  readonly seq: number
  readonly id: string
  readonly collection: string
  readonly validFrom: number
  readonly validUntil: number | null
  readonly sketch: Uint32Array
  readonly qvec: Int8Array
}

export interface IndexFilter {
  readonly collection: string | undefined
  /** Memories valid at this time; when undefined, memories valid now (not superseded). */
  readonly asOf: number | undefined
  /** With no `asOf`: include superseded memories too. */
  readonly includeSuperseded: boolean
}

export interface Candidates {
  /** The nearest eligible memories' seqs, at most `keep`, nearest first. */
  readonly seqs: ReadonlyArray<number>
  /** How many memories passed the filter. */
  readonly eligible: number
}

export class SketchIndex {
  private capacity = 1024
  private sketches: Uint32Array
  private qvecs: Int8Array
  private seqs = new Float64Array(this.capacity)
  /** 1 / the int8 vector's length: its dot product with a unit query, scaled, is then the cosine. */
  private inverseNorms = new Float64Array(this.capacity)
  private from = new Float64Array(this.capacity)
  private until = new Float64Array(this.capacity)
  private collections = new Int32Array(this.capacity)
  private ids: Array<string> = []
  private distances = new Uint16Array(this.capacity)
  private readonly slotOfId = new Map<string, number>()
  private readonly collectionIds = new Map<string, number>()
  size = 0

  constructor(readonly words: number, readonly dimension: number) {
    this.sketches = new Uint32Array(this.capacity * words)
    this.qvecs = new Int8Array(this.capacity * dimension)
  }

  private grow(): void {
    const capacity = this.capacity * 2
    const sketches = new Uint32Array(capacity * this.words)
    sketches.set(this.sketches)
    this.sketches = sketches
    const qvecs = new Int8Array(capacity * this.dimension)
    qvecs.set(this.qvecs)
    this.qvecs = qvecs
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(capacity)
      b.set(a)
      return b
    }
    this.seqs = grow64(this.seqs)
    this.inverseNorms = grow64(this.inverseNorms)
    this.from = grow64(this.from)
    this.until = grow64(this.until)
    const collections = new Int32Array(capacity)
    collections.set(this.collections)
    this.collections = collections
    this.distances = new Uint16Array(capacity)
    this.capacity = capacity
  }

  private collectionId(name: string): number {
    let id = this.collectionIds.get(name)
    if (id === undefined) {
      id = this.collectionIds.size
      this.collectionIds.set(name, id)
    }
    return id
  }

  upsert(entry: IndexEntry): void {
    if (entry.sketch.length !== this.words || entry.qvec.length !== this.dimension) return
    let slot = this.slotOfId.get(entry.id)
    if (slot === undefined) {
      if (this.size === this.capacity) this.grow()
      slot = this.size++
      this.slotOfId.set(entry.id, slot)
    }
    this.ids[slot] = entry.id
    this.seqs[slot] = entry.seq
    this.from[slot] = entry.validFrom
    this.until[slot] = entry.validUntil ?? Infinity
    this.collections[slot] = this.collectionId(entry.collection)
    this.sketches.set(entry.sketch, slot * this.words)
    this.qvecs.set(entry.qvec, slot * this.dimension)
    let norm = 0
    for (let i = 0; i < entry.qvec.length; i++) norm += entry.qvec[i]! * entry.qvec[i]!
    this.inverseNorms[slot] = norm === 0 ? 0 : 1 / Math.sqrt(norm)
  }

  setValidUntil(id: string, validUntil: number | null): void {
    const slot = this.slotOfId.get(id)
    if (slot !== undefined) this.until[slot] = validUntil ?? Infinity
  }

  remove(id: string): void {
    const slot = this.slotOfId.get(id)
    if (slot === undefined) return
    const last = --this.size
    this.slotOfId.delete(id)
    if (slot !== last) {
      const movedId = this.ids[last]!
      this.ids[slot] = movedId
      this.seqs[slot] = this.seqs[last]!
      this.inverseNorms[slot] = this.inverseNorms[last]!
      this.from[slot] = this.from[last]!
      this.until[slot] = this.until[last]!
      this.collections[slot] = this.collections[last]!
      this.sketches.copyWithin(slot * this.words, last * this.words, (last + 1) * this.words)
      this.qvecs.copyWithin(slot * this.dimension, last * this.dimension, (last + 1) * this.dimension)
      this.slotOfId.set(movedId, slot)
    }
    this.ids.length = last
  }

  /** Stage 1: the `pool` eligible slots nearest to `query` by Hamming distance. */
  private nearestSlots(query: Uint32Array, filter: IndexFilter, pool: number): { slots: Array<number>; eligible: number } {
    const words = this.words
    const bits = words * 32
    const collection = filter.collection === undefined ? -1 : this.collectionIds.get(filter.collection)
    if (collection === undefined) return { slots: [], eligible: 0 }
    // Locals, not fields, in the hot loop: V8 then keeps them in registers.
    const size = this.size
    const sketches = this.sketches
    const until = this.until
    const from = this.from
    const collections = this.collections
    const distances = this.distances
    const asOf = filter.asOf ?? -1
    const current = filter.asOf === undefined && !filter.includeSuperseded
    const histogram = new Uint32Array(bits + 2)
    const INELIGIBLE = bits + 1
    let eligible = 0
    for (let slot = 0, base = 0; slot < size; slot++, base += words) {
      if (
        (collection >= 0 && collections[slot] !== collection) ||
        (current && until[slot] !== Infinity) ||
        (asOf >= 0 && (from[slot]! > asOf || until[slot]! <= asOf))
      ) {
        distances[slot] = INELIGIBLE
        continue
      }
      let d = 0
      for (let w = 0; w < words; w++) {
        let x = (sketches[base + w]! ^ query[w]!) >>> 0
        x -= (x >>> 1) & 0x55555555
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
        d += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
      }
      distances[slot] = d
      histogram[d]!++
      eligible++
    }
    const take = Math.min(pool, eligible)
    // The cut-off distance: everything below it, then some at it, makes `take`.
    let cut = 0
    let below = 0
    while (cut <= bits && below + histogram[cut]! < take) below += histogram[cut++]!
    let atCut = take - below
    const slots: Array<number> = []
    for (let slot = 0; slot < size && slots.length < take; slot++) {
      const d = distances[slot]!
      if (d < cut) slots.push(slot)
      else if (d === cut && atCut > 0) {
        slots.push(slot)
        atCut--
      }
    }
    return { slots, eligible }
  }

  /**
   * The eligible memories nearest to `vector` (whose sketch is `sketch`): the `pool` nearest by
   * sketch, then the `keep` of those with the highest int8 dot product, nearest first.
   */
  candidates(sketch: Uint32Array, vector: Float32Array, filter: IndexFilter, pool: number, keep: number): Candidates {
    const { eligible, slots } = this.nearestSlots(sketch, filter, pool)
    const dim = this.dimension
    const qvecs = this.qvecs
    const scored = slots.map((slot) => {
      let s = 0
      for (let i = 0, base = slot * dim; i < dim; i++) s += vector[i]! * qvecs[base + i]!
      return { seq: this.seqs[slot]!, s: s * this.inverseNorms[slot]! }
    })
    scored.sort((a, b) => b.s - a.s || a.seq - b.seq)
    return { seqs: scored.slice(0, keep).map((x) => x.seq), eligible }
  }
}
