/** Reading skills with their decayed use statistics. */
import { Effect } from "effect"
import { placeholders, statement } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import * as Evidence from "../Evidence.js"
import type { LearningConfigShape } from "../LearningConfig.js"
import { halfLifeMs } from "../LearningConfig.js"
import type { SkillView } from "../Skill.js"
import { loadEvidence } from "./evidence.js"
import type { Queryable } from "./queryable.js"

interface SkillRow {
  readonly name: string
  readonly description: string
  readonly template: string
  readonly tags: string
  readonly added_at: number
}

/** Skills (all, or those named) as of `now`, in name order. */
export const loadSkills = (
  db: Queryable,
  project: string,
  names: ReadonlyArray<string> | undefined,
  now: number,
  config: LearningConfigShape
): Effect.Effect<ReadonlyArray<SkillView>, StorageError> =>
  Effect.gen(function*() {
    if (names !== undefined && names.length === 0) return []
    const filter = names === undefined ? "" : ` AND name IN (${placeholders(names.length)})`
    const rows = yield* db.query<SkillRow>(statement(
      `SELECT name, description, template, tags, added_at FROM learning_skills WHERE project = ?${filter} ORDER BY name`,
      [project, ...(names ?? [])]
    ))
    const evidence = yield* loadEvidence(db, project, "skill", names, now, config)
    const { priorAlpha, priorBeta } = config.thompson
    return rows.map((r): SkillView => {
      const uses = evidence.get(r.name) ?? []
      const t = Evidence.tally(uses, now, halfLifeMs(config))
      const alpha = priorAlpha + t.successes
      const beta = priorBeta + t.failures
      const successes = uses.filter((u) => u.success).length
      return {
        name: r.name,
        description: r.description,
        template: r.template,
        tags: JSON.parse(r.tags) as ReadonlyArray<string>,
        alpha,
        beta,
        mean: alpha / (alpha + beta),
        uses: uses.length,
        successes,
        failures: uses.length - successes,
        addedAt: r.added_at,
        lastUsedAt: t.lastAt
      }
    })
  })
