/** The strategies a project knows: the built-in ones, then the registered ones in name order. */
import { Effect } from "effect"
import { sql } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import type { StrategyInfo } from "../Strategy.js"
import { builtinStrategies } from "../Strategy.js"
import type { Queryable } from "./queryable.js"

interface StrategyRow {
  readonly name: string
  readonly description: string
  readonly keywords: string
  readonly registered_at: number
}

export const listStrategies = (db: Queryable, project: string): Effect.Effect<ReadonlyArray<StrategyInfo>, StorageError> =>
  Effect.map(
    db.query<StrategyRow>(
      sql`SELECT name, description, keywords, registered_at FROM learning_strategies WHERE project = ${project} ORDER BY name`
    ),
    (rows) => [
      ...builtinStrategies,
      ...rows.map((r): StrategyInfo => ({
        name: r.name,
        description: r.description,
        keywords: JSON.parse(r.keywords) as ReadonlyArray<string>,
        builtin: false,
        registeredAt: r.registered_at
      }))
    ]
  )
