/**
 * Skills: reusable prompt templates whose uses are recorded as successes or failures; `select`
 * picks one by Thompson sampling over their Beta(α, β) statistics (see `Skill`).
 */
import { Clock, Context, Effect, Layer, Option } from "effect"
import { decoderFor, EventStore, Storage } from "@waggle/primitives"
import type { InvalidInput, MigrationError, StorageError } from "@waggle/primitives"
import { LearningConfig } from "./LearningConfig.js"
import { SkillExists, SkillNotFound } from "./LearningErrors.js"
import { RandomSource } from "./RandomSource.js"
import type { SkillChoice, SkillView } from "./Skill.js"
import { AddSkillInput, RecordUseInput, SelectSkillInput, SkillName } from "./Skill.js"
import * as Thompson from "./Thompson.js"
import { SkillAdded, skillStream, SkillUsed } from "./internal/events.js"
import { LearningModule } from "./internal/module.js"
import { appendOwn } from "./internal/queryable.js"
import { loadSkills } from "./internal/skills.js"

export interface SkillsService {
  readonly add: (input: AddSkillInput) => Effect.Effect<SkillView, InvalidInput | SkillExists | StorageError>
  /** Records one use of the skill and whether it succeeded. */
  readonly recordUse: (input: RecordUseInput) => Effect.Effect<SkillView, InvalidInput | SkillNotFound | StorageError>
  /** Thompson sampling among the skills carrying any of `tags` (all skills without tags); none if no skill matches. */
  readonly select: (input?: SelectSkillInput) => Effect.Effect<Option.Option<SkillChoice>, InvalidInput | StorageError>
  readonly get: (name: string) => Effect.Effect<SkillView, InvalidInput | SkillNotFound | StorageError>
  readonly list: Effect.Effect<ReadonlyArray<SkillView>, StorageError>
}

const decodeAdd = decoderFor(AddSkillInput, "Skills.add")
const decodeUse = decoderFor(RecordUseInput, "Skills.recordUse")
const decodeSelect = decoderFor(SelectSkillInput, "Skills.select")
const decodeName = decoderFor(SkillName, "Skills.get")

const make = Effect.gen(function*() {
  const store = yield* EventStore
  const storage = yield* Storage
  const config = yield* LearningConfig
  const random = yield* RandomSource
  yield* store.install(LearningModule)
  const project = store.project

  const service: SkillsService = {
    add: (input) =>
      Effect.gen(function*() {
        const s = yield* decodeAdd(input)
        return yield* store.transact((tx) =>
          Effect.gen(function*() {
            if ((yield* loadSkills(tx, tx.project, [s.name], tx.now, config)).length > 0) {
              return yield* new SkillExists({ name: s.name })
            }
            yield* appendOwn(tx, skillStream(s.name), SkillAdded.make({
              name: s.name,
              description: s.description,
              template: s.template,
              tags: [...new Set(s.tags ?? [])]
            }))
            const [added] = yield* loadSkills(tx, tx.project, [s.name], tx.now, config)
            return added!
          })
        )
      }),
    recordUse: (input) =>
      Effect.gen(function*() {
        const u = yield* decodeUse(input)
        return yield* store.transact((tx) =>
          Effect.gen(function*() {
            if ((yield* loadSkills(tx, tx.project, [u.name], tx.now, config)).length === 0) {
              return yield* new SkillNotFound({ name: u.name })
            }
            yield* appendOwn(tx, skillStream(u.name), SkillUsed.make({ name: u.name, success: u.success }))
            const [used] = yield* loadSkills(tx, tx.project, [u.name], tx.now, config)
            return used!
          })
        )
      }),
    select: (input = {}) =>
      Effect.gen(function*() {
        const q = yield* decodeSelect(input)
        const now = yield* Clock.currentTimeMillis
        const all = yield* loadSkills(storage, project, undefined, now, config)
        const wanted = q.tags === undefined || q.tags.length === 0 ? undefined : new Set(q.tags)
        const candidates = wanted === undefined ? all : all.filter((s) => s.tags.some((t) => wanted.has(t)))
        if (candidates.length === 0) return Option.none()
        const choice = yield* random.use((u) => Thompson.choose(u, candidates))
        const skill = candidates.find((s) => s.name === choice.chosen)!
        const draw = choice.draws.find((d) => d.name === choice.chosen)!.sample
        return Option.some({ skill, draw, draws: choice.draws })
      }),
    get: (name) =>
      Effect.gen(function*() {
        const valid = yield* decodeName(name)
        const now = yield* Clock.currentTimeMillis
        const [skill] = yield* loadSkills(storage, project, [valid], now, config)
        return skill === undefined ? yield* new SkillNotFound({ name: valid }) : skill
      }),
    list: Effect.flatMap(Clock.currentTimeMillis, (now) => loadSkills(storage, project, undefined, now, config))
  }
  return service
})

export class Skills extends Context.Tag("@waggle/learning/Skills")<Skills, SkillsService>() {
  static readonly layer: Layer.Layer<Skills, MigrationError | StorageError, EventStore | Storage | LearningConfig | RandomSource> =
    Layer.effect(Skills, make)
}
