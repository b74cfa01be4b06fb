/**
 * Events → `memories`, `memories_fts`, `memory_tags`, `memory_links`. Handlers use only the event
 * and existing rows, so a rebuild reproduces every table exactly (including the sketches, which are
 * a pure function of the stored vector, and the rowids, which are the `memory_stored` positions).
 */
import { Projection, sql, statement } from "@waggle/primitives"
import type { Statement } from "@waggle/primitives"
import {
  MemoryLinked,
  MemoryReembedded,
  MemoryRemoved,
  MemoryStored,
  MemorySuperseded,
  MemoryUnlinked,
  MemoryValidated
} from "./events.js"
import { int8Blob, quantize, sketchBlob, sketchOf } from "./sketch.js"
import { fromBase64, toBlob } from "./vector.js"

export const MEMORY_TABLES = ["memories", "memories_fts", "memory_tags", "memory_links"] as const

/** The stored vector, its sketch and its int8 form, as column values. */
export const vectorColumns = (embedding: string) => {
  const v = fromBase64(embedding)
  return { embedding: toBlob(v), sketch: sketchBlob(sketchOf(v)), qvec: int8Blob(quantize(v)) }
}

const tagRows = (project: string, seq: number, tags: ReadonlyArray<string>): Array<Statement> =>
  tags.length === 0 ? [] : [
    statement(
      `INSERT INTO memory_tags (project, tag, seq) VALUES ${tags.map(() => "(?, ?, ?)").join(", ")} ON CONFLICT DO NOTHING`,
      tags.flatMap((tag) => [project, tag, seq])
    )
  ]

const SEQ_OF = "(SELECT seq FROM memories WHERE project = ?1 AND id = ?2)"

export const memoriesProjection = Projection.make("memories", MEMORY_TABLES)
  .on(MemoryStored, (e) => {
    const d = e.data
    const { embedding, qvec, sketch } = vectorColumns(d.embedding)
    return [
      sql`INSERT INTO memories (seq, project, id, collection, confidence, valid_from, valid_until, superseded_by, validated_at,
                                embedder, sketch, qvec, embedding, tags, metadata, source, content)
          VALUES (${e.position}, ${e.project}, ${d.id}, ${d.collection}, ${d.confidence}, ${d.validFrom}, NULL, NULL, NULL,
                  ${d.embedder}, ${sketch}, ${qvec}, ${embedding}, ${JSON.stringify(d.tags)}, ${JSON.stringify(d.metadata)},
                  ${d.source}, ${d.content})`,
      sql`INSERT INTO memories_fts (rowid, content, tags, project) VALUES (${e.position}, ${d.content}, ${d.tags.join(" ")}, ${e.project})`,
      ...tagRows(e.project, e.position, d.tags)
    ]
  })
  .on(MemorySuperseded, (e) => [
    sql`UPDATE memories SET valid_until = ${e.data.at}, superseded_by = ${e.data.by}
        WHERE project = ${e.project} AND id = ${e.data.id}`
  ])
  .on(MemoryRemoved, (e) => [
    statement(`DELETE FROM memories_fts WHERE rowid = ${SEQ_OF}`, [e.project, e.data.id]),
    statement(
      `DELETE FROM memory_tags WHERE project = ?1 AND seq = ${SEQ_OF}
         AND tag IN (SELECT value FROM json_each((SELECT tags FROM memories WHERE project = ?1 AND id = ?2)))`,
      [e.project, e.data.id]
    ),
    sql`DELETE FROM memory_links WHERE project = ${e.project} AND source = ${e.data.id}`,
    sql`DELETE FROM memory_links WHERE project = ${e.project} AND target = ${e.data.id}`,
    sql`DELETE FROM memories WHERE project = ${e.project} AND id = ${e.data.id}`
  ])
  .on(MemoryValidated, (e) => [
    sql`UPDATE memories SET validated_at = ${e.data.at}, confidence = coalesce(${e.data.confidence}, confidence)
        WHERE project = ${e.project} AND id = ${e.data.id}`
  ])
  .on(MemoryReembedded, (e) => {
    const { embedding, qvec, sketch } = vectorColumns(e.data.embedding)
    return [
      sql`UPDATE memories SET embedder = ${e.data.embedder}, sketch = ${sketch}, qvec = ${qvec}, embedding = ${embedding}
          WHERE project = ${e.project} AND id = ${e.data.id}`
    ]
  })
  .on(MemoryLinked, (e) => [
    sql`INSERT INTO memory_links (project, source, target, type, strength, created_at)
        VALUES (${e.project}, ${e.data.source}, ${e.data.target}, ${e.data.type}, ${e.data.strength}, ${e.createdAt})
        ON CONFLICT (project, source, target, type) DO UPDATE SET strength = excluded.strength`
  ])
  .on(MemoryUnlinked, (e) => [
    sql`DELETE FROM memory_links WHERE project = ${e.project} AND source = ${e.data.source}
        AND target = ${e.data.target} AND type = ${e.data.type}`
  ])
