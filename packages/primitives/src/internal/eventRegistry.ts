/** The event types and projections installed in this process, by type. */
import { Schema } from "effect"
import type { Either, ParseResult } from "effect"
import type { EventDefinition } from "../Event.js"
import type { EventModule } from "../EventModule.js"
import type { Handler, Projection } from "../Projection.js"

export interface RegisteredType {
  readonly definition: EventDefinition<string, any, any>
  /** Validates a payload (the schema's type) and gives its JSON-ready encoded form. */
  readonly encode: (data: unknown) => Either.Either<unknown, ParseResult.ParseError>
  /** Turns a stored (encoded) payload back into the schema's type. */
  readonly decode: (data: unknown) => Either.Either<unknown, ParseResult.ParseError>
  /** Handlers of every installed projection for this type, in installation order. */
  handlers: ReadonlyArray<{ readonly projection: string; readonly handler: Handler<string, any> }>
}

export class EventRegistry {
  readonly types = new Map<string, RegisteredType>()
  readonly projections = new Map<string, Projection>()
  readonly modules = new Set<string>()

  install(module: EventModule): void {
    if (this.modules.has(module.name)) return
    for (const definition of module.events) {
      const existing = this.types.get(definition.type)
      if (existing !== undefined && existing.definition !== definition) {
        throw new Error(`event type "${definition.type}" is declared twice (module ${module.name})`)
      }
      this.types.set(definition.type, {
        definition,
        encode: Schema.encodeUnknownEither(definition.schema, { errors: "all", onExcessProperty: "error" }),
        decode: Schema.decodeUnknownEither(definition.schema),
        handlers: []
      })
    }
    for (const projection of module.projections) {
      if (this.projections.has(projection.name)) throw new Error(`projection "${projection.name}" is declared twice`)
      this.projections.set(projection.name, projection)
      for (const [type, handler] of projection.handlers) {
        const registered = this.types.get(type)
        if (registered === undefined) {
          throw new Error(`projection "${projection.name}" handles "${type}", which no installed module declares`)
        }
        registered.handlers = [...registered.handlers, { projection: projection.name, handler }]
      }
    }
    this.modules.add(module.name)
  }
}
