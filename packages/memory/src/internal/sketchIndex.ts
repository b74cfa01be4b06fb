/**
 * The in-process candidate index: one binary sketch per memory of the current embedder, with what
 * the scan filters on (collection, validity). A search computes the Hamming distance from the
 * query's sketch to every eligible memory (a few integer operations each) and returns the `pool`
 * nearest; the caller re-ranks them exactly in SQL with `vector_distance_cos`. Dense arrays,
 * swap-remove: about 60 bytes per memory besides the id strings.
 */
import { popcount } from "./sketch.js"

export interface IndexEntry {
  readonly seq: number
  readonly id: string
  readonly collection: string
  readonly validFrom: number
  readonly validUntil: number | null
  readonly sketch: Uint32Array
}

export interface IndexFilter {
  readonly collection: string | undefined
  /** Memories valid at this time; when undefined, memories valid now (not superseded). */
  readonly asOf: number | undefined
  /** With no `asOf`: include superseded memories too. */
  readonly includeSuperseded: boolean
}

export interface Candidates {
  /** The nearest eligible memories' seqs, at most `pool`. */
  readonly seqs: ReadonlyArray<number>
  /** How many memories passed the filter. */
  readonly eligible: number
}

export class SketchIndex {
  private capacity = 1024
  private sketches: Uint32Array
  private seqs = new Float64Array(this.capacity)
  private from = new Float64Array(this.capacity)
  private until = new Float64Array(this.capacity)
  private collections = new Int32Array(this.capacity)
  private ids: Array<string> = []
  private distances = new Uint16Array(this.capacity)
  private readonly slotOfId = new Map<string, number>()
  private readonly collectionIds = new Map<string, number>()
  size = 0

  constructor(readonly words: number) {
    this.sketches = new Uint32Array(this.capacity * words)
  }

  private grow(): void {
    const capacity = this.capacity * 2
    const sketches = new Uint32Array(capacity * this.words)
    sketches.set(this.sketches)
    this.sketches = sketches
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(capacity)
      b.set(a)
      return b
    }
    this.seqs = grow64(this.seqs)
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

  has(id: string): boolean {
    return this.slotOfId.has(id)
  }

  upsert(entry: IndexEntry): void {
    if (entry.sketch.length !== this.words) return
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
      this.from[slot] = this.from[last]!
      this.until[slot] = this.until[last]!
      this.collections[slot] = this.collections[last]!
      this.sketches.copyWithin(slot * this.words, last * this.words, (last + 1) * this.words)
      this.slotOfId.set(movedId, slot)
    }
    this.ids.length = last
  }

  /** The `pool` eligible memories nearest to `query` by Hamming distance (ties broken by position). */
  candidates(query: Uint32Array, filter: IndexFilter, pool: number): Candidates {
    const words = this.words
    const bits = words * 32
    const collection = filter.collection === undefined ? -1 : this.collectionIds.get(filter.collection)
    if (collection === undefined) return { seqs: [], eligible: 0 }
    const asOf = filter.asOf
    const histogram = new Uint32Array(bits + 2)
    const INELIGIBLE = bits + 1
    let eligible = 0
    for (let slot = 0; slot < this.size; slot++) {
      const ok = (collection < 0 || this.collections[slot] === collection) &&
        (asOf === undefined
          ? filter.includeSuperseded || this.until[slot] === Infinity
          : this.from[slot]! <= asOf && this.until[slot]! > asOf)
      if (!ok) {
        this.distances[slot] = INELIGIBLE
        continue
      }
      let d = 0
      const base = slot * words
      for (let w = 0; w < words; w++) d += popcount((this.sketches[base + w]! ^ query[w]!) >>> 0)
      this.distances[slot] = d
      histogram[d]!++
      eligible++
    }
    const take = Math.min(pool, eligible)
    // The cut-off distance: everything below it, then some at it, makes `take`.
    let cut = 0
    let below = 0
    while (cut <= bits && below + histogram[cut]! < take) below += histogram[cut++]!
    let atCut = take - below
    const seqs: Array<number> = []
    for (let slot = 0; slot < this.size && seqs.length < take; slot++) {
      const d = this.distances[slot]!
      if (d < cut) seqs.push(this.seqs[slot]!)
      else if (d === cut && atCut > 0) {
        seqs.push(this.seqs[slot]!)
        atCut--
      }
    }
    return { seqs, eligible }
  }
}
