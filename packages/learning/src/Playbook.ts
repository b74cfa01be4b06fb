/**
 * The playbook: learned behavioural rules (see `Rule`). Adding, reinforcing, contradicting and
 * retiring are events; confidence and maturity are computed from the decayed evidence when read.
 * Active, non-deprecated rules reach the next decomposition through `Learning.insights`.
 */
import { Clock, Context, Effect, Layer } from "effect"
import { decoderFor, EventStore, Storage } from "@waggle/primitives"
import type { EventStoreService, EventTx, InvalidInput, MigrationError, StorageError } from "@waggle/primitives"
import { LearningConfig } from "./LearningConfig.js"
import type { LearningConfigShape } from "./LearningConfig.js"
import { RuleExists, RuleNotFound, RuleRetired as RuleRetiredError } from "./LearningErrors.js"
import type { RuleView } from "./Rule.js"
import { AddRuleInput, ruleIdOf, ListRulesInput, RetireRuleInput, RuleEvidenceInput, RuleId } from "./Rule.js"
import { RuleAdded, RuleContradicted, RuleReinforced, RuleRetired, ruleStream } from "./internal/events.js"
import { LearningModule } from "./internal/module.js"
import { appendOwn } from "./internal/queryable.js"
import { byConfidence, loadRules } from "./internal/rules.js"


export interface PlaybookService {
  /** Adds a rule; its id derives from its text, so the same text twice is `RuleExists`. */
  readonly add: (input: AddRuleInput) => Effect.Effect<RuleView, InvalidInput | RuleExists | StorageError>
  /** One more observation that the rule helped. */
  readonly reinforce: (input: RuleEvidenceInput) => Effect.Effect<RuleView, InvalidInput | RuleNotFound | RuleRetiredError | StorageError>
  /** One observation that the rule was wrong or harmful. */
  readonly contradict: (input: RuleEvidenceInput) => Effect.Effect<RuleView, InvalidInput | RuleNotFound | RuleRetiredError | StorageError>
  /** Retires the rule: it stays in history, takes no more evidence and is no longer advised. */
  readonly retire: (input: RetireRuleInput) => Effect.Effect<RuleView, InvalidInput | RuleNotFound | RuleRetiredError | StorageError>
  readonly get: (id: string) => Effect.Effect<RuleView, InvalidInput | RuleNotFound | StorageError>
  /** Rules (active by default), most confident first. */
  readonly list: (input?: ListRulesInput) => Effect.Effect<ReadonlyArray<RuleView>, InvalidInput | StorageError>
}

const decodeAdd = decoderFor(AddRuleInput, "Playbook.add")
const decodeReinforce = decoderFor(RuleEvidenceInput, "Playbook.reinforce")
const decodeContradict = decoderFor(RuleEvidenceInput, "Playbook.contradict")
const decodeRetire = decoderFor(RetireRuleInput, "Playbook.retire")
const decodeId = decoderFor(RuleId, "Playbook.get")
const decodeList = decoderFor(ListRulesInput, "Playbook.list")

const findRule = (tx: EventTx, id: string, config: LearningConfigShape) =>
  Effect.flatMap(loadRules(tx, tx.project, [id], tx.now, config), ([rule]) =>
    rule === undefined ? Effect.fail(new RuleNotFound({ id })) : Effect.succeed(rule))

/** Appends an event about a live rule and returns the rule as it is afterwards. */
const onLiveRule = (
  store: EventStoreService,
  config: LearningConfigShape,
  id: string,
  event: (rule: RuleView) => Parameters<typeof appendOwn>[2]
) =>
  store.transact((tx) =>
    Effect.gen(function*() {
      const rule = yield* findRule(tx, id, config)
      if (rule.retiredAt !== null) return yield* new RuleRetiredError({ id, retiredAt: rule.retiredAt })
      yield* appendOwn(tx, ruleStream(id), event(rule))
      return yield* findRule(tx, id, config)
    })
  )

const make = Effect.gen(function*() {
  const store = yield* EventStore
  const storage = yield* Storage
  const config = yield* LearningConfig
  yield* store.install(LearningModule)

  const service: PlaybookService = {
    add: (input) =>
      Effect.gen(function*() {
        const r = yield* decodeAdd(input)
        const text = r.text.trim()
        const id = ruleIdOf(text)
        return yield* store.transact((tx) =>
          Effect.gen(function*() {
            const existing = yield* loadRules(tx, tx.project, [id], tx.now, config)
            if (existing.length > 0) return yield* new RuleExists({ id })
            yield* appendOwn(tx, ruleStream(id), RuleAdded.make({ id, text, source: r.source ?? null }))
            const [added] = yield* loadRules(tx, tx.project, [id], tx.now, config)
            return added!
          })
        )
      }),
    reinforce: (input) =>
      Effect.flatMap(decodeReinforce(input), (r) =>
        onLiveRule(store, config, r.id, () => RuleReinforced.make({ id: r.id, note: r.note ?? null }))),
    contradict: (input) =>
      Effect.flatMap(decodeContradict(input), (r) =>
        onLiveRule(store, config, r.id, () => RuleContradicted.make({ id: r.id, note: r.note ?? null }))),
    retire: (input) =>
      Effect.flatMap(decodeRetire(input), (r) =>
        onLiveRule(store, config, r.id, () => RuleRetired.make({ id: r.id, reason: r.reason ?? null }))),
    get: (id) =>
      Effect.gen(function*() {
        const valid = yield* decodeId(id)
        const now = yield* Clock.currentTimeMillis
        const [rule] = yield* loadRules(storage, store.project, [valid], now, config)
        return rule === undefined ? yield* new RuleNotFound({ id: valid }) : rule
      }),
    list: (input = {}) =>
      Effect.gen(function*() {
        const q = yield* decodeList(input)
        const now = yield* Clock.currentTimeMillis
        const status = q.status ?? "active"
        const rules = yield* loadRules(storage, store.project, undefined, now, config)
        return rules
          .filter((r) => status === "all" || r.status === status)
          .filter((r) => q.minConfidence === undefined || r.confidence >= q.minConfidence)
          .sort(byConfidence)
          .slice(0, q.limit ?? 1000)
      })
  }
  return service
})

export class Playbook extends Context.Tag("@waggle/learning/Playbook")<Playbook, PlaybookService>() {
  static readonly layer: Layer.Layer<Playbook, MigrationError | StorageError, EventStore | Storage | LearningConfig> =
    Layer.effect(Playbook, make)
}
