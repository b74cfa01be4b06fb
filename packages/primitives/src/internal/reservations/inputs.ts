/** The schemas of the file reservations' public inputs, decoded at the boundary (see `FileReservations`). */
import { Duration, Schema } from "effect"
import { BoundedText, Name } from "../../Text.js"
import { Millis } from "../millis.js"
import { MAX_PATTERN_LENGTH } from "./paths.js"

export const MAX_PATHS = 200
export const MAX_IDS = 1000
export const DEFAULT_TTL_MS = Duration.toMillis(Duration.hours(1))

export const Agent = Name(200)
const Path = BoundedText(MAX_PATTERN_LENGTH)
const Paths = Schema.Array(Path).pipe(Schema.minItems(1), Schema.maxItems(MAX_PATHS))
const exact = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

export const ReserveArgs = Schema.Struct({
  agent: Agent,
  paths: Paths,
  options: Schema.Struct({
    exclusive: exact(Schema.Boolean),
    ttl: exact(Millis(Duration.seconds(1), Duration.hours(24))),
    reason: exact(BoundedText(500)),
    force: exact(Schema.Boolean)
  })
})

export const CheckArgs = Schema.Struct({
  agent: Agent,
  paths: Paths,
  options: Schema.Struct({ exclusive: exact(Schema.Boolean) })
})

export const ReleaseArgs = Schema.Struct({
  agent: Agent,
  selection: Schema.Struct({
    paths: exact(Paths),
    ids: exact(Schema.Array(Name(100)).pipe(Schema.minItems(1), Schema.maxItems(MAX_IDS)))
  }).pipe(Schema.filter((s) => s.paths !== undefined || s.ids !== undefined, {
    message: () => "give paths or ids (releaseMine releases everything of the agent's)"
  }))
})

export const AgentArgs = Schema.Struct({ agent: Agent })
export const ListArgs = Schema.Struct({ agent: exact(Agent) })
